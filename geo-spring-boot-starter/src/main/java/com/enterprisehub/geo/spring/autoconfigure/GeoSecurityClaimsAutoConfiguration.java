package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.spring.VerifiedClaims;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/**
 * With Spring Security's resource server, the claims of the bearer token it authenticated (a JWT whose signature,
 * expiry and audience it checked, or an opaque token's introspection result) are the {@link VerifiedClaims} of
 * the request, for {@code geo.resolver.claim}. The tenant filter runs after Security's filter chain, so the request's
 * principal is that token. Backs off when the host defines its own {@code VerifiedClaims}.
 */
@AutoConfiguration(before = GeoWebAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({AbstractOAuth2TokenAuthenticationToken.class, jakarta.servlet.http.HttpServletRequest.class})
@ConditionalOnBooleanProperty(name = "geo.enabled", matchIfMissing = true)
public final class GeoSecurityClaimsAutoConfiguration {
    /** The authenticated bearer token's attributes; none when the request carries no authenticated token. */
    @Bean
    @ConditionalOnMissingBean
    VerifiedClaims geoBearerTokenClaims() {
        return request -> request.getUserPrincipal() instanceof AbstractOAuth2TokenAuthenticationToken<?> token
                && token.isAuthenticated() ? token.getTokenAttributes() : Map.of();
    }
}
