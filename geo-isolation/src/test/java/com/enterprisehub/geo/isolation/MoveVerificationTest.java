package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.internal.MoveJournal;
import com.enterprisehub.geo.isolation.internal.MoveJournal.Step;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A move's verification hashes rows on both sides: values that are equal but hash differently in two databases (an
 * enum's label has a different OID in each) must verify, and values that differ but compare equal under the column's
 * collation (a case-insensitive one) must not; an enum type of a tenant's schema is the shared tables' enum. And a
 * paced move ({@code moveNiceRatio}) copies in several statements of one transaction and erases a shared-table source
 * in batches, children before the parents they reference, and nothing of another tenant.
 */
class MoveVerificationTest {
    private static final String TYPES = "CREATE TYPE mood AS ENUM ('calm', 'busy');"
            + " CREATE TYPE spot AS (city text, m mood);"
            + " CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);";
    private static final String COLUMNS = "mood mood, label text COLLATE nocase, tags text[], price numeric(12,2),"
            + " rating float8, spot spot";

    private static String db;
    private static TenantCatalog tenants;
    private static TenantDataSource ds;

    @BeforeAll
    static void start() throws Exception {
        db = PostgresFixture.newDatabase("verify");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, TYPES + " CREATE TABLE tagged (tenant_id text NOT NULL, id int NOT NULL, " + COLUMNS
                    + ", PRIMARY KEY (tenant_id, id))");
            exec(c, "CREATE TABLE agencies (tenant_id text NOT NULL, id int NOT NULL, name text,"
                    + " PRIMARY KEY (tenant_id, id));"
                    + " ALTER TABLE agencies ADD COLUMN parent_id int, ADD FOREIGN KEY (tenant_id, parent_id)"
                    + " REFERENCES agencies;"
                    + " CREATE TABLE agents (tenant_id text NOT NULL, id int NOT NULL, agency_id int NOT NULL,"
                    + " PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, agency_id) REFERENCES agencies)");
        }
        tenants = InMemoryTenantCatalog.create();
        ds = IsolationFixture.builder(tenants, IsolationFixture.endpoint("main", DeploymentRegion.US_WEST, db))
                .migrations(SchemaMigrations.of(List.of(new Migration(1, "tagged",
                        TYPES + " CREATE TABLE tagged (id int PRIMARY KEY, " + COLUMNS + ");"
                                + " CREATE TABLE agencies (id int PRIMARY KEY, name text, parent_id int REFERENCES agencies);"
                                + " CREATE TABLE agents (id int PRIMARY KEY, agency_id int NOT NULL REFERENCES agencies)"
                ))))
                .protectTable("tagged").protectTable("agencies").protectTable("agents").moveNiceRatio(0.5)
                .maximumPoolSize(4).build();
    }

    @AfterAll
    static void stop() {
        ds.close();
    }

    @Test
    void enumValuesVerifyBetweenDatabasesAndACaseChangeHiddenByTheCollationIsCaught() throws Exception {
        Tenant t = TenantWork.active(tenants, "tagger", "us-ca", IsolationLevel.BASIC);
        ds.provision(t.id());
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "INSERT INTO tagged SELECT 'tagger', g, CASE WHEN g % 2 = 0 THEN 'calm' ELSE 'busy' END::mood,"
                    + " 'label ' || g, ARRAY['a', 'b'], g, NULL FROM generate_series(1, 50) g");
        }
        // the target's table upper-cases every label it receives (a trigger that fires even while copying): the
        // rows differ, though under the column's collation 'label 1' = 'LABEL 1'
        beforeTheCopyOnTheTarget("tagger", "CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " NEW.label := upper(NEW.label); RETURN NEW; END $$;"
                + " CREATE TRIGGER shout BEFORE INSERT ON tagged FOR EACH ROW EXECUTE FUNCTION shout();"
                + " ALTER TABLE tagged ENABLE ALWAYS TRIGGER shout");
        assertThatThrownBy(() -> ds.move(t.id(), IsolationLevel.MAXIMUM, "main"))
                .isInstanceOf(IsolationException.class).hasMessageContaining("does not verify")
                .hasMessageContaining("tagged");
        assertThat(ds.placement(t.id()).orElseThrow().level()).isEqualTo(IsolationLevel.BASIC);

        // the target turns a NULL rating into 0 (a field's NULL and a float's 0 hash alike in a row's hash)
        try (Connection control = ds.controlPlaneConnection("main")) {
            String target = MoveJournal.find(control, "tagger").orElseThrow().targetLocation();
            try (Connection admin = PostgresFixture.admin(target)) {
                exec(admin, "CREATE OR REPLACE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " NEW.rating := coalesce(NEW.rating, 0); RETURN NEW; END $$");
            }
        }
        assertThatThrownBy(() -> ds.move(t.id(), IsolationLevel.MAXIMUM, "main"))
                .isInstanceOf(IsolationException.class).hasMessageContaining("does not verify");

        // without the trigger the same move verifies: equal enum labels hash alike although their OIDs differ
        try (Connection control = ds.controlPlaneConnection("main")) {
            String target = MoveJournal.find(control, "tagger").orElseThrow().targetLocation();
            try (Connection admin = PostgresFixture.admin(target)) {
                exec(admin, "DROP TRIGGER shout ON tagged");
                assertThat(first(admin, "SELECT (SELECT oid FROM pg_enum WHERE enumtypid = 'public.mood'::regtype"
                        + " AND enumlabel = 'calm')::text"))
                        .as("the precondition: the label's OID differs between the databases")
                        .isNotEqualTo(oidOfCalm());
            }
        }
        MoveResult moved = ds.move(t.id(), IsolationLevel.MAXIMUM, "main");
        assertThat(moved.rows()).containsEntry("tagged", 50L);
        TenantPlacement now = ds.placement(t.id()).orElseThrow();
        assertThat(now.level()).isEqualTo(IsolationLevel.MAXIMUM);
        try (Connection admin = PostgresFixture.admin(now.location())) {
            assertThat(first(admin, "SELECT count(*) FROM tagged WHERE label = 'label ' || id AND label::bytea"
                    + " = convert_to('label ' || id, 'UTF8') AND mood = CASE WHEN id % 2 = 0 THEN 'calm' ELSE 'busy'"
                    + " END::mood AND tags = ARRAY['a', 'b'] AND price = id AND rating IS NULL")).isEqualTo("50");
        }
    }

    @Test
    void aPacedMoveErasesItsSharedSourceInBatchesChildrenFirstSelfReferencesTooAndNoOtherTenantsRow() throws Exception {
        Tenant mover = TenantWork.active(tenants, "agency-mover", "us-ca", IsolationLevel.BASIC);
        Tenant stays = TenantWork.active(tenants, "agency-stays", "us-ca", IsolationLevel.BASIC);
        ds.provision(mover.id());
        ds.provision(stays.id());
        try (Connection admin = PostgresFixture.admin(db)) {
            for (String tenant : List.of("agency-mover", "agency-stays")) {
                // more rows than one erase statement deletes; agencies come first by name, and are referenced; each
                // agency's parent is the one before it, so a batch's last row is referenced from outside the batch
                exec(admin, "INSERT INTO agencies SELECT '" + tenant + "', g, 'agency ' || g, nullif(g - 1, 0)"
                        + " FROM generate_series(1, 12000) g;"
                        + " INSERT INTO agents SELECT '" + tenant + "', g, g FROM generate_series(1, 12000) g");
            }
        }
        MoveResult moved = ds.move(mover.id(), IsolationLevel.MAXIMUM, "main");
        assertThat(moved.rows()).containsEntry("agencies", 12000L).containsEntry("agents", 12000L);
        String target = ds.placement(mover.id()).orElseThrow().location();
        try (Connection admin = PostgresFixture.admin(db)) {
            assertThat(first(admin, "SELECT (SELECT count(*) FROM public.agencies WHERE tenant_id = 'agency-mover')"
                    + " + (SELECT count(*) FROM public.agents WHERE tenant_id = 'agency-mover')"))
                    .as("the source erased").isEqualTo("0");
            assertThat(first(admin, "SELECT (SELECT count(*) FROM public.agencies WHERE tenant_id = 'agency-stays')"
                    + " + (SELECT count(*) FROM public.agents WHERE tenant_id = 'agency-stays')"))
                    .as("the other tenant's rows untouched").isEqualTo("24000");
        }
        try (Connection admin = PostgresFixture.admin(target)) {
            assertThat(first(admin, "SELECT count(*) FROM agents a JOIN agencies g ON g.id = a.agency_id"))
                    .isEqualTo("12000");
        }
    }

    @Test
    void enumAndCompositeColumnsMoveIntoATenantSchemaAndBack() throws Exception {
        Tenant t = TenantWork.active(tenants, "enum-schema", "us-ca", IsolationLevel.BASIC);
        ds.provision(t.id());
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "INSERT INTO tagged SELECT 'enum-schema', g, CASE WHEN g % 2 = 0 THEN 'calm' ELSE 'busy'"
                    + " END::mood, 'label ' || g, NULL, g, NULL, ROW('city ' || g, 'calm')::spot"
                    + " FROM generate_series(1, 30) g");
        }
        // the tenant's schema has its own types mood and spot (a field of type mood), which the catalog shows
        // qualified with that schema
        assertThat(ds.move(t.id(), IsolationLevel.ENHANCED, "main").rows()).containsEntry("tagged", 30L);
        assertThat(ds.placement(t.id()).orElseThrow().level()).isEqualTo(IsolationLevel.ENHANCED);
        assertThat(ds.move(t.id(), IsolationLevel.BASIC, "main").rows()).containsEntry("tagged", 30L);
        try (Connection admin = PostgresFixture.admin(db)) {
            assertThat(first(admin, "SELECT count(*) FROM tagged WHERE tenant_id = 'enum-schema' AND mood = CASE"
                    + " WHEN id % 2 = 0 THEN 'calm' ELSE 'busy' END::mood AND (spot).city = 'city ' || id"
                    + " AND (spot).m = 'calm'")).isEqualTo("30");
        }
    }

    @Test
    void anEnumOfTheSameNameWithOtherLabelsIsRefused() throws Exception {
        Tenant t = TenantWork.active(tenants, "enum-labels", "us-ca", IsolationLevel.BASIC);
        ds.provision(t.id());
        // the target's mood sorts another label first: 'angry' < 'calm' there, not on the source; copied as text and
        // hashed by its text, every value would verify
        beforeTheCopyOnTheTarget("enum-labels", "ALTER TYPE mood ADD VALUE 'angry' BEFORE 'calm'");
        assertThatThrownBy(() -> ds.move(t.id(), IsolationLevel.MAXIMUM, "main"))
                .isInstanceOf(IsolationException.class).hasMessageContaining("cannot be moved")
                .hasMessageContaining("'angry'");
        assertThat(ds.placement(t.id()).orElseThrow().level()).isEqualTo(IsolationLevel.BASIC);
        ds.cancelMove(t.id());
    }

    @Test
    void aPacedCopySendsItsRowsInSeveralCopyStatementsOfOneTransaction() throws Exception {
        Tenant t = TenantWork.active(tenants, "paced-copy", "us-ca", IsolationLevel.BASIC);
        ds.provision(t.id());
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "INSERT INTO tagged SELECT 'paced-copy', g, 'calm', repeat('label ', 20) || g, ARRAY['a'], g,"
                    + " g / 3.0 FROM generate_series(1, 100000) g");
        }
        MoveResult moved = ds.move(t.id(), IsolationLevel.MAXIMUM, "main");
        assertThat(moved.rows()).containsEntry("tagged", 100000L);
        try (Connection admin = PostgresFixture.admin(ds.placement(t.id()).orElseThrow().location())) {
            // each COPY statement of a transaction stamps its rows with its own command id (cmin): the copy ended
            // its COPY before each sleep, so that the target did not go on working through it, and began another
            assertThat(Long.parseLong(first(admin, "SELECT count(DISTINCT cmin::text) FROM tagged")))
                    .as("COPY statements").isGreaterThan(1);
            assertThat(first(admin, "SELECT count(DISTINCT xmin::text) || ' ' || count(*) || ' ' || sum(id)"
                    + " FROM tagged")).as("one transaction, every row once").isEqualTo("1 100000 5000050000");
        }
    }

    @Test
    void aPacedCopyThatTheTargetRefusesMidStreamFailsTheMoveInsteadOfHanging() throws Exception {
        Tenant t = TenantWork.active(tenants, "paced-refused", "us-ca", IsolationLevel.BASIC);
        ds.provision(t.id());
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "INSERT INTO tagged SELECT 'paced-refused', g, 'calm', repeat('label ', 20) || g, NULL, g, NULL"
                    + " FROM generate_series(1, 100000) g");
        }
        // the target refuses a row far into the stream: the error comes at one of the paced copy's COPY ends while
        // the source is still sending (the mover hung in the source's rollback before it read the source's COPY out)
        beforeTheCopyOnTheTarget("paced-refused", "ALTER TABLE tagged ADD CONSTRAINT below_90000 CHECK (id <= 90000)");
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(
                () -> ds.move(t.id(), IsolationLevel.MAXIMUM, "main")).hasMessageContaining("below_90000"));
        assertThat(ds.placement(t.id()).orElseThrow().level()).isEqualTo(IsolationLevel.BASIC);
        try (Connection control = ds.controlPlaneConnection("main")) {
            String target = MoveJournal.find(control, "paced-refused").orElseThrow().targetLocation();
            try (Connection admin = PostgresFixture.admin(target)) {
                exec(admin, "ALTER TABLE tagged DROP CONSTRAINT below_90000");
            }
        }
        assertThat(ds.move(t.id(), IsolationLevel.MAXIMUM, "main").rows()).containsEntry("tagged", 100000L);
    }

    /** Just before the tenant's snapshot copy, runs {@code sql} in the move's target database. */
    private static void beforeTheCopyOnTheTarget(String tenant, String sql) {
        ds.moveJournal().runBefore(Step.COPIED, () -> {
            try (Connection control = ds.controlPlaneConnection("main")) {
                String target = MoveJournal.find(control, tenant).orElseThrow().targetLocation();
                try (Connection admin = PostgresFixture.admin(target)) {
                    exec(admin, sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String oidOfCalm() throws SQLException {
        try (Connection admin = PostgresFixture.admin(db)) {
            return first(admin, "SELECT (SELECT oid FROM pg_enum WHERE enumtypid = 'public.mood'::regtype"
                        + " AND enumlabel = 'calm')::text");
        }
    }
}
