package com.enterprisehub.geo.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spring.autoconfigure.GeoAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoHealthAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoHibernateAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoSchemaAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A host's own tenant data source gets the schema guard, the Hibernate settings and the health indicator only when
 * its bean is declared with the {@code TenantDataSource} type: conditions see declared types, not instances. The
 * bean definitions are read once the conditions are evaluated, before any bean is created (a TenantDataSource
 * needs a database; the host's factory methods here throw, so the first context then fails to start).
 */
class HostTenantDataSourceTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GeoAutoConfiguration.class, GeoSchemaAutoConfiguration.class,
                    GeoHibernateAutoConfiguration.class, GeoHealthAutoConfiguration.class));

    @Test
    void aBeanDeclaredAsTenantDataSourceGetsTheStartersBeans() {
        List<String> names = new ArrayList<>();
        runner.withUserConfiguration(DeclaredTenantDataSource.class).withInitializer(capture(names)).run(context -> {
        });
        assertThat(names).contains("dataSource", "geoSchemaGuard", "dbHealthIndicator");
    }

    @Test
    void aBeanDeclaredAsDataSourceDoesNot() {
        List<String> names = new ArrayList<>();
        runner.withUserConfiguration(DeclaredDataSource.class).withInitializer(capture(names)).run(context -> {
        });
        assertThat(names).contains("dataSource").doesNotContain("geoSchemaGuard", "dbHealthIndicator");
    }

    /** Records the bean definitions once configuration classes and their conditions were processed. */
    private static ApplicationContextInitializer<ConfigurableApplicationContext> capture(List<String> names) {
        return context -> context.addBeanFactoryPostProcessor(
                factory -> names.addAll(List.of(factory.getBeanDefinitionNames())));
    }

    @Configuration(proxyBeanMethods = false)
    static class DeclaredTenantDataSource {
        @Bean
        TenantDataSource dataSource() {
            throw new IllegalStateException("never created in this test");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DeclaredDataSource {
        @Bean
        DataSource dataSource() {
            throw new IllegalStateException("never created in this test");
        }
    }
}
