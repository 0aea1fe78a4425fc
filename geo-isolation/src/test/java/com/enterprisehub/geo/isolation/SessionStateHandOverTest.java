package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.column;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Large objects (outside row-level security) are refused to tenant sessions. Session state a tenant leaves on a borrowed connection never reaches the next tenant that borrows the same
 * PostgreSQL session (a pool of one, so the backend is the same): open cursors (with their rows), LISTEN
 * registrations, advisory locks, {@code lastval()}, and statements prepared with SQL {@code PREPARE} (through
 * {@code Statement.addBatch}, which the session-SQL scanner does not see). The driver's own prepared statements
 * keep working across the hand-over. Run at BASIC (shared tables) and ENHANCED (schema and role per tenant).
 */
class SessionStateHandOverTest {
    private static final SchemaMigrations LISTINGS = SchemaMigrations.of(List.of(new Migration(1, "listings",
            "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)")));

    private static TenantCatalog tenants;
    private static TenantDataSource dataSource;
    private static Connection observer;
    private static final List<SecurityEvent> reported = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        String db = PostgresFixture.newDatabase("handover");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)");
        }
        tenants = InMemoryTenantCatalog.create();
        for (IsolationLevel level : List.of(IsolationLevel.BASIC, IsolationLevel.ENHANCED)) {
            String suffix = level.name().toLowerCase(java.util.Locale.ROOT);
            TenantWork.active(tenants, "victim-" + suffix, "us-ca", level);
            TenantWork.active(tenants, "thief-" + suffix, "us-ca", level);
        }
        dataSource = IsolationFixture.builder(tenants, IsolationFixture.endpoint("us", 
                com.enterprisehub.geo.core.market.DeploymentRegion.US_WEST, db))
                .protectTable("listings").migrations(LISTINGS).maximumPoolSize(1).maxConnectionsPerTenant(1)
                .events(events()).build();
        for (Tenant t : tenants.list()) {
            dataSource.provision(t.id());
        }
        observer = PostgresFixture.admin(db);
    }

    @AfterAll
    static void stop() throws Exception {
        if (observer != null) {
            observer.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"BASIC", "ENHANCED"})
    void aSettingChangedInABatchIsResetBeforeTheSameTenantsNextBorrow(IsolationLevel level) throws Exception {
        Tenant victim = tenant("victim", level);
        as(victim, () -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.addBatch("SET application_name = 'left-behind'");    // the scanner did not see batches
                s.executeBatch();
            }
            return null;
        });
        as(victim, () -> {                                             // same tenant: no switch is sent
            try (Connection c = dataSource.getConnection()) {
                assertThat(first(c, "SHOW application_name")).isNotEqualTo("left-behind");
            }
            return null;
        });
    }

    @org.junit.jupiter.api.Test
    void roleLevelSettingsATenantPutOnTheSharedRoleAreRemovedBeforeAnyoneLogsInWithThem() throws Exception {
        String db = observer.getCatalog();
        as(tenant("thief", IsolationLevel.BASIC), () -> {
            try (Connection c = dataSource.getConnection()) {
                // every later session of the role in this database would start read-only: all tenants' writes fail
                exec(c, "ALTER ROLE CURRENT_USER IN DATABASE " + db + " SET default_transaction_read_only = on");
            }
            return null;
        });
        reported.clear();
        try (TenantDataSource fresh = IsolationFixture.builder(tenants, IsolationFixture.endpoint("us",
                com.enterprisehub.geo.core.market.DeploymentRegion.US_WEST, db)).protectTable("listings")
                .migrations(LISTINGS).maximumPoolSize(1).events(events()).build()) {
            as(tenant("victim", IsolationLevel.BASIC), () -> {
                try (Connection c = fresh.getConnection()) {           // new logins: the role is clean again
                    exec(c, "INSERT INTO listings (tenant_id, title) VALUES ('victim-basic', 'still writable')");
                }
                return null;
            });
        } finally {
            exec(observer, "ALTER ROLE " + PostgresFixture.APP_ROLE + " IN DATABASE " + db + " RESET ALL");
        }
        assertThat(reported).extracting(SecurityEvent::kind).contains("role-changed");
        assertThat(first(observer, "SELECT count(*) FROM pg_db_role_setting WHERE setrole = '"
                + PostgresFixture.APP_ROLE + "'::regrole")).isEqualTo("0");
    }

    @org.junit.jupiter.api.Test
    void aPasswordATenantChangedOnTheSharedRoleIsReportedWithItsCause() throws Exception {
        as(tenant("thief", IsolationLevel.BASIC), () -> {
            try (Connection c = dataSource.getConnection()) {
                exec(c, "ALTER ROLE CURRENT_USER PASSWORD 'locked-out'");
            }
            return null;
        });
        reported.clear();
        try {
            assertThatThrownBy(() -> IsolationFixture.builder(tenants, IsolationFixture.endpoint("us",
                    com.enterprisehub.geo.core.market.DeploymentRegion.US_WEST, observer.getCatalog()))
                    .protectTable("listings").migrations(LISTINGS).events(events()).build())
                    .isInstanceOf(IsolationException.class).hasMessageContaining("password");
            assertThat(reported).extracting(SecurityEvent::kind).contains("login-refused");
        } finally {
            exec(observer, "ALTER ROLE " + PostgresFixture.APP_ROLE + " PASSWORD 'app'");
        }
    }

    private static com.enterprisehub.geo.core.event.PlatformEvents events() {
        com.enterprisehub.geo.core.event.PlatformEvents events = com.enterprisehub.geo.core.event.PlatformEvents.create();
        events.subscribe(e -> {
            if (e instanceof SecurityEvent se) {
                reported.add(se);
            }
        });
        return events;
    }

    @ParameterizedTest
    @EnumSource(names = {"BASIC", "ENHANCED"})
    void sessionChangingSqlIsReportedOnceAtTheHandOverNamingTheTenantThatRanIt(IsolationLevel level)
            throws Exception {
        victimLeaves(level);                                    // harmless SQL: nothing to report
        as(tenant("thief", level), () -> {
            try (Connection c = dataSource.getConnection()) {
                exec(c, "SET search_path = public");              // the thief changes its session
                exec(c, "SELECT set_config('application_name', 'x', false)");
            }
            return null;
        });
        reported.clear();
        victimLeaves(level);
        assertThat(reported).extracting(SecurityEvent::kind, SecurityEvent::tenant).containsExactly(
                org.assertj.core.groups.Tuple.tuple("session-reset", tenant("thief", level).id().value()));
        assertThat(reported.get(0).detail()).contains("endpoint 'us'").doesNotContain("search_path = public");
        reported.clear();
        victimLeaves(level);
        assertThat(reported).as("a clean hand-over reports nothing").isEmpty();
    }

    private static Tenant tenant(String role, IsolationLevel level) {
        return tenants.require(com.enterprisehub.geo.core.tenant.TenantId.of(role + "-"
                + level.name().toLowerCase(java.util.Locale.ROOT)));
    }

    /** The victim borrows, leaves {@code setUp} behind, returns the connection; the thief borrows next. */
    private static void victimLeaves(IsolationLevel level, String... setUp) throws SQLException {
        as(tenant("victim", level), () -> {
            try (Connection c = dataSource.getConnection()) {
                exec(c, "INSERT INTO listings (tenant_id, title) VALUES ('" + tenant("victim", level).id()
                        + "', 'victim secret')");
                for (String sql : setUp) {
                    exec(c, sql);
                }
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(names = {"BASIC", "ENHANCED"})
    void aCursorWithHoldIsClosedBeforeTheNextTenantGetsTheSession(IsolationLevel level) throws Exception {
        victimLeaves(level, "DECLARE loot CURSOR WITH HOLD FOR SELECT title FROM listings");
        as(tenant("thief", level), () -> {
            try (Connection c = dataSource.getConnection()) {
                assertThat(column(c, "SELECT name FROM pg_cursors WHERE name IS NOT NULL AND name <> ''")).isEmpty();
                assertThatThrownBy(() -> column(c, "FETCH ALL FROM loot")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("does not exist");
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(names = {"BASIC", "ENHANCED"})
    void stateTheScannerDidNotFlagIsFoundOnTheServerAtTheSwitchAndReported(IsolationLevel level) throws Exception {
        // DECLARE does not change settings, so the SQL scanner lets it pass; the switch finds the cursor itself.
        victimLeaves(level);
        reported.clear();
        victimLeaves(level, "DECLARE stash CURSOR WITH HOLD FOR SELECT title FROM listings");
        as(tenant("thief", level), () -> {
            try (Connection c = dataSource.getConnection()) {
                assertThat(column(c, "SELECT name FROM pg_cursors WHERE name IS NOT NULL AND name <> ''")).isEmpty();
            }
            return null;
        });
        assertThat(reported).extracting(SecurityEvent::kind, SecurityEvent::tenant).containsExactly(
                org.assertj.core.groups.Tuple.tuple("session-state", tenant("victim", level).id().value()));
        assertThat(reported.get(0).detail()).contains("open cursors").contains("endpoint 'us'");
        reported.clear();
        victimLeaves(level);
        assertThat(reported).as("a clean switch finds and reports nothing").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(names = {"BASIC", "ENHANCED"})
    void listenRegistrationsAndAdvisoryLocksEndWithTheBorrow(IsolationLevel level) throws Exception {
        victimLeaves(level, "LISTEN victim_channel", "SELECT pg_advisory_lock(4242)");
        as(tenant("thief", level), () -> {
            try (Connection c = dataSource.getConnection()) {
                assertThat(column(c, "SELECT pg_listening_channels()")).isEmpty();
                // pg_locks is the administrator's (see otherTenantsSessions...): asked through the observer
                assertThat(first(observer, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND objid = 4242")).isEqualTo("0");
            }
            return null;
        });
        // and the lock is free for everyone else, not held on by a pooled session nobody uses
        assertThat(first(observer, "SELECT pg_try_advisory_lock(4242)")).isEqualTo("t");
        exec(observer, "SELECT pg_advisory_unlock(4242)");
    }

    @ParameterizedTest
    @EnumSource(names = {"BASIC", "ENHANCED"})
    void largeObjectsWhichRowLevelSecurityDoesNotCoverAreRefusedToTenantSessions(IsolationLevel level)
            throws Exception {
        long victims;
        try (Connection admin = PostgresFixture.admin(observer.getCatalog())) {
            victims = Long.parseLong(first(admin, "SELECT lo_from_bytea(0, 'a victim''s scanned contract'::bytea)"));
        }
        as(tenant("thief", level), () -> {
            try (Connection c = dataSource.getConnection()) {
                for (String sql : List.of("SELECT lo_get(" + victims + ")", "SELECT lo_unlink(" + victims + ")",
                        "SELECT lo_from_bytea(0, 'x'::bytea)", "SELECT lo_create(0)")) {
                    assertThatThrownBy(() -> first(c, sql)).as(sql).isInstanceOf(SQLException.class)
                            .hasMessageContaining("permission denied");
                }
                // pgjdbc's LargeObjectManager needs the driver's connection, which a tenant connection never hands out
                assertThatThrownBy(() -> c.unwrap(org.postgresql.PGConnection.class))
                        .isInstanceOf(SQLException.class).hasMessageContaining("does not unwrap");
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(names = {"BASIC", "ENHANCED"})
    void otherTenantsSessionsTheirSqlTextLocksAndBackendsAreOutOfReach(IsolationLevel level) throws Exception {
        // Another session of the shared application role (the pool's other connections are such sessions), whose
        // last statement carried a literal; this test's pool has one connection, so it is opened directly.
        Connection victim = java.sql.DriverManager.getConnection(PostgresFixture.jdbcUrl(observer.getCatalog()),
                PostgresFixture.APP_ROLE, "app");
        try {
            first(victim, "SELECT 'victim-secret-literal-4711'");
            String victimPid = first(observer, "SELECT pid FROM pg_stat_activity WHERE query LIKE"
                    + " '%victim-secret-literal-4711%' AND pid <> pg_backend_pid()");
            assertThat(victimPid).as("the observer (administrator) sees the victim's session").isNotNull();
            as(tenant("thief", level), () -> {
                try (Connection c = dataSource.getConnection()) {
                    for (String sql : List.of("SELECT query FROM pg_stat_activity",
                            "SELECT pg_stat_get_backend_activity(b) FROM pg_stat_get_backend_idset() b",
                            "SELECT a.query FROM pg_stat_get_activity(NULL) a",
                            "SELECT count(*) FROM pg_locks",
                            "SELECT pg_blocking_pids(" + victimPid + ")",
                            "SELECT pg_cancel_backend(" + victimPid + ")",
                            "SELECT pg_terminate_backend(" + victimPid + ")")) {
                        assertThatThrownBy(() -> first(c, sql)).as(sql).isInstanceOf(SQLException.class)
                                .hasMessageContaining("permission denied");
                    }
                }
                return null;
            });
            assertThat(victim.isValid(2)).as("the victim's session was not terminated").isTrue();
        } finally {
            victim.close();
        }
    }

    @org.junit.jupiter.api.Test
    void aBorrowedRoleCannotReadOrResetAnotherEnhancedTenantsSequence() throws Exception {
        victimLeaves(IsolationLevel.ENHANCED);
        String victim = dataSource.placement(tenant("victim", IsolationLevel.ENHANCED).id()).orElseThrow().location();
        String sequence = victim + ".listings_id_seq";
        as(tenant("thief", IsolationLevel.ENHANCED), () -> {
            try (Connection c = dataSource.getConnection()) {
                exec(c, "SET ROLE " + victim);   // the application role is a member of every tenant role
                assertThatThrownBy(() -> first(c, "SELECT last_value FROM " + sequence)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> first(c, "SELECT setval('" + sequence + "', 1)"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
            return null;
        });
        victimLeaves(IsolationLevel.ENHANCED);   // the victim's own inserts still draw from its sequence
        assertThat(first(observer, "SELECT count(*) FROM " + victim + ".listings")).isNotEqualTo("0");
    }

    @ParameterizedTest
    @EnumSource(names = {"BASIC", "ENHANCED"})
    void lastvalOfTheVictimIsNotTheThiefs(IsolationLevel level) throws Exception {
        victimLeaves(level);
        as(tenant("thief", level), () -> {
            try (Connection c = dataSource.getConnection()) {
                assertThatThrownBy(() -> first(c, "SELECT lastval()")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("lastval is not yet defined");
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(names = {"BASIC", "ENHANCED"})
    void statementsPreparedWithSqlAreDeallocatedAndTheDriversKeepWorking(IsolationLevel level) throws Exception {
        as(tenant("victim", level), () -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.addBatch("PREPARE victim_plan AS SELECT title FROM listings");   // unseen by the scanner
                s.executeBatch();
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM listings WHERE id > ?")) {
                    for (int i = 0; i < 6; i++) {                                      // server-prepared by now
                        ps.setLong(1, i);
                        ps.executeQuery().close();
                    }
                }
            }
            return null;
        });
        as(tenant("thief", level), () -> {
            try (Connection c = dataSource.getConnection()) {
                assertThat(column(c, "SELECT name FROM pg_prepared_statements WHERE from_sql")).isEmpty();
                assertThatThrownBy(() -> column(c, "EXECUTE victim_plan")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("does not exist");
            }
            return null;
        });
        as(tenant("victim", level), () -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM listings WHERE id > ?")) {
                ps.setLong(1, 0);
                try (var rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
            }
            return null;
        });
    }
}
