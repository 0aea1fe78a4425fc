package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.spring.GeoProperties;
import com.enterprisehub.geo.spring.TenantFilter;
import com.enterprisehub.geo.spring.VerifiedClaims;
import jakarta.servlet.DispatcherType;
import java.util.Map;
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
    /** The filter, at {@code geo.web.order}, on request and async dispatches. */
    @Bean
    @ConditionalOnMissingBean(name = "geoTenantFilter")
    FilterRegistrationBean<TenantFilter> geoTenantFilter(TenantResolver resolver, ObjectProvider<VerifiedClaims> claims,
            GeoProperties properties) {
        VerifiedClaims source = claims.getIfAvailable(() -> request -> Map.of());
        FilterRegistrationBean<TenantFilter> registration = new FilterRegistrationBean<>(
                new TenantFilter(resolver, source, properties.web().excludePaths()));
        registration.setName("geoTenantFilter");
        registration.setOrder(properties.web().order());
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
        return registration;
    }
}
