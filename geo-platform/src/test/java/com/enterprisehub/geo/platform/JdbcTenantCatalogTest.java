package com.enterprisehub.geo.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import com.enterprisehub.geo.test.TenantCatalogContract;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The geo-core catalog contract, on PostgreSQL: one database for the class, its tenants table emptied before each
 * test (a database per test left dozens for the fixture to delete when the JVM exits).
 */
class JdbcTenantCatalogTest extends TenantCatalogContract {
    private static final Map<Class<?>, String> DATABASES = new java.util.concurrent.ConcurrentHashMap<>();

    /** A data source on the database of test class {@code owner}, whose table geo_platform.tenants is empty. */
    static PGSimpleDataSource emptied(Class<?> owner) {
        String database = DATABASES.computeIfAbsent(owner,
                c -> PostgresFixture.newDatabase(c.getSimpleName().toLowerCase(java.util.Locale.ROOT)));
        PGSimpleDataSource ds = controlPlane(database);
        JdbcTenantCatalog.open(ds, PlatformEvents.create(), Clock.systemUTC());
        try (Connection c = PostgresFixture.admin(database)) {
            PostgresFixture.exec(c, "TRUNCATE geo_platform.tenants");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return ds;
    }

    static PGSimpleDataSource controlPlane(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(PostgresFixture.jdbcUrl(database));
        ds.setUser("postgres");
        ds.setPassword("postgres");
        return ds;
    }

    @Override
    protected TenantCatalog newCatalog(PlatformEvents events, Clock clock) {
        return JdbcTenantCatalog.open(emptied(JdbcTenantCatalogTest.class), events, clock);
    }

    @Test
    void configurationValuesKeepTheirTypesThroughTheDatabase() {
        Map<String, Object> config = Map.of("agents", 25, "budget", new BigDecimal("1250.50"), "big",
                new BigInteger("123456789012345678901234567890"), "id", 9_000_000_000L, "ratio", 0.25,
                "nested", Map.of("list", List.of(1, "two", true, new BigDecimal("3.0"))));
        Tenant stored = catalog.create(Tenant.builder("typed").market("us-ca").organization("Typed")
                .config("limits", config).build());
        assertThat(catalog.require(stored.id())).isEqualTo(stored);
        assertThat(catalog.require(stored.id()).configuration().get("limits")).isEqualTo(config);
    }

    @Test
    void twoCatalogsOnOneDatabaseSeeEachOthersChanges() throws Exception {
        String db = PostgresFixture.newDatabase("shared");
        TenantCatalog a = JdbcTenantCatalog.open(controlPlane(db), PlatformEvents.create(), Clock.systemUTC());
        TenantCatalog b = JdbcTenantCatalog.open(controlPlane(db), PlatformEvents.create(), Clock.systemUTC());
        a.create(tenant("shared", "us-ca"));
        assertThat(b.find(tenant("shared", "us-ca").id())).isPresent();
        try (Connection c = PostgresFixture.admin(db)) {
            assertThat(c.createStatement().executeQuery("SELECT count(*) FROM geo_platform.tenants").next()).isTrue();
        }
    }

    @Test
    void everyChangeToTheTableIsNotifiedWithTheTenantIdAlone() throws Exception {
        String db = PostgresFixture.newDatabase("notify");
        TenantCatalog tenants = JdbcTenantCatalog.open(controlPlane(db), PlatformEvents.create(), Clock.systemUTC());
        JdbcTenantCatalog.open(controlPlane(db), PlatformEvents.create(), Clock.systemUTC()); // installed once
        try (Connection listener = PostgresFixture.admin(db); Connection admin = PostgresFixture.admin(db)) {
            PostgresFixture.exec(listener, "LISTEN geo_platform_tenants");
            tenants.create(tenant("acme", "us-ca"));
            tenants.transition(tenant("acme", "us-ca").id(), TenantState.ACTIVE);
            PostgresFixture.exec(admin, "UPDATE geo_platform.tenants SET organization = 'By hand' WHERE id = 'acme'");
            PostgresFixture.exec(admin, "DELETE FROM geo_platform.tenants WHERE id = 'acme'");
            PostgresFixture.exec(admin, "TRUNCATE geo_platform.tenants");
            List<String> payloads = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (payloads.size() < 5 && System.nanoTime() < deadline) {
                PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(100);
                for (PGNotification n : got == null ? new PGNotification[0] : got) {
                    assertThat(n.getName()).isEqualTo("geo_platform_tenants");
                    payloads.add(n.getParameter());
                }
            }
            // one per statement (PostgreSQL folds equal notifications of one transaction), '' for TRUNCATE
            assertThat(payloads).containsExactly("acme", "acme", "acme", "acme", "");
        }
    }
}
