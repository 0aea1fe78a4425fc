package com.example.geo.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.platform.Platform;
import java.nio.file.Path;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A second start on a database the first start migrated: the shared table exists and is protected while the data
 * source is built, Flyway has nothing to do, and a tenant migration added since is applied to the ENHANCED tenant
 * placed by the first start before the application serves anything. Tenants are kept in the jdbc tenant catalog
 * (geo-platform) through the control-plane pool, so the second start knows the first one's.
 */
class RestartTest {
    @TempDir
    Path cloud;

    @Test
    void aRestartFindsItsTablesProtectedAndMigratesTenantsPlacedBefore() {
        Map<String, Object> properties = new HashMap<>();
        EmbeddedDatabase.register(new DynamicPropertyRegistry() {
            @Override
            public void add(String name, java.util.function.Supplier<Object> supplier) {
                properties.put(name, supplier.get());
            }
        }, "boot_restart");
        properties.put("spring.main.web-application-type", "none");
        // Tenants in geo-platform's jdbc catalog, on the same database as the endpoint (schema geo_platform), so
        // the second start knows them.
        properties.put("geo.tenants.provider", "jdbc");
        properties.put("geo.control-plane.url", properties.get("geo.endpoints[0].url"));
        properties.put("geo.control-plane.role.user", "postgres");
        properties.put("geo.control-plane.role.password", "postgres");
        // With a cloud (the local one, in a temporary directory) geo-platform's Platform is a bean as well.
        properties.put("geo.secrets.cloud", "local");
        properties.put("geo.secrets.settings.directory", cloud.toString());
        Tenant oak = Tenant.builder("oak-homes").market("ca").organization("Oak Homes")
                .isolationLevel(IsolationLevel.ENHANCED).build();
        try (ConfigurableApplicationContext first = start(properties)) {
            TenantCatalog tenants = first.getBean(TenantCatalog.class);
            tenants.create(oak);
            first.getBean(TenantDataSource.class).provision(oak.id());
            tenants.transition(oak.id(), TenantState.ACTIVE);
            Tenant active = tenants.find(oak.id()).orElseThrow();
            TenantContext.run(active, () -> first.getBean(ListingService.class).add("oak lodge"));
            assertThat(columns(first, active)).containsExactly("id", "title");
            assertThat(first.getBean(Platform.class).assess(MarketId.of("ca")).market()).isEqualTo(MarketId.of("ca"));
        }
        properties.put("geo.tenant-migrations.locations", "classpath:db/tenant,classpath:db/tenant-v2");
        try (ConfigurableApplicationContext second = start(properties)) {
            TenantCatalog tenants = second.getBean(TenantCatalog.class);
            Tenant active = tenants.find(oak.id()).orElseThrow();
            assertThat(columns(second, active)).containsExactly("id", "title", "price");
            assertThat(TenantContext.call(active, () -> second.getBean(ListingService.class).titles()))
                    .containsExactly("oak lodge");
        }
    }

    private static ConfigurableApplicationContext start(Map<String, Object> properties) {
        // As command-line arguments: above application.properties (builder properties would be below it).
        return new SpringApplicationBuilder(ExampleApplication.class).run(properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    private static java.util.List<String> columns(ConfigurableApplicationContext context, Tenant tenant) {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        return TenantContext.call(tenant, () -> jdbc.queryForList("SELECT column_name::text FROM"
                + " information_schema.columns WHERE table_name = 'listings' AND table_schema = current_schema()"
                + " ORDER BY ordinal_position", String.class));
    }
}
