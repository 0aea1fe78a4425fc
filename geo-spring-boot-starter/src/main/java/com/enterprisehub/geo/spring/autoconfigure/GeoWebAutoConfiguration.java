package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.spring.GeoProperties;
import com.enterprisehub.geo.spring.TenantAuthorizer;
import com.enterprisehub.geo.spring.TenantFilter;
import com.enterprisehub.geo.spring.TenantRequestListener;
import com.enterprisehub.geo.spring.VerifiedClaims;
import jakarta.servlet.DispatcherType;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

/** The servlet filter that resolves and binds each request's tenant ({@link TenantFilter}). */
@AutoConfiguration(after = GeoAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({OncePerRequestFilter.class, FilterRegistrationBean.class})
@ConditionalOnBooleanProperty(name = "geo.web.enabled", matchIfMissing = true)
@ConditionalOnBean({TenantResolver.class, GeoProperties.class})
public final class GeoWebAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(GeoWebAutoConfiguration.class);

    /**
     * The filter, at {@code geo.web.order}, on request and async dispatches. With {@code geo.resolver.claim} set,
     * every request must carry the claim, and the start fails when no {@link VerifiedClaims} source exists. A
     * {@link TenantAuthorizer} bean is called for every resolved tenant; without one and without a claim, a WARN.
     * Every {@link TenantRequestListener} bean is told of each binding and refusal, in their order.
     */
    @Bean
    @ConditionalOnMissingBean(name = "geoTenantFilter")
    FilterRegistrationBean<TenantFilter> geoTenantFilter(TenantResolver resolver, ObjectProvider<VerifiedClaims> claims,
            ObjectProvider<TenantAuthorizer> authorizers, ObjectProvider<TenantRequestListener> listeners,
            GeoProperties properties) {
        TenantFilter.Builder filter = TenantFilter.builder(resolver).excludePaths(properties.web().excludePaths());
        Optional<String> claim = properties.resolver().claimName();
        VerifiedClaims source = claims.getIfAvailable();
        if (claim.isPresent()) {
            if (source == null) {
                throw new GeoValidationException("geo.resolver.claim=" + claim.get() + " needs verified token claims,"
                        + " and there is no VerifiedClaims source: add Spring Security's OAuth2 resource server"
                        + " (spring-boot-starter-oauth2-resource-server) or define a VerifiedClaims bean.");
            }
            filter.requireClaim(claim.get());
        }
        if (source != null) {
            filter.claims(source);
        }
        TenantAuthorizer authorizer = authorizers.getIfAvailable();
        if (authorizer != null) {
            filter.authorizer(authorizer);
        } else if (claim.isEmpty()) {
            LOG.warn("The tenant of a request is whatever its client names (geo.resolver header, subdomain or path"
                    + " prefix) and nothing checks that the principal belongs to it: define a TenantAuthorizer bean"
                    + " or set geo.resolver.claim to a claim of a verified token. See docs/spring-boot.md.");
        }
        listeners.orderedStream().forEach(filter::listener);
        FilterRegistrationBean<TenantFilter> registration = new FilterRegistrationBean<>(filter.build());
        registration.setName("geoTenantFilter");
        registration.setOrder(properties.web().order());
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        return registration;
    }
}
