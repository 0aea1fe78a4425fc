package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.spring.ReactiveVerifiedClaims;
import com.enterprisehub.geo.spring.VerifiedClaims;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/**
 * With Spring Security's resource server, the claims of the bearer token it authenticated (a JWT whose signature,
 * expiry and audience it checked, or an opaque token's introspection result) are the {@link VerifiedClaims} of
 * the request (Spring MVC; {@link ReactiveVerifiedClaims} of the exchange in WebFlux), for {@code geo.resolver.claim}.
 * The tenant filter runs after Security's filter chain, so the request's principal is that token. Backs off when the
 * host defines its own {@code VerifiedClaims} (or {@code ReactiveVerifiedClaims}).
 */
@AutoConfiguration(before = {GeoWebAutoConfiguration.class, GeoReactiveWebAutoConfiguration.class})
@ConditionalOnClass(AbstractOAuth2TokenAuthenticationToken.class)
@ConditionalOnBooleanProperty(name = "geo.enabled", matchIfMissing = true)
public final class GeoSecurityClaimsAutoConfiguration {
    /** Spring MVC: the request's principal. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "jakarta.servlet.http.HttpServletRequest")
    static class Servlet {
        /** The authenticated bearer token's attributes; none when the request carries no authenticated token. */
        @Bean
        @ConditionalOnMissingBean
        VerifiedClaims geoBearerTokenClaims() {
            return request -> request.getUserPrincipal() instanceof AbstractOAuth2TokenAuthenticationToken<?> token
                    && token.isAuthenticated() ? token.getTokenAttributes() : Map.of();
        }
    }

    /** WebFlux: the exchange's principal, which Spring Security's reactive resource server sets. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = {"org.springframework.web.server.ServerWebExchange", "reactor.core.publisher.Mono"})
    static class Reactive {
        /** The authenticated bearer token's attributes; none when the exchange carries no authenticated token. */
        @Bean
        @ConditionalOnMissingBean
        ReactiveVerifiedClaims geoReactiveBearerTokenClaims() {
            return exchange -> exchange.getPrincipal()
                    .filter(p -> p instanceof AbstractOAuth2TokenAuthenticationToken<?> token && token.isAuthenticated())
                    .map(p -> ((AbstractOAuth2TokenAuthenticationToken<?>) p).getTokenAttributes());
        }
    }
}
