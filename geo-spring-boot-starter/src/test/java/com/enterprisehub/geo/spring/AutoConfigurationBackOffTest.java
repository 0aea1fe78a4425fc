package com.enterprisehub.geo.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spring.autoconfigure.GeoAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoCacheAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoHealthAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoHibernateAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoSchemaAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoWebAutoConfiguration;
import com.enterprisehub.geo.spring.internal.GeoSetup;
import java.io.PrintWriter;
import java.sql.Connection;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.core.task.TaskDecorator;

/** Everything the starter defines backs off when the host defines its own, and nothing happens when disabled. */
class AutoConfigurationBackOffTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(GeoAutoConfiguration.class, GeoSchemaAutoConfiguration.class,
                    GeoHibernateAutoConfiguration.class, GeoHealthAutoConfiguration.class,
                    GeoCacheAutoConfiguration.class));

    @Test
    void aHostDataSourceReplacesTheTenantDataSourceAndEverythingBuiltOnIt() {
        runner.withBean("dataSource", DataSource.class, HostDataSource::new).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(DataSource.class).isInstanceOf(HostDataSource.class);
            assertThat(context).doesNotHaveBean(TenantDataSource.class).doesNotHaveBean(GeoSetup.class)
                    .doesNotHaveBean(GeoSchemaGuard.class).doesNotHaveBean(GeoHealthIndicator.class);
            // the catalog, the resolver and the task decorator do not need the data source
            assertThat(context).hasSingleBean(TenantResolver.class).hasSingleBean(TenantCatalog.class)
                    .hasSingleBean(TaskDecorator.class);
        });
    }

    @Test
    void hostCatalogAndResolverAreUsed() {
        TenantCatalog mine = InMemoryTenantCatalog.create();
        runner.withBean("dataSource", DataSource.class, HostDataSource::new)
                .withBean(TenantCatalog.class, () -> mine)
                .withBean(TenantResolver.class, () -> TenantResolver.builder(mine).header("X-Mine").build())
                .run(context -> {
                    assertThat(context.getBean(TenantCatalog.class)).isSameAs(mine);
                    assertThat(context).hasSingleBean(TenantResolver.class);
                });
    }

    @Test
    void withoutEndpointsTheStartFailsNamingWhatToSet() {
        runner.run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                .hasMessageContaining("no endpoint: set geo.endpoints[0].name"));
    }

    @Test
    void geoEnabledFalseConfiguresNothing() {
        runner.withPropertyValues("geo.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TenantDataSource.class).doesNotHaveBean(TenantResolver.class)
                    .doesNotHaveBean(TaskDecorator.class).doesNotHaveBean(TenantKeyGenerator.class);
        });
    }

    @Test
    void cacheManagersAreWrappedUnlessTurnedOff() {
        ApplicationContextRunner caches = runner.withBean("dataSource", DataSource.class, HostDataSource::new)
                .withBean(CacheManager.class, ConcurrentMapCacheManager::new);
        caches.run(context -> assertThat(context.getBean(CacheManager.class))
                .isInstanceOf(TenantScopedCacheManager.class));
        caches.withPropertyValues("geo.cache.tenant-scoped=false").run(context -> assertThat(
                context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class));
    }

    @Test
    void theFilterIsRegisteredInServletApplicationsAndBacksOff() {
        WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(
                AutoConfigurations.of(GeoAutoConfiguration.class, GeoWebAutoConfiguration.class))
                .withBean("dataSource", DataSource.class, HostDataSource::new);
        web.run(context -> assertThat(context).hasBean("geoTenantFilter")
                .getBean("geoTenantFilter", FilterRegistrationBean.class)
                .satisfies(r -> assertThat(r.getOrder()).isEqualTo(-90)));
        web.withPropertyValues("geo.web.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean("geoTenantFilter"));
        web.withBean("geoTenantFilter", String.class, () -> "the host's").run(context -> assertThat(context)
                .getBean("geoTenantFilter").isEqualTo("the host's"));
    }

    /** A host's own data source, never connected to. */
    static final class HostDataSource implements DataSource {
        @Override
        public Connection getConnection() {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public Connection getConnection(String username, String password) {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
