package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.column;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.MigrationResult;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ENHANCED: a schema and a role per tenant, the verified binding as defence in depth. */
class EnhancedIsolationTest {
    private static final Migration V1 = new Migration(1, "listings",
            "CREATE TABLE listings (id bigserial PRIMARY KEY, title text NOT NULL, price numeric)");
    /** Fails for the schemas listed in public.migration_blockers, as a migration can fail for one tenant. */
    private static final Migration V2 = new Migration(2, "floor area",
            "DO $$ BEGIN IF EXISTS (SELECT 1 FROM public.migration_blockers b WHERE b.schema_name = current_schema())"
                    + " THEN RAISE EXCEPTION 'blocked for %', current_schema(); END IF; END $$;"
                    + " ALTER TABLE listings ADD COLUMN sqft integer");

    private static String db;
    private static DatabaseEndpoint endpoint;
    private static RoundTripCounter counter;
    private static TenantCatalog tenants;
    private static TenantDataSource dataSource;
    private static Tenant harbor;
    private static Tenant summit;
    private static Tenant plain;

    @BeforeAll
    static void start() throws Exception {
        db = PostgresFixture.newDatabase("enhanced");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL,"
                    + " price numeric)");
            exec(c, "CREATE TABLE migration_blockers (schema_name text PRIMARY KEY)");
        }
        counter = new RoundTripCounter(PostgresFixture.server().getPort());
        endpoint = new DatabaseEndpoint("us-shared", DeploymentRegion.US_WEST,
                "jdbc:postgresql://localhost:" + counter.port() + "/" + db, new Credentials("postgres", "postgres"),
                new Credentials(PostgresFixture.APP_ROLE, "app"));
        tenants = InMemoryTenantCatalog.create();
        harbor = TenantWork.active(tenants, "harbor", "us-ca", IsolationLevel.ENHANCED);
        summit = TenantWork.active(tenants, "summit", "us-ny", IsolationLevel.ENHANCED);
        plain = TenantWork.active(tenants, "plain", "us-ca", IsolationLevel.BASIC);
        dataSource = builder(List.of(V1)).build();
        for (Tenant t : List.of(harbor, summit, plain)) {
            dataSource.provision(t.id());
        }
        insert(harbor, 3);
        insert(summit, 2);
        insert(plain, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        dataSource.close();
        counter.close();
    }

    private static TenantDataSource.Builder builder(List<Migration> migrations) {
        return IsolationFixture.builder(tenants, endpoint).protectTable("listings").maximumPoolSize(1)
                .maxConnectionsPerTenant(1).migrations(SchemaMigrations.of(migrations));
    }

    private static void insert(Tenant tenant, int rows) throws SQLException {
        as(tenant, () -> {
            try (Connection c = dataSource.getConnection()) {
                for (int i = 0; i < rows; i++) {
                    exec(c, "INSERT INTO listings (title, price) VALUES ('" + tenant.id() + " " + i + "', 100)");
                }
            }
            return null;
        });
    }

    private static String location(Tenant tenant) {
        return dataSource.placement(tenant.id()).orElseThrow().location();
    }

    private static long count(Tenant tenant, String sql) throws SQLException {
        return as(tenant, () -> {
            try (Connection c = dataSource.getConnection()) {
                return Long.parseLong(first(c, sql));
            }
        });
    }

    @Test
    void eachTenantWorksInItsOwnSchemaUnderItsOwnRole() throws Exception {
        // Opaque: the catalogs every session reads (pg_namespace, pg_roles) do not list the customers.
        assertThat(location(harbor)).matches("geo_t\\d+_[0-9a-f]{16}").doesNotContain("harbor");
        assertThat(count(harbor, "SELECT count(*) FROM listings")).isEqualTo(3);
        assertThat(count(summit, "SELECT count(*) FROM listings")).isEqualTo(2);
        assertThat(count(plain, "SELECT count(*) FROM listings")).isEqualTo(1); // BASIC: the shared table
        as(harbor, () -> {
            try (Connection c = dataSource.getConnection()) {
                assertThat(first(c, "SELECT current_user")).isEqualTo(location(harbor));
                assertThat(first(c, "SHOW search_path")).isEqualTo(location(harbor));
                assertThat(column(c, "SELECT title FROM listings")).allMatch(t -> t.startsWith("harbor "));
            }
            return null;
        });
    }

    @Test
    void sqlOnABorrowedConnectionCannotReachAnotherTenantsSchema() throws Exception {
        String theirs = location(summit);
        String mine = location(harbor);
        as(harbor, () -> {
            try (Connection c = dataSource.getConnection()) {
                // Their schema, by search_path or by name: this role has no right on it.
                assertThatThrownBy(() -> exec(c, "SET search_path = " + theirs + "; SELECT count(*) FROM listings"))
                        .isInstanceOf(SQLException.class); // their schema is skipped: "listings" does not exist
                exec(c, "SELECT set_config('search_path', '" + mine + "', false)");
                assertThatThrownBy(() -> first(c, "SELECT count(*) FROM " + theirs + ".listings"))
                        .hasMessageContaining("permission denied");
                // Their role (the application role may take it): the binding policy still shows nothing.
                exec(c, "SET ROLE " + theirs);
                assertThat(first(c, "SELECT count(*) FROM " + theirs + ".listings")).isEqualTo("0");
                assertThat(first(c, "WITH u AS (UPDATE " + theirs + ".listings SET price = 0 RETURNING 1)"
                        + " SELECT count(*) FROM u")).isEqualTo("0");
                assertThatThrownBy(() -> exec(c, "INSERT INTO " + theirs + ".listings (title) VALUES ('planted')"))
                        .hasMessageContaining("row-level security");
                // The bare application role has no right on any tenant schema (memberships do not inherit).
                exec(c, "RESET ROLE");
                assertThatThrownBy(() -> first(c, "SELECT count(*) FROM " + mine + ".listings"))
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> exec(c, "SELECT geo_control.bind('summit', 'guess', 'forged')"))
                        .hasMessageContaining("binding refused");
            }
            return null;
        });
        assertThat(count(summit, "SELECT count(*) FROM listings WHERE price = 100")).isEqualTo(2);
        assertThat(count(summit, "SELECT count(*) FROM listings WHERE title = 'planted'")).isZero();
    }

    @Test
    void theNextBorrowerGetsItsOwnRoleAndSchemaWhateverThePreviousOneDid() throws Exception {
        as(harbor, () -> {
            try (Connection c = dataSource.getConnection()) {
                exec(c, "SET ROLE " + location(summit));
                exec(c, "SELECT set_config('search_path', '" + location(summit) + "', false)");
                exec(c, "SET statement_timeout = 1");
                exec(c, "BEGIN");
            }
            return null;
        });
        as(summit, () -> {
            try (Connection c = dataSource.getConnection()) {
                assertThat(first(c, "SELECT current_user")).isEqualTo(location(summit));
                assertThat(first(c, "SHOW statement_timeout")).isEqualTo("0");
                assertThat(first(c, "SELECT count(*) FROM listings")).isEqualTo("2");
            }
            return null;
        });
        as(harbor, () -> {
            try (Connection c = dataSource.getConnection()) {
                // the same tenant again after tampering by itself: still its own role and schema
                exec(c, "SET ROLE " + location(summit));
            }
            try (Connection c = dataSource.getConnection()) {
                assertThat(first(c, "SELECT count(*) FROM listings")).isEqualTo("3");
            }
            return null;
        });
    }

    @Test
    void reborrowingSendsNothingAndSwitchingCostsOneRoundTrip() throws Exception {
        long repeat = roundTripsOfBorrowing(harbor, harbor);
        long switchSameShape = roundTripsOfBorrowing(harbor, summit);
        long switchOtherShape = roundTripsOfBorrowing(summit, plain);
        assertThat(repeat).isZero();
        assertThat(switchSameShape).isEqualTo(1);
        assertThat(switchOtherShape).as("the switch and DEALLOCATE ALL travel together").isEqualTo(1);
    }

    /** Round trips of one borrow by {@code second} right after one by {@code first} (pool of one). */
    private static long roundTripsOfBorrowing(Tenant firstTenant, Tenant second) throws SQLException {
        as(firstTenant, () -> {
            dataSource.getConnection().close();
            return null;
        });
        return as(second, () -> {
            long before = counter.roundTrips();
            dataSource.getConnection().close();
            return counter.roundTrips() - before;
        });
    }

    @Test
    void preparedStatementsStayCorrectWhenTenantsSchemasDiffer() throws Exception {
        // A new release adds V2; it fails for summit (blocked), so harbor is migrated and summit is not.
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "INSERT INTO migration_blockers VALUES ('" + location(summit) + "')");
        }
        try (TenantDataSource upgraded = builder(List.of(V1, V2)).build()) {
            List<MigrationResult> results = upgraded.migrateTenants(2);
            assertThat(results).extracting(MigrationResult::target).containsExactlyInAnyOrder("harbor", "summit");
            assertThat(results).filteredOn(r -> r.target().equals("harbor")).singleElement()
                    .satisfies(r -> assertThat(r.applied()).containsExactly(2));
            assertThat(results).filteredOn(r -> r.target().equals("summit")).singleElement()
                    .satisfies(r -> assertThat(r.failure()).get().asString().contains("blocked for"));

            // One pooled connection serves harbor (4 columns), summit (3) and plain (BASIC, 4 other ones), each
            // in a transaction, with the same SQL prepared on the server.
            assertThat(columnsInTransaction(upgraded, harbor)).isEqualTo(4);
            assertThat(columnsInTransaction(upgraded, summit)).isEqualTo(3);
            assertThat(columnsInTransaction(upgraded, harbor)).isEqualTo(4);
            assertThat(columnsInTransaction(upgraded, plain)).isEqualTo(4);
            assertThat(columnsInTransaction(upgraded, summit)).isEqualTo(3);

            // Re-running finishes what failed.
            try (Connection admin = PostgresFixture.admin(db)) {
                exec(admin, "DELETE FROM migration_blockers");
            }
            List<MigrationResult> again = upgraded.migrateTenants(2);
            assertThat(again).allMatch(MigrationResult::succeeded);
            assertThat(again).filteredOn(r -> r.target().equals("summit")).singleElement()
                    .satisfies(r -> assertThat(r.applied()).containsExactly(2));
            assertThat(columnsInTransaction(upgraded, summit)).isEqualTo(4);
        }
    }

    @Test
    void withoutDeallocationTheSameSwitchBreaksATransaction() throws Exception {
        // The control for the test above: on a plain connection, switching search_path between schemas whose
        // tables differ under a statement the server has prepared fails inside a transaction.
        String a = "geo_control_shape_a";
        String b = "geo_control_shape_b";
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "CREATE SCHEMA IF NOT EXISTS " + a + "; CREATE SCHEMA IF NOT EXISTS " + b + ";"
                    + " CREATE TABLE IF NOT EXISTS " + a + ".items (id int, name text, sqft int);"
                    + " CREATE TABLE IF NOT EXISTS " + b + ".items (id int, name text)");
            exec(admin, "SELECT set_config('search_path', '" + a + "', false)");
            admin.setAutoCommit(false);
            try (PreparedStatement ps = admin.prepareStatement("SELECT * FROM items")) {
                for (int i = 0; i < 6; i++) {
                    ps.executeQuery().close();
                }
                admin.commit();
                exec(admin, "SELECT set_config('search_path', '" + b + "', false)");
                assertThatThrownBy(() -> ps.executeQuery().close()).isInstanceOf(SQLException.class)
                        .hasMessageContaining("cached plan must not change result type");
                admin.rollback();
            } finally {
                admin.setAutoCommit(true);
                exec(admin, "DROP SCHEMA " + a + " CASCADE; DROP SCHEMA " + b + " CASCADE");
            }
        }
    }

    private static int columnsInTransaction(TenantDataSource source, Tenant tenant) throws SQLException {
        return as(tenant, () -> {
            try (Connection c = source.getConnection()) {
                c.setAutoCommit(false);
                int columns = 0;
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM listings ORDER BY id")) {
                    for (int i = 0; i < 6; i++) { // past pgjdbc's prepareThreshold: a server-side statement
                        try (ResultSet rs = ps.executeQuery()) {
                            columns = rs.getMetaData().getColumnCount();
                        }
                    }
                }
                c.commit();
                return columns;
            }
        });
    }

    @Test
    void aTenantWhoseProvisioningHasNotFinishedIsNeverRouted() throws Exception {
        Tenant stalled = TenantWork.active(tenants, "stalled", "us-ca", IsolationLevel.ENHANCED);
        try (Connection admin = PostgresFixture.admin(db)) {
            // the opaque name the tenant's schema will get (the binding key derives it from the id)
            String suffix = new com.enterprisehub.geo.isolation.internal.BindingTokens(IsolationFixture.TEST_KEY)
                    .locationSuffix("stalled");
            exec(admin, "INSERT INTO migration_blockers SELECT 'geo_t' || oid || '_" + suffix + "' FROM pg_database"
                    + " WHERE datname = current_database()");
        }
        try (TenantDataSource blocked = builder(List.of(V1, V2)).build()) {
            assertThatThrownBy(() -> blocked.provision(stalled.id())).isInstanceOf(IsolationException.class)
                    .hasMessageContaining("not routable");
            assertThat(blocked.placement(stalled.id())).isEmpty();
            assertThatThrownBy(() -> as(stalled, () -> blocked.getConnection())).isInstanceOf(SQLException.class)
                    .hasCauseInstanceOf(TenantNotPlacedException.class);
        } finally {
            try (Connection admin = PostgresFixture.admin(db)) {
                exec(admin, "DELETE FROM migration_blockers");
            }
        }
        // Defence in depth: should the pool believe a tenant routable while its placement says otherwise,
        // the database refuses the switch.
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "UPDATE geo_control.tenant_placement SET state = 'PROVISIONING' WHERE tenant = 'summit'");
            try {
                as(harbor, () -> {
                    dataSource.getConnection().close();
                    return null;
                });
                assertThatThrownBy(() -> as(summit, () -> dataSource.getConnection()))
                        .isInstanceOf(SQLException.class).hasMessageContaining("still being provisioned");
            } finally {
                exec(admin, "UPDATE geo_control.tenant_placement SET state = 'READY' WHERE tenant = 'summit'");
            }
        }
    }

    @Test
    void provisioningTwiceChangesNothing() throws Exception {
        String snapshot = "SELECT (SELECT count(*) FROM pg_policy) || '/' || (SELECT count(*) FROM pg_auth_members)"
                + " || '/' || (SELECT count(*) FROM pg_namespace) || '/' || (SELECT count(*) FROM pg_class)";
        try (Connection admin = PostgresFixture.admin(db)) {
            String before = first(admin, snapshot);
            TenantPlacement again = dataSource.provision(harbor.id());
            assertThat(again).isEqualTo(dataSource.placement(harbor.id()).orElseThrow());
            assertThat(first(admin, snapshot)).isEqualTo(before);
        }
    }

    @Test
    void theSelfCheckFindsTenantTablesOutsideThePolicyAndMigrateTenantsSecuresThem() throws Exception {
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "CREATE TABLE " + location(harbor) + ".notes (body text)");
            exec(admin, "CREATE VIEW " + location(harbor) + ".cheap AS SELECT * FROM " + location(harbor)
                    + ".listings WHERE price < 200");
        }
        assertThat(dataSource.selfCheck().get("us-shared")).extracting(SelfCheckException.Finding::problem)
                .anySatisfy(p -> assertThat(p).contains(".notes").contains("not protected"))
                .anySatisfy(p -> assertThat(p).contains(".cheap").contains("security_invoker"));
        assertThat(dataSource.migrateTenants(2)).allMatch(MigrationResult::succeeded);
        assertThat(dataSource.selfCheck().get("us-shared")).isEmpty();
        as(harbor, () -> {
            try (Connection c = dataSource.getConnection()) {
                exec(c, "INSERT INTO notes VALUES ('mine')");
                assertThat(first(c, "SELECT count(*) FROM cheap")).isEqualTo("3");
            }
            return null;
        });
    }

    @Test
    void offboardingExportsEveryRowThenDropsTheSchemaAndTheRole() throws Exception {
        Tenant gone = TenantWork.active(tenants, "gone", "us-ca", IsolationLevel.ENHANCED);
        dataSource.provision(gone.id());
        insert(gone, 4);
        String location = location(gone);
        StringWriter out = new StringWriter();
        Map<String, Long> exported = dataSource.export(gone.id(), out);
        assertThat(exported).containsEntry(location + ".listings", 4L);
        assertThat(out.toString().lines()).hasSize(4).allMatch(l -> l.contains("\"table\" : \"" + location
                + ".listings\"") || l.contains("\"table\":\"" + location + ".listings\""));
        tenants.transition(gone.id(), TenantState.OFFBOARDING);
        assertThat(dataSource.erase(gone.id())).containsEntry(location + ".listings", 4L);
        try (Connection admin = PostgresFixture.admin(db)) {
            assertThat(first(admin, "SELECT count(*) FROM pg_namespace WHERE nspname = '" + location + "'"))
                    .isEqualTo("0");
            assertThat(first(admin, "SELECT count(*) FROM pg_roles WHERE rolname = '" + location + "'")).isEqualTo("0");
            assertThat(first(admin, "SELECT count(*) FROM geo_control.tenant_placement WHERE tenant = 'gone'"))
                    .isEqualTo("0");
        }
        assertThat(dataSource.placement(gone.id())).isEmpty();
        assertThat(dataSource.selfCheck().get("us-shared")).isEmpty();
        assertThat(TenantId.of("gone")).isEqualTo(gone.id());
    }
}
