package com.enterprisehub.geo.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A MAXIMUM tenant (its own database on a shared server) and a REGULATORY one (its own database on a dedicated
 * server) cannot lift their statement timeout either: their statements run on a server other tenants use (MAXIMUM)
 * or that the operator sized for them, and the limit is the operator's, not the session's.
 */
class OwnPoolWatchdogTest {
    private static final List<SecurityEvent> REPORTED = new CopyOnWriteArrayList<>();
    private static EmbeddedPostgres dedicated;
    private static TenantDataSource dataSource;
    private static TenantCatalog tenants;

    @BeforeAll
    static void start() throws Exception {
        dedicated = PostgresFixture.start();
        String db = PostgresFixture.newDatabase("own_watchdog");
        tenants = InMemoryTenantCatalog.create();
        Tenant deep = tenants.create(Tenant.builder("deep").market("us-ca").organization("Deep")
                .isolationLevel(IsolationLevel.MAXIMUM).state(TenantState.ACTIVE)
                .config(TenantDataSource.STATEMENT_TIMEOUT_KEY, 200).build());
        Tenant vault = tenants.create(Tenant.builder("vault").market("us-ca").organization("Vault")
                .isolationLevel(IsolationLevel.REGULATORY).state(TenantState.ACTIVE)
                .config(TenantDataSource.STATEMENT_TIMEOUT_KEY, 200).build());
        PlatformEvents events = PlatformEvents.create();
        events.subscribe(e -> {
            if (e instanceof SecurityEvent se && se.kind().equals("statement-timeout")) {
                REPORTED.add(se);
            }
        });
        dataSource = IsolationFixture.builder(tenants, IsolationFixture.endpoint("us-shared", DeploymentRegion.US_WEST, db))
                .migrations(SchemaMigrations.of(List.of(MaximumIsolationTest.LISTINGS)))
                .dedicatedServer(new DedicatedServer("vault-west", vault.id(), DeploymentRegion.US_WEST,
                        "jdbc:postgresql://localhost:" + dedicated.getPort() + "/postgres",
                        new Credentials("postgres", "postgres")))
                .events(events).build();
        dataSource.provision(deep.id());
        dataSource.provision(vault.id());
    }

    @AfterAll
    static void stop() throws Exception {
        if (dataSource != null) {
            dataSource.close();
        }
        if (dedicated != null) {
            dedicated.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deep", "vault"})
    void aTenantCannotBlindTheWatchdog(String id) throws Exception {
        // The watchdog reads pg_stat_activity: track_activities off would hide the statement. Only a superuser
        // (or a role granted SET on it) can change it, for a session, a role or a database.
        Tenant tenant = tenants.find(com.enterprisehub.geo.core.tenant.TenantId.of(id)).orElseThrow();
        for (String sql : new String[] {"SET track_activities = off", "ALTER ROLE CURRENT_USER SET track_activities = off",
                "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET track_activities = off', current_database()); END $$"}) {
            try (TenantContext.Scope scope = TenantContext.open(tenant); Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deep", "vault"})
    void aLiftedTimeoutIsCancelledByTheWatchdogAndReported(String id) throws Exception {
        Tenant tenant = tenants.find(com.enterprisehub.geo.core.tenant.TenantId.of(id)).orElseThrow();
        try (TenantContext.Scope scope = TenantContext.open(tenant); Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_sleep(0.05)"); // within its limit: never touched
            s.execute("SET statement_timeout = 0");
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.execute("SELECT pg_sleep(20)")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cancelled near its 200 ms, not after 20 s")
                    .isLessThan(Duration.ofSeconds(5));
        }
        // Published by the watchdog's thread once its sweep returns: wait for it (bounded).
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (REPORTED.stream().noneMatch(e -> e.tenant().equals(id)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(REPORTED).filteredOn(e -> e.tenant().equals(id)).hasSize(1);
        // The next borrow of the same tenant's pool has its limit back.
        try (TenantContext.Scope scope = TenantContext.open(tenant); Connection c = dataSource.getConnection();
                Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("200ms");
        }
    }
}
