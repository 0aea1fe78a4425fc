package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.TenantSuspendedException;
import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.event.PlatformEvent;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BasicIsolationTest {
    private static final byte[] KEY = "an-example-binding-key-of-32-bytes!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final List<PlatformEvent> EVENTS = Collections.synchronizedList(new ArrayList<>());
    private static TenantCatalog tenants;
    private static TenantDataSource dataSource;
    private static RoundTripCounter counter;
    private static DatabaseEndpoint usEndpoint;
    private static Tenant acme;
    private static Tenant bayview;

    @BeforeAll
    static void start() throws Exception {
        String us = PostgresFixture.newDatabase("basic_us");
        String ca = PostgresFixture.newDatabase("basic_ca");
        for (String db : List.of(us, ca)) {
            try (Connection c = PostgresFixture.admin(db)) {
                exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL,"
                        + " price numeric)");
                exec(c, "CREATE TABLE currencies (code text PRIMARY KEY)"); // shared reference data: no tenant_id
                exec(c, "GRANT SELECT ON currencies TO " + PostgresFixture.APP_ROLE);
            }
        }
        counter = new RoundTripCounter(PostgresFixture.server().getPort());
        usEndpoint = new DatabaseEndpoint("us-shared", DeploymentRegion.US_EAST,
                "jdbc:postgresql://localhost:" + counter.port() + "/" + us, new Credentials("postgres", "postgres"),
                new Credentials(PostgresFixture.APP_ROLE, "app"));
        tenants = InMemoryTenantCatalog.create();
        acme = active("acme", "us-ca");
        bayview = active("bayview", "us-ny");
        active("maple", "ca");
        active("frozen", "us-ca");
        active("late", "us-ca");
        tenants.create(Tenant.builder("schema-co").market("us-ca").organization("Schema Co")
                .isolationLevel(IsolationLevel.REGULATORY).state(TenantState.ACTIVE).build());
        PlatformEvents events = PlatformEvents.create();
        events.subscribe(EVENTS::add);
        dataSource = TenantDataSource.builder().tenants(tenants).markets(MarketCatalog.defaults()).bindingKey(KEY)
                .endpoint(usEndpoint).endpoint(IsolationFixture.endpoint("ca-shared", DeploymentRegion.CANADA, ca))
                .protectTable("listings").maximumPoolSize(2).events(events).build();
        for (String id : List.of("acme", "bayview", "maple", "frozen")) {
            dataSource.provision(TenantId.of(id));
        }
        tenants.transition(TenantId.of("frozen"), TenantState.SUSPENDED);
        insert(acme, "Acme loft", 3);
        insert(bayview, "Bayview condo", 2);
    }

    @AfterAll
    static void stop() throws Exception {
        dataSource.close();
        counter.close();
    }

    @BeforeEach
    void clearEvents() {
        EVENTS.clear();
    }

    private static Tenant active(String id, String market) {
        return tenants.create(Tenant.builder(id).market(market).organization("Org " + id).state(TenantState.ACTIVE)
                .build());
    }

    private static void insert(Tenant tenant, String title, int count) throws SQLException {
        as(tenant, () -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO listings (title, price) VALUES (?, ?)")) {
                for (int i = 0; i < count; i++) {
                    ps.setString(1, title + " " + i);
                    ps.setInt(2, 100_000 + i);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private static <T> T as(Tenant tenant, Callable<T> work) throws SQLException {
        return TenantWork.as(tenant, work);
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        return TenantWork.column(c, sql);
    }

    // ---------- fail closed ----------

    @Test
    void withNoTenantBoundGetConnectionRefuses() {
        assertThatThrownBy(() -> dataSource.getConnection()).isInstanceOf(SQLException.class)
                .hasCauseInstanceOf(NoTenantBoundException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
    }

    @Test
    void unknownSuspendedAndUnprovisionedTenantsAreRefusedWithTheirCause() {
        Tenant ghost = Tenant.builder("ghost").market("us-ca").organization("Ghost").state(TenantState.ACTIVE).build();
        assertThatThrownBy(() -> as(ghost, dataSource::getConnection)).hasCauseInstanceOf(UnknownTenantException.class);
        Tenant frozen = tenants.require(TenantId.of("frozen"));
        assertThatThrownBy(() -> as(frozen, dataSource::getConnection))
                .hasCauseInstanceOf(TenantSuspendedException.class);
        Tenant late = tenants.require(TenantId.of("late"));
        assertThatThrownBy(() -> as(late, dataSource::getConnection))
                .hasCauseInstanceOf(TenantUnavailableException.class)
                .hasMessageContaining("not provisioned");
    }

    @Test
    void aSessionWithNoBindingSeesNoTenantRows() throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(
                PostgresFixture.jdbcUrl(dataSource.placement(acme.id()).map(p -> "x").isPresent()
                        ? dbOf("us-shared") : ""), PostgresFixture.APP_ROLE, "app")) {
            assertThat(column(c, "SELECT count(*) FROM listings")).containsExactly("0");
            assertThat(column(c, "SELECT geo_control.open_session() IS NOT NULL")).containsExactly("t");
            assertThat(column(c, "SELECT count(*) FROM listings")).containsExactly("0");
            assertThatThrownBy(() -> exec(c, "INSERT INTO listings (title) VALUES ('orphan')"))
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void aNewSessionNeverInheritsTheBindingADeadSessionWithItsPidLeft() throws Exception {
        // PostgreSQL reuses process ids, and binding rows outlive their sessions (a terminated or retired
        // connection leaves its row; an unlogged table survives a clean restart). Plant, for the next few
        // thousand pids (Linux hands them out in sequence), the row a dead session bound to acme would have
        // left; then log in new sessions of the application role: the login trigger removes each one's row.
        String url = PostgresFixture.jdbcUrl(dbOf("us-shared"));
        try (Connection admin = dataSource.controlPlaneConnection("us-shared")) {
            assertThat(sessionsOnPlantedPids(admin, url, true)).as("new sessions that landed on a planted pid")
                    .isPositive();
            // Control: with the login trigger off, such a session does inherit the planted binding.
            exec(admin, "ALTER EVENT TRIGGER geo_session_reset DISABLE");
            try {
                assertThatThrownBy(() -> sessionsOnPlantedPids(admin, url, true)).isInstanceOf(AssertionError.class)
                        .hasMessageContaining("inherited");
            } finally {
                exec(admin, "ALTER EVENT TRIGGER geo_session_reset ENABLE");
                exec(admin, "DELETE FROM geo_control.session_binding WHERE tenant = 'acme' AND bound_at IS NULL");
            }
        }
    }

    /** Plants stale acme bindings ahead of the pid sequence, logs in sessions, returns how many hit one. */
    private static int sessionsOnPlantedPids(Connection admin, String url, boolean expectClean) throws SQLException {
        int base;
        try (Connection probe = java.sql.DriverManager.getConnection(url, PostgresFixture.APP_ROLE, "app")) {
            base = Integer.parseInt(column(probe, "SELECT pg_backend_pid()").get(0));
        }
        exec(admin, "INSERT INTO geo_control.session_binding (pid, nonce_hash, tenant) SELECT g,"
                + " sha256('dead-nonce'::bytea), 'acme' FROM generate_series(" + (base + 1) + ", " + (base + 3000)
                + ") g ON CONFLICT (pid) DO NOTHING");
        int hits = 0;
        for (int i = 0; i < 10; i++) {
            try (Connection next = java.sql.DriverManager.getConnection(url, PostgresFixture.APP_ROLE, "app")) {
                int pid = Integer.parseInt(column(next, "SELECT pg_backend_pid()").get(0));
                if (pid > base && pid <= base + 3000) {
                    hits++;
                }
                List<String> seen = column(next, "SELECT count(*) FROM listings");
                if (!seen.equals(List.of("0"))) {
                    throw new AssertionError("session " + pid + " inherited a dead session's binding: " + seen);
                }
            }
        }
        return hits;
    }

    private static String dbOf(String endpoint) throws SQLException {
        try (Connection c = dataSource.controlPlaneConnection(endpoint)) {
            return column(c, "SELECT current_database()").get(0);
        }
    }

    // ---------- each tenant sees and writes only its own rows ----------

    @Test
    void eachTenantSeesOnlyItsOwnRowsAndNewRowsAreItsOwn() throws Exception {
        assertThat(as(acme, () -> {
            try (Connection c = dataSource.getConnection()) {
                return column(c, "SELECT DISTINCT tenant_id FROM listings");
            }
        })).containsExactly("acme");
        assertThat(as(bayview, () -> {
            try (Connection c = dataSource.getConnection()) {
                return column(c, "SELECT title FROM listings WHERE title LIKE 'Acme%'"); // a query naming another tenant's data
            }
        })).isEmpty();
        as(bayview, () -> {
            try (Connection c = dataSource.getConnection()) {
                assertThat(column(c, "INSERT INTO listings (title) VALUES ('Bayview new') RETURNING tenant_id"))
                        .containsExactly("bayview");
                assertThatThrownBy(() -> exec(c, "INSERT INTO listings (tenant_id, title) VALUES ('acme', 'planted')"))
                        .hasMessageContaining("row-level security");
                assertThatThrownBy(() -> exec(c, "UPDATE listings SET tenant_id = 'acme' WHERE title = 'Bayview new'"))
                        .hasMessageContaining("row-level security");
                assertThat(c.createStatement().executeUpdate("DELETE FROM listings WHERE tenant_id = 'acme'")).isZero();
                assertThat(c.createStatement().executeUpdate("UPDATE listings SET price = 1 WHERE tenant_id = 'acme'"))
                        .isZero();
                exec(c, "DELETE FROM listings WHERE title = 'Bayview new'");
            }
            return null;
        });
        assertThat(as(acme, () -> {
            try (Connection c = dataSource.getConnection()) {
                return column(c, "SELECT count(*) FROM listings WHERE price > 1");
            }
        })).containsExactly("3");
    }

    // ---------- tampering on a borrowed connection ----------

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT set_config('geo.tenant', 'bayview', false)",
        "SET app.tenant_id = 'bayview'",
        "SELECT geo_control.bind('bayview', current_setting('geo.nonce'), 'forged-token')",
        "SELECT geo_control.bind('bayview', current_setting('geo.nonce'), encode(geo_control.hmac('bayview:' || current_setting('geo.nonce'), 'guessed-key', 'sha256'), 'hex'))",
        "SELECT set_config('geo.nonce', 'a-guessed-nonce', false)",
        "SELECT nonce_hash FROM geo_control.session_binding",
        "SELECT geo_control.unbind()",
        "SELECT geo_control.open_session()",
        "SELECT pg_advisory_unlock_all()",
        "SET ROLE postgres",
        "SET SESSION AUTHORIZATION postgres",
        "RESET ALL",
        "DISCARD ALL",
        "SET search_path = geo_control, public",
        "SELECT key FROM geo_control.binding_key",
        "UPDATE geo_control.session_binding SET tenant = 'bayview'",
        "INSERT INTO geo_control.session_binding VALUES (0, 'n', 'bayview')",
        "CREATE TEMP TABLE listings (id bigint, tenant_id text, title text, price numeric)",
        "CREATE TABLE public.listings_shadow (id bigint)",
        "ALTER TABLE listings DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE listings NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY geo_tenant_isolation ON listings",
        "BEGIN",
    })
    void sqlThatTampersWithTheBindingNeverReachesAnotherTenant(String attack) throws Exception {
        as(acme, () -> {
            try (Connection c = dataSource.getConnection()) {
                try {
                    exec(c, attack);
                } catch (SQLException refused) {
                    // most attacks are refused outright; the others must have no effect on isolation
                }
                if (!c.getAutoCommit() || attack.equals("BEGIN")) {
                    c.createStatement().execute("ROLLBACK");
                }
                try {
                    assertThat(column(c, "SELECT count(*) FROM listings WHERE tenant_id <> 'acme'"))
                            .containsExactly("0");
                    assertThat(column(c, "SELECT count(*) FROM public.listings WHERE tenant_id = 'bayview'"))
                            .containsExactly("0");
                } catch (SQLException e) {
                    // e.g. the attack broke the session (DISCARD ALL): an error, not another tenant's rows
                }
            }
            return null;
        });
        // Whatever the previous borrower did, the next borrower of another tenant gets a clean session
        // (unqualified names resolve as configured) bound to its own tenant only; then acme again.
        for (Tenant next : List.of(bayview, acme)) {
            List<String> seen = as(next, () -> {
                try (Connection c = dataSource.getConnection()) {
                    return column(c, "SELECT DISTINCT tenant_id FROM listings");
                }
            });
            assertThat(seen).as("after '%s', %s sees", attack, next.id()).containsExactly(next.id().value());
        }
    }

    // ---------- hand-over ----------

    @Test
    void aTransactionLeftOpenByThePreviousBorrowerIsRolledBack() throws Exception {
        as(acme, () -> {
            Connection c = dataSource.getConnection();
            exec(c, "BEGIN");
            exec(c, "INSERT INTO listings (title) VALUES ('uncommitted')");
            c.close(); // returned with the transaction open: HikariCP does not know about a SQL-level BEGIN
            return null;
        });
        for (Tenant next : List.of(acme, bayview, acme)) {
            as(next, () -> {
                try (Connection c = dataSource.getConnection()) {
                    assertThat(column(c, "SELECT count(*) FROM listings WHERE title = 'uncommitted'"))
                            .containsExactly("0");
                    // SAVEPOINT is refused outside a transaction block: so none is open.
                    assertThatThrownBy(() -> exec(c, "SAVEPOINT probe")).isInstanceOf(SQLException.class)
                            .hasMessageContaining("transaction block");
                }
                return null;
            });
        }
    }

    @Test
    void aConnectionRefusesWorkOnceItsThreadServesAnotherTenant() throws Exception {
        as(acme, () -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                exec(c, "UPDATE listings SET price = price WHERE tenant_id = 'acme'");
                TenantContext.run(bayview, () -> assertThatThrownBy(() -> c.prepareStatement("SELECT 1"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("bound to tenant 'acme'")
                        .hasMessageContaining("'bayview'"));
                c.rollback();
            }
            return null;
        });
        Connection kept = as(acme, dataSource::getConnection);
        try {
            assertThatThrownBy(kept::createStatement).hasMessageContaining("no tenant");
        } finally {
            kept.close();
        }
    }

    @Test
    void reborrowingForTheSameTenantSendsNoExtraSqlAndSwitchingCostsOneRoundTrip() throws Exception {
        // A pool of one connection on the counted endpoint, so that which connection a borrower gets is certain.
        try (TenantDataSource single = TenantDataSource.builder().tenants(tenants).markets(MarketCatalog.defaults())
                .bindingKey(KEY).endpoint(usEndpoint).maximumPoolSize(1).build()) {
            String query = "SELECT count(*) FROM listings";
            measure(single, acme, query);                          // warm: bind the connection to acme
            long sameTenant = measure(single, acme, query);
            long switching = measure(single, bayview, query);
            long back = measure(single, acme, query);
            assertThat(sameTenant).as("round trips for borrow + query + return, same tenant").isEqualTo(1);
            assertThat(switching).as("round trips when the tenant switches").isEqualTo(2);
            assertThat(back).isEqualTo(2);
        }
    }

    /** Round trips for: borrow a warm pooled connection, run one query, return it. */
    private long measure(TenantDataSource source, Tenant tenant, String query) throws Exception {
        return as(tenant, () -> {
            long before = counter.roundTrips();
            try (Connection c = source.getConnection()) {
                column(c, query);
            }
            return counter.roundTrips() - before;
        });
    }

    @Test
    void aStatementPreparedBeforeATenantSwitchRefusesToRunAfterIt() throws Exception {
        as(acme, () -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM listings");
                    Statement plain = c.createStatement()) {
                assertThat(ps.getConnection()).isSameAs(c);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
                TenantContext.run(bayview, () -> {
                    assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class)
                            .hasMessageContaining("bound to tenant 'acme'");
                    assertThatThrownBy(() -> plain.executeQuery("SELECT 1")).isInstanceOf(SQLException.class);
                    assertThatThrownBy(plain::executeBatch).isInstanceOf(SQLException.class);
                });
                try (ResultSet rs = ps.executeQuery()) { // back in acme's scope: fine again
                    assertThat(rs.next()).isTrue();
                }
            }
            return null;
        });
    }

    @Test
    void theDriverConnectionUnderneathIsNotHandedOut() throws Exception {
        as(acme, () -> {
            try (Connection c = dataSource.getConnection()) {
                assertThat(c.isWrapperFor(org.postgresql.PGConnection.class)).isFalse();
                assertThatThrownBy(() -> c.unwrap(org.postgresql.PGConnection.class))
                        .isInstanceOf(SQLException.class).hasMessageContaining("serves other tenants");
                assertThat(c.unwrap(Connection.class)).isSameAs(c);
                // Nor through the metadata, which leads back to this connection only.
                java.sql.DatabaseMetaData metaData = c.getMetaData();
                assertThat(metaData.getConnection()).isSameAs(c);
                assertThat(metaData.getDatabaseProductName()).isEqualTo("PostgreSQL");
                assertThat(metaData.isWrapperFor(org.postgresql.jdbc.PgDatabaseMetaData.class)).isFalse();
                assertThatThrownBy(() -> metaData.unwrap(org.postgresql.jdbc.PgDatabaseMetaData.class))
                        .isInstanceOf(SQLException.class).hasMessageContaining("serves other tenants");
                try (java.sql.ResultSet tables = metaData.getTables(null, null, "listings", null)) {
                    assertThat(tables.next()).isTrue();
                    assertThat(tables.getStatement()).isNull();
                    assertThatThrownBy(() -> tables.unwrap(org.postgresql.jdbc.PgResultSet.class))
                            .isInstanceOf(SQLException.class).hasMessageContaining("serves other tenants");
                }
                // Nor through result sets: their statement is the tenant connection's, and they do not unwrap.
                try (PreparedStatement ps = c.prepareStatement("SELECT title FROM listings WHERE price > ?")) {
                    ps.setInt(1, 0);
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.getStatement()).isSameAs(ps);
                        assertThat(rs.getStatement().getConnection()).isSameAs(c);
                        assertThat(rs.isWrapperFor(org.postgresql.jdbc.PgResultSet.class)).isFalse();
                        assertThatThrownBy(() -> rs.unwrap(org.postgresql.jdbc.PgResultSet.class))
                                .isInstanceOf(SQLException.class).hasMessageContaining("serves other tenants");
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isNotEmpty();
                    }
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO listings (title) VALUES ('keys')",
                        java.sql.Statement.RETURN_GENERATED_KEYS)) {
                    insert.executeUpdate();
                    try (java.sql.ResultSet keys = insert.getGeneratedKeys()) {
                        assertThat(keys.getStatement().getConnection()).isSameAs(c);
                        assertThatThrownBy(() -> keys.unwrap(org.postgresql.jdbc.PgResultSet.class))
                                .isInstanceOf(SQLException.class);
                    }
                }
                // Arrays: their rows lead to no statement and do not unwrap; one we created goes back to the driver.
                try (PreparedStatement ps = c.prepareStatement("SELECT ARRAY['a', 'b']::text[], ?::text[]")) {
                    ps.setArray(1, c.createArrayOf("text", new Object[] {"x", "y"}));
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        for (java.sql.Array array : List.of(rs.getArray(1), (java.sql.Array) rs.getObject(1))) {
                            try (java.sql.ResultSet rows = array.getResultSet()) {
                                assertThat(rows.getStatement()).isNull();
                                assertThatThrownBy(() -> rows.unwrap(org.postgresql.jdbc.PgResultSet.class))
                                        .isInstanceOf(SQLException.class);
                                assertThat(rows.next()).isTrue();
                                assertThat(rows.getString(2)).isEqualTo("a");
                            }
                        }
                        assertThat((Object[]) rs.getArray(2).getArray()).containsExactly("x", "y");
                    }
                }
                c.setAutoCommit(false);
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("DECLARE geo_rows CURSOR FOR SELECT title FROM listings");
                    try (java.sql.ResultSet rs = s.executeQuery("SELECT 'geo_rows'::refcursor")) {
                        assertThat(rs.getStatement()).isSameAs(s);
                        assertThat(rs.next()).isTrue();
                        // a cursor read as a value is wrapped as well
                        java.sql.ResultSet cursor = (java.sql.ResultSet) rs.getObject(1);
                        assertThat(cursor.getStatement().getConnection()).isSameAs(c);
                        assertThatThrownBy(() -> cursor.unwrap(org.postgresql.jdbc.PgResultSet.class))
                                .isInstanceOf(SQLException.class);
                        assertThat(cursor.next()).isTrue();
                        cursor.close();
                    }
                }
                c.rollback();
            }
            return null;
        });
    }

    // ---------- bad tenant ids never reach SQL ----------

    @ParameterizedTest
    @ValueSource(strings = {"acme'; DROP TABLE listings; --", "acme\"", "pg_catalog", "public", "acme;",
        "\u0430cme", "a", "this-tenant-id-is-far-too-long-for-a-schema-name"})
    void aBadTenantIdIsRefusedBeforeAnySqlIsSent(String id) {
        long before = counter.roundTrips();
        assertThatThrownBy(() -> dataSource.provision(TenantId.of(id)))
                .isInstanceOf(com.enterprisehub.geo.core.GeoValidationException.class);
        assertThatThrownBy(() -> TenantContext.run(Tenant.builder(id).market("us-ca").organization("x").build(),
                () -> { })).isInstanceOf(com.enterprisehub.geo.core.GeoValidationException.class);
        assertThat(counter.roundTrips()).as("nothing was sent to the server").isEqualTo(before);
    }

    // ---------- placement and residency ----------

    @Test
    void aTenantIsNeverPlacedOutsideItsMarketsRegions() {
        TenantId maple = TenantId.of("maple");
        assertThat(dataSource.placement(maple)).map(TenantPlacement::endpoint).contains("ca-shared");
        assertThatThrownBy(() -> dataSource.provision(TenantId.of("late"), "ca-shared"))
                .isInstanceOf(ResidencyViolationException.class)
                .hasMessageContaining("CANADA").hasMessageContaining("us-ca");
        assertThat(EVENTS).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("security.residency-violation");
            assertThat(((SecurityEvent) e).tenant()).isEqualTo("late");
        });
        assertThat(dataSource.placement(TenantId.of("late"))).isEmpty();
    }

    @Test
    void provisioningIsIdempotentAndARegulatoryTenantNeedsItsDedicatedServer() {
        TenantPlacement again = dataSource.provision(acme.id());
        assertThat(again).isEqualTo(dataSource.placement(acme.id()).orElseThrow());
        assertThat(again.location()).isEmpty();
        assertThatThrownBy(() -> dataSource.provision(TenantId.of("schema-co")))
                .isInstanceOf(IsolationException.class).hasMessageContaining("REGULATORY")
                .hasMessageContaining("DedicatedServer");
    }

    // ---------- the policy is efficient ----------

    @Test
    void thePolicyReadsTheBindingOncePerStatementAndUsesTheTenantIndex() throws Exception {
        List<String> plan = as(acme, () -> {
            try (Connection c = dataSource.getConnection()) {
                exec(c, "SET enable_seqscan = off");
                List<String> lines = column(c, "EXPLAIN SELECT * FROM listings WHERE price > 0");
                exec(c, "RESET enable_seqscan");
                return lines;
            }
        });
        String text = String.join("\n", plan);
        assertThat(text).contains("InitPlan 1").doesNotContain("InitPlan 3")
                .contains("session_binding_pkey").contains("listings_tenant_id_idx");
        assertThat(text).doesNotContain("SubPlan");
    }
}
