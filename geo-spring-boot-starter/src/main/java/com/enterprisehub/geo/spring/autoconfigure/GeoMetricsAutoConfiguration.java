package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.isolation.micrometer.IsolationMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The tenant data source's meters ({@code geo.isolation.*}: borrows, switches, waits, connections per endpoint,
 * open tenant pools, refusals by cause, security events by kind; never per tenant) as a {@link MeterBinder} bean,
 * which Boot binds to its meter registries. The data source's HikariCP pools are internal, so this replaces the
 * {@code hikaricp.*} meters a plain Boot data source would have.
 */
@AutoConfiguration(after = GeoAutoConfiguration.class)
@ConditionalOnClass({MeterBinder.class, IsolationMetrics.class})
@ConditionalOnBean(TenantDataSource.class)
public final class GeoMetricsAutoConfiguration {
    /** The SDK's binder. */
    @Bean
    @ConditionalOnMissingBean
    IsolationMetrics geoIsolationMetrics(TenantDataSource dataSource) {
        return new IsolationMetrics(dataSource);
    }
}
