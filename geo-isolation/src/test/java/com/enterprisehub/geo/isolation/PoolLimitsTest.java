package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One busy tenant cannot take the whole shared pool, and a slow query of one tenant is cut off. */
class PoolLimitsTest {
    private static TenantDataSource dataSource;
    private static final com.enterprisehub.geo.core.event.PlatformEvents events =
            com.enterprisehub.geo.core.event.PlatformEvents.create();
    private static Tenant busy;
    private static Tenant quiet;
    private static Tenant slow;

    @BeforeAll
    static void start() throws SQLException {
        String db = PostgresFixture.newDatabase("limits");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text)");
        }
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        busy = tenants.create(Tenant.builder("busy").market("us-ca").organization("Busy").state(TenantState.ACTIVE)
                .build());
        quiet = tenants.create(Tenant.builder("quiet").market("us-ca").organization("Quiet")
                .state(TenantState.ACTIVE).build());
        slow = tenants.create(Tenant.builder("slow").market("us-ca").organization("Slow").state(TenantState.ACTIVE)
                .config(TenantDataSource.STATEMENT_TIMEOUT_KEY, 200).build());
        dataSource = IsolationFixture.builder(tenants, IsolationFixture.endpoint("limits", DeploymentRegion.US_EAST, db))
                .protectTable("listings")
                .maximumPoolSize(2).maxConnectionsPerTenant(1).connectionTimeout(Duration.ofMillis(300)).events(events)
                .build();
        for (Tenant t : new Tenant[] {busy, quiet, slow}) {
            dataSource.provision(t.id());
        }
    }

    @AfterAll
    static void stop() {
        dataSource.close();
    }

    @Test
    void aTenantAtItsCapWaitsThenFailsWhileOthersStillGetConnections() throws Exception {
        try (TenantContext.Scope scope = TenantContext.open(busy); Connection held = dataSource.getConnection()) {
            assertThat(held.isValid(1)).isTrue();
            long start = System.nanoTime();
            assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("'busy' already holds its limit of 1");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            TenantContext.run(quiet, () -> {
                try (Connection other = dataSource.getConnection()) {
                    assertThat(other.isValid(1)).isTrue();
                } catch (SQLException e) {
                    throw new AssertionError("another tenant must still get a connection", e);
                }
            });
        }
        // Returned: the busy tenant may borrow again, and closing twice does not free a second permit.
        try (TenantContext.Scope scope = TenantContext.open(busy)) {
            Connection again = dataSource.getConnection();
            again.close();
            again.close();
            try (Connection one = dataSource.getConnection()) {
                assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            }
        }
    }

    @Test
    void aTenantsStatementTimeoutCutsItsSlowQueriesAndStaysWithIt() throws Exception {
        try (TenantContext.Scope scope = TenantContext.open(slow); Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            assertThat(show(s)).isEqualTo("200ms");
            assertThatThrownBy(() -> s.execute("SELECT pg_sleep(2)")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
        }
        // The next tenant on the same pooled connections does not inherit it.
        for (int i = 0; i < 3; i++) {
            try (TenantContext.Scope scope = TenantContext.open(quiet); Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                assertThat(show(s)).isEqualTo("0");
            }
        }
    }

    @Test
    void aTenantThatLiftsItsStatementTimeoutIsCancelledByTheWatchdogAndReported() throws Exception {
        java.util.List<SecurityEvent> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        events.subscribe(e -> {
            if (e instanceof SecurityEvent se && se.kind().equals("statement-timeout")) {
                reported.add(se);
            }
        });
        try (TenantContext.Scope scope = TenantContext.open(slow); Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = 0");          // its own limit lifted inside its borrow
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.execute("SELECT pg_sleep(20)")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cancelled near its 200 ms, not after 20 s")
                    .isLessThan(Duration.ofSeconds(5));
        }
        // The watchdog cancels inside its sweep query and reports when that query returns, which can be just
        // after the cancelled statement has failed here: wait for the report (bounded), then check it.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (reported.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(reported).extracting(SecurityEvent::kind, SecurityEvent::tenant)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("statement-timeout", "slow"));
        // A statement within its limit is never touched, and a tenant without a limit is never watched.
        try (TenantContext.Scope scope = TenantContext.open(slow); Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_sleep(0.1)");
        }
        try (TenantContext.Scope scope = TenantContext.open(quiet); Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_sleep(0.6)");
        }
        assertThat(reported).hasSize(1);
    }

    @Test
    void aTenantCannotBlindTheWatchdog() throws Exception {
        // The watchdog reads pg_stat_activity: track_activities off would hide the statement. Only a superuser
        // (or a role granted SET on it) can change it, for the session or for the shared application role.
        for (String sql : new String[] {"SET track_activities = off",
                "ALTER ROLE CURRENT_USER SET track_activities = off"}) {
            try (TenantContext.Scope scope = TenantContext.open(slow); Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            }
        }
    }

    @Test
    void aTenantThatCatchesTheCancelIsTerminated() throws Exception {
        long start = System.nanoTime();
        try (TenantContext.Scope scope = TenantContext.open(slow); Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = 0");
            assertThatThrownBy(() -> s.execute("DO $$ BEGIN LOOP BEGIN PERFORM pg_sleep(1000);"
                    + " EXCEPTION WHEN query_canceled THEN NULL; END; END LOOP; END $$"))
                    .isInstanceOf(SQLException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("ended by the watchdog, not after 1,000 s")
                .isLessThan(Duration.ofSeconds(10));
        try (TenantContext.Scope scope = TenantContext.open(quiet); Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            assertThat(show(s)).as("the pool recovers: the terminated connection was replaced").isEqualTo("0");
        }
    }

    private static String show(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
