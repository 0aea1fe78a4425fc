package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spring.GeoHealthIndicator;
import com.enterprisehub.geo.spring.GeoProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The SDK's health indicator under Boot's name for the database, {@code db}: Boot's own indicator then backs
 * off (it would borrow a connection with no tenant and report DOWN).
 */
@AutoConfiguration(after = GeoAutoConfiguration.class,
        beforeName = "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration")
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnEnabledHealthIndicator("db")
@ConditionalOnBean(TenantDataSource.class)
public final class GeoHealthAutoConfiguration {
    /**
     * The indicator, named so that it is the {@code db} contributor, reusing a self-check run for
     * {@code geo.health.self-check-max-age}.
     */
    @Bean(name = "dbHealthIndicator")
    @ConditionalOnMissingBean(name = {"dbHealthIndicator", "dbHealthContributor"})
    GeoHealthIndicator dbHealthIndicator(TenantDataSource dataSource, GeoProperties properties) {
        return new GeoHealthIndicator(dataSource, properties.health().selfCheckMaxAge());
    }
}
