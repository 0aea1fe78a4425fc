package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spring.GeoProperties;
import com.enterprisehub.geo.spring.GeoSchemaGuard;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@link GeoSchemaGuard} of the tenant data source, and a last call of it once every singleton exists (when
 * no migration strategy called it earlier), so no request is served before the tables are protected and the
 * self-check passed.
 */
@AutoConfiguration(after = GeoAutoConfiguration.class,
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBean({TenantDataSource.class, GeoProperties.class})
public final class GeoSchemaAutoConfiguration {
    /** Protection, tenant migrations and the self-check after the shared migration. */
    @Bean
    @ConditionalOnMissingBean
    GeoSchemaGuard geoSchemaGuard(TenantDataSource dataSource, GeoProperties properties) {
        return new GeoSchemaGuard(dataSource, properties.protectedTables(),
                properties.tenantMigrations().migrateOnStart(), properties.tenantMigrations().parallelism());
    }

    /** Runs the guard at the end of start-up if nothing ran it before. */
    @Bean
    SmartInitializingSingleton geoSchemaGuardAtStartup(ObjectProvider<GeoSchemaGuard> guard) {
        return () -> guard.ifAvailable(GeoSchemaGuard::afterSharedMigration);
    }
}
