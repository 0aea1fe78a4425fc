package com.enterprisehub.geo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.spring.GeoProperties;
import com.enterprisehub.geo.spring.internal.GeoSetup;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Boot's Flyway is pointed at the first endpoint's administrator only when the host chose no Flyway database. */
class GeoFlywayAutoConfigurationTest {
    private static final String URL = "jdbc:postgresql://localhost/geo_flyway_first";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withBean(GeoSetup.class, GeoFlywayAutoConfigurationTest::setup);

    @Test
    void withoutAHostChoiceFlywayUsesTheFirstEndpointsAdministrator() {
        runner.run(context -> assertThat(customized(context).getUrl()).isEqualTo(URL));
    }

    @Test
    void aHostsFlywayUrlOrUserIsKept() {
        runner.withPropertyValues("spring.flyway.url=jdbc:postgresql://elsewhere/db")
                .run(context -> assertThat(customized(context).getUrl()).isNull());
        runner.withPropertyValues("spring.flyway.user=migrator")
                .run(context -> assertThat(customized(context).getUrl()).isNull());
    }

    @Test
    void aHostsFlywayDataSourceIsKept() {
        runner.withUserConfiguration(HostFlywayDataSource.class)
                .run(context -> assertThat(customized(context).getUrl()).isNull());
    }

    @Test
    void aHostsFlywayConnectionDetailsAreKept() {
        runner.withBean(FlywayConnectionDetails.class, () -> new FlywayConnectionDetails() {
            @Override
            public String getUsername() {
                return "migrator";
            }

            @Override
            public String getPassword() {
                return "pw";
            }

            @Override
            public String getJdbcUrl() {
                return "jdbc:postgresql://elsewhere/db";
            }
        }).run(context -> assertThat(customized(context).getUrl()).isNull());
    }

    private static FluentConfiguration customized(ApplicationContext context) {
        FluentConfiguration configuration = new FluentConfiguration();
        new GeoFlywayAutoConfiguration().geoFlywayAdministrator(context.getBeanProvider(GeoSetup.class),
                context.getEnvironment(), ((ConfigurableApplicationContext) context).getBeanFactory())
                .customize(configuration);
        return configuration;
    }

    private static GeoSetup setup() {
        Map<String, String> values = new HashMap<>();
        values.put("geo.endpoints[0].name", "first");
        values.put("geo.endpoints[0].region", "CANADA");
        values.put("geo.endpoints[0].url", URL);
        values.put("geo.endpoints[0].admin.user", "admin");
        values.put("geo.endpoints[0].admin.password", "admin-pw");
        values.put("geo.endpoints[0].app.user", "app");
        values.put("geo.endpoints[0].app.password", "app-pw");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        values.put("geo.binding-key.value", Base64.getEncoder().encodeToString(key));
        return GeoSetup.resolve(new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("geo",
                GeoProperties.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class HostFlywayDataSource {
        @Bean
        @FlywayDataSource
        DataSource migrations() {
            return new org.springframework.jdbc.datasource.DriverManagerDataSource("jdbc:postgresql://elsewhere/db");
        }
    }
}
