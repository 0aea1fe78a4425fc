package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.spring.GeoProperties;
import com.enterprisehub.geo.spring.ReactiveTenantFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;

/** The WebFlux filter that resolves each request's tenant into the Reactor context ({@link ReactiveTenantFilter}). */
@AutoConfiguration(after = GeoAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({WebFilter.class, Mono.class})
@ConditionalOnBooleanProperty(name = "geo.web.enabled", matchIfMissing = true)
@ConditionalOnBean({TenantResolver.class, GeoProperties.class})
public final class GeoReactiveWebAutoConfiguration {
    /**
     * The filter, at {@code geo.web.order}, excluding {@code geo.web.exclude-paths}. A {@code geo.resolver.claim} fails
     * the start: the reactive filter does not read verified claims yet, and a claim must never be silently ignored.
     */
    @Bean
    @ConditionalOnMissingBean(name = "geoReactiveTenantFilter")
    ReactiveTenantFilter geoReactiveTenantFilter(TenantResolver resolver, GeoProperties properties) {
        properties.resolver().claimName().ifPresent(claim -> {
            throw new GeoValidationException("geo.resolver.claim=" + claim + " is not supported by the WebFlux filter"
                    + " yet (it reads no verified token claims): remove it and define a ReactiveTenantFilter bean"
                    + " named geoReactiveTenantFilter of your own, or use Spring MVC.");
        });
        return new ReactiveTenantFilter(resolver, properties.web().excludePaths(), properties.web().order());
    }
}
