package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.spring.GeoSchemaGuard;
import com.enterprisehub.geo.spring.internal.GeoSetup;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Boot's Flyway on the tenant data source: it migrates the shared schema ({@code spring.flyway.*}, default
 * {@code classpath:db/migration}) as each endpoint's administrator, never through the tenant data source (which
 * refuses a connection with no tenant). After the migration of every shared endpoint, the {@link GeoSchemaGuard}
 * protects the tables, migrates the tenants' own schemas and runs the self-check; this all happens before
 * Hibernate starts (Boot orders the EntityManagerFactory after Flyway). Leaves Flyway's database alone when the
 * host chose one ({@code spring.flyway.url} or {@code .user}, a {@code @FlywayDataSource} bean, its own
 * {@link FlywayConnectionDetails}); backs off when the host defines its own migration strategy.
 */
@AutoConfiguration(before = FlywayAutoConfiguration.class, after = GeoSchemaAutoConfiguration.class)
@ConditionalOnClass({Flyway.class, FlywayMigrationStrategy.class})
@ConditionalOnBooleanProperty(name = "spring.flyway.enabled", matchIfMissing = true)
@ConditionalOnBean(GeoSchemaGuard.class)
public final class GeoFlywayAutoConfiguration {
    /**
     * Points Boot's Flyway at the first shared endpoint's administrator, unless the host chose Flyway's database
     * itself (see {@link #hostChoseFlywayDatabase}).
     */
    @Bean
    FlywayConfigurationCustomizer geoFlywayAdministrator(ObjectProvider<GeoSetup> setup, Environment environment,
            ListableBeanFactory beans) {
        return configuration -> {
            GeoSetup resolved = setup.getIfAvailable();
            if (resolved == null || resolved.endpoints().isEmpty() || hostChoseFlywayDatabase(environment, beans)) {
                return;
            }
            DatabaseEndpoint first = resolved.endpoints().get(0);
            configuration.dataSource(first.jdbcUrl(), first.admin().user(), first.admin().password());
        };
    }

    /**
     * Migrates every shared endpoint (only the host's Flyway database when it chose one), then runs the guard.
     */
    @Bean
    @ConditionalOnMissingBean
    FlywayMigrationStrategy geoFlywayMigrationStrategy(ObjectProvider<GeoSetup> setup, GeoSchemaGuard guard,
            Environment environment, ListableBeanFactory beans) {
        return flyway -> {
            flyway.migrate();
            GeoSetup resolved = setup.getIfAvailable();
            if (resolved != null && !hostChoseFlywayDatabase(environment, beans)) {
                List<DatabaseEndpoint> others = resolved.endpoints().subList(Math.min(1, resolved.endpoints().size()),
                        resolved.endpoints().size());
                for (DatabaseEndpoint endpoint : others) {
                    Flyway.configure(flyway.getConfiguration().getClassLoader()).configuration(flyway.getConfiguration())
                            .dataSource(endpoint.jdbcUrl(), endpoint.admin().user(), endpoint.admin().password())
                            .load().migrate();
                }
            }
            guard.afterSharedMigration();
        };
    }

    /**
     * Whether the host chose Flyway's database: {@code spring.flyway.url} or {@code spring.flyway.user} is set, a
     * {@code @FlywayDataSource} bean exists, or a {@link FlywayConnectionDetails} bean other than Boot's own
     * (which only adapts {@code spring.flyway.*}) exists.
     */
    static boolean hostChoseFlywayDatabase(Environment environment, ListableBeanFactory beans) {
        if (environment.containsProperty("spring.flyway.url") || environment.containsProperty("spring.flyway.user")) {
            return true;
        }
        if (beans.getBeanNamesForAnnotation(FlywayDataSource.class).length > 0) {
            return true;
        }
        for (String name : beans.getBeanNamesForType(FlywayConnectionDetails.class, true, false)) {
            Class<?> type = beans.getType(name);
            if (type == null || !type.getName().endsWith("PropertiesFlywayConnectionDetails")) {
                return true;
            }
        }
        return false;
    }
}
