package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.spring.GeoProperties;
import com.enterprisehub.geo.spring.ReactiveTenantAuthorizer;
import com.enterprisehub.geo.spring.ReactiveTenantFilter;
import com.enterprisehub.geo.spring.ReactiveVerifiedClaims;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/** The WebFlux filter that resolves each request's tenant into the Reactor context ({@link ReactiveTenantFilter}). */
@AutoConfiguration(after = GeoAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({WebFilter.class, Mono.class})
@ConditionalOnBooleanProperty(name = "geo.web.enabled", matchIfMissing = true)
@ConditionalOnBean({TenantResolver.class, GeoProperties.class})
public final class GeoReactiveWebAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(GeoReactiveWebAutoConfiguration.class);
    private static final String SERVLET_AUTHORIZER = "com.enterprisehub.geo.spring.TenantAuthorizer";

    /**
     * The filter, at {@code geo.web.order}, excluding {@code geo.web.exclude-paths}. A {@link ReactiveTenantAuthorizer}
     * bean is asked for every resolved tenant; without one and without a claim, a WARN (as in a servlet
     * application). With {@code geo.resolver.claim} set, every request must carry the claim in its
     * {@link ReactiveVerifiedClaims}, and the start fails when there is no such source. The start fails on a servlet
     * {@code TenantAuthorizer} bean (the reactive filter cannot call it, and an authorizer must never be silently
     * ignored).
     */
    @Bean
    @ConditionalOnMissingBean(name = "geoReactiveTenantFilter")
    ReactiveTenantFilter geoReactiveTenantFilter(TenantResolver resolver, GeoProperties properties,
            ObjectProvider<ReactiveTenantAuthorizer> authorizers, ObjectProvider<ReactiveVerifiedClaims> claims,
            ListableBeanFactory beans) {
        refuseServletAuthorizer(beans);
        ReactiveTenantFilter.Builder filter = ReactiveTenantFilter.builder(resolver)
                .excludePaths(properties.web().excludePaths()).order(properties.web().order());
        Optional<String> claim = properties.resolver().claimName();
        ReactiveVerifiedClaims source = claims.getIfAvailable();
        if (claim.isPresent()) {
            if (source == null) {
                throw new GeoValidationException("geo.resolver.claim=" + claim.get() + " needs verified token claims,"
                        + " and there is no ReactiveVerifiedClaims source: add Spring Security's OAuth2 resource server"
                        + " (spring-boot-starter-oauth2-resource-server) or define a ReactiveVerifiedClaims bean.");
            }
            filter.requireClaim(claim.get());
        }
        if (source != null) {
            filter.claims(source);
        }
        ReactiveTenantAuthorizer authorizer = authorizers.getIfAvailable();
        if (authorizer != null) {
            filter.authorizer(authorizer);
        } else if (claim.isEmpty()) {
            LOG.warn("The tenant of a request is whatever its client names (geo.resolver header, subdomain or path"
                    + " prefix) and nothing checks that the principal belongs to it: define a ReactiveTenantAuthorizer"
                    + " bean (WebFlux). See docs/spring-boot.md.");
        }
        return filter.build();
    }

    /** Fails when the application defines a servlet {@code TenantAuthorizer}, which nothing would call here. */
    private static void refuseServletAuthorizer(ListableBeanFactory beans) {
        ClassLoader loader = GeoReactiveWebAutoConfiguration.class.getClassLoader();
        // TenantAuthorizer's method takes a servlet request: without the servlet API, no such bean can exist.
        if (!ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest", loader)) {
            return;
        }
        Class<?> type = ClassUtils.resolveClassName(SERVLET_AUTHORIZER, loader);
        String[] names = beans.getBeanNamesForType(type, true, false);
        if (names.length > 0) {
            throw new GeoValidationException("The TenantAuthorizer bean '" + names[0] + "' is for Spring MVC and is"
                    + " never called in a WebFlux application: implement ReactiveTenantAuthorizer"
                    + " ((ServerWebExchange, Tenant) -> Mono<Boolean>) instead and remove the TenantAuthorizer bean.");
        }
    }
}
