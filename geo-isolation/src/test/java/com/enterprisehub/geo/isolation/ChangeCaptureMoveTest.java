package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.internal.ChangeCapture;
import com.enterprisehub.geo.isolation.internal.MoveJournal.Step;
import com.enterprisehub.geo.isolation.internal.TenantCopy;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A move's change capture: the freeze replaces only the rows changed since the last catch-up pass, so updates,
 * deletes and key changes made during the move must arrive (not only inserts), and whatever the capture triggers
 * cannot see must make the freeze compare the whole tenant instead.
 */
class ChangeCaptureMoveTest {
    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "listings",
            "CREATE TABLE listings (id bigint PRIMARY KEY, title text NOT NULL, price numeric(12,2));"
                    + " CREATE TABLE showings (at timestamptz PRIMARY KEY, visitors integer NOT NULL)"));

    private static String db;
    private static TenantCatalog tenants;
    private static TenantDataSource ds;

    @BeforeAll
    static void start() throws Exception {
        db = PostgresFixture.newDatabase("capture");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (tenant_id text NOT NULL, id bigint NOT NULL, title text NOT NULL,"
                    + " price numeric(12,2), PRIMARY KEY (tenant_id, id))");
            exec(c, "CREATE TABLE showings (tenant_id text NOT NULL, at timestamptz NOT NULL, visitors integer NOT NULL,"
                    + " PRIMARY KEY (tenant_id, at))");
        }
        tenants = InMemoryTenantCatalog.create();
        ds = IsolationFixture.builder(tenants, IsolationFixture.endpoint("main", DeploymentRegion.US_WEST, db))
                .migrations(SchemaMigrations.of(MIGRATIONS)).protectTable("listings").protectTable("showings")
                .maximumPoolSize(4)
                .connectionTimeout(java.time.Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        ds.close();
    }

    @Test
    void updatesDeletesAndKeyChangesMadeDuringMovesArriveAndTheFreezeReadsOnlyTheChanges() throws Exception {
        Tenant churn = TenantWork.active(tenants, "churn", "us-ca", IsolationLevel.BASIC);
        Tenant calm = TenantWork.active(tenants, "calm", "us-ca", IsolationLevel.BASIC);
        ds.provision(churn.id());
        ds.provision(calm.id());
        Churner moving = new Churner(ds, churn, 1);
        Churner other = new Churner(ds, calm, 2);
        moving.seed(400);
        other.seed(50);
        AtomicReference<String> triggerArgs = new AtomicReference<>();
        ds.moveJournal().runBefore(Step.FROZEN, () -> {
            try (Connection admin = PostgresFixture.admin(db)) {
                // what any role can read of the capture: the triggers, which must name no tenant
                triggerArgs.set(first(admin, "SELECT count(*) || ':' || coalesce(string_agg(encode(tgargs, 'escape'),"
                        + " ' '), '') FROM pg_trigger WHERE tgname LIKE 'geo\\_move%'"));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        for (IsolationLevel to : List.of(IsolationLevel.ENHANCED, IsolationLevel.MAXIMUM, IsolationLevel.BASIC)) {
            moving.start();
            other.start();
            Thread.sleep(80);
            MoveResult result = ds.move(churn.id(), to, "main");
            Thread.sleep(80);
            moving.stop();
            other.stop();
            System.out.printf("move -> %s: %d operations during it (%s), caught up %d, pause %d ms, verified by %s%n",
                    to, moving.operations, moving.kinds, result.caughtUp(), result.writePause().toMillis(),
                    ds.moveJournal().lastVerification());
            assertThat(moving.failures).as("the moving tenant's writes wait, they do not fail").isEmpty();
            assertThat(other.failures).isEmpty();
            assertThat(moving.kinds.keySet()).as("the writer updated, deleted and re-keyed rows during the moves")
                    .contains("update", "delete", "rekey", "insert");
            assertThat(ds.moveJournal().lastVerification()).as("the freeze read only the changes").isEqualTo("changes");
            assertThat(result.rows().get("listings")).isPositive(); // the writer went on after the switch
            moving.assertExactlyItsRows();
            other.assertExactlyItsRows();
        }
        assertThat(triggerArgs.get()).as("capture triggers existed during the first move").doesNotStartWith("0:")
                .doesNotContain("churn");
        try (Connection admin = PostgresFixture.admin(db)) {
            assertThat(first(admin, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'geo\\_move%'"))
                    .as("no capture trigger is left after the moves").isEqualTo("0");
            assertThat(first(admin, "SELECT count(*) FROM pg_event_trigger WHERE evtname = 'geo_move_ddl'"))
                    .isEqualTo("0");
            assertThat(first(admin, "SELECT count(*) FROM geo_move.log")).isEqualTo("0");
        }
    }

    @Test
    void aCaptureTriggerDisabledDuringTheMoveMakesTheFreezeCompareTheWholeTenantAndNothingIsLost() throws Exception {
        Tenant sly = TenantWork.active(tenants, "sly", "us-ca", IsolationLevel.BASIC);
        ds.provision(sly.id());
        Churner writer = new Churner(ds, sly, 3);
        writer.seed(60);
        long victim = writer.expected.keySet().iterator().next();
        ds.moveJournal().runBefore(Step.FROZEN, () -> {
            try (Connection admin = PostgresFixture.admin(db)) {
                // a bulk load's habit: triggers off, rows changed, triggers on again (no row trigger sees it)
                exec(admin, "ALTER TABLE listings DISABLE TRIGGER geo_move_capture");
                exec(admin, "UPDATE listings SET title = 'unseen' WHERE tenant_id = 'sly' AND id = " + victim);
                exec(admin, "ALTER TABLE listings ENABLE ALWAYS TRIGGER geo_move_capture");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        MoveResult result = ds.move(sly.id(), IsolationLevel.ENHANCED, "main"); // the hook fires once
        writer.expected.put(victim, "unseen");
        assertThat(result.rows()).containsEntry("listings", 60L);
        assertThat(ds.moveJournal().lastVerification()).startsWith("whole");
        writer.assertExactlyItsRows();
    }

    @Test
    void anotherTenantsWritesToACapturedSharedTableAreNotLoggedOutsideTheMovingTenantsBucket() throws Exception {
        Tenant mover = TenantWork.active(tenants, "bucket-mover", "us-ca", IsolationLevel.BASIC);
        ds.provision(mover.id());
        String bystander;
        try (Connection admin = PostgresFixture.admin(db)) {
            // a tenant id in another of the capture's buckets than the mover's
            bystander = first(admin, "SELECT 'bystander-' || g FROM generate_series(1, 100) g WHERE"
                    + " (hashtext('bystander-' || g) & 63) <> (hashtext('bucket-mover') & 63) ORDER BY g LIMIT 1");
        }
        AtomicReference<String> lookups = new AtomicReference<>();
        ds.moveJournal().runBefore(Step.FROZEN, () -> {
            try (Connection admin = PostgresFixture.admin(db)) {
                admin.setAutoCommit(false);
                // the keys this transaction logged (its own log rows are visible to it)
                String scansNow = "SELECT count(*) FROM geo_move.log WHERE xid = pg_current_xact_id()";
                exec(admin, "INSERT INTO listings SELECT '" + bystander + "', g, 'other', 1"
                        + " FROM generate_series(1, 20) g");
                exec(admin, "UPDATE listings SET title = 'other again' WHERE tenant_id = '" + bystander + "'");
                exec(admin, "DELETE FROM listings WHERE tenant_id = '" + bystander + "'");
                String bystanders = first(admin, scansNow);
                exec(admin, "INSERT INTO listings VALUES ('bucket-mover', 1000, 'late', 1)");
                lookups.set(bystanders + " " + first(admin, scansNow));
                admin.commit();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        MoveResult result = ds.move(mover.id(), IsolationLevel.MAXIMUM, "main");
        assertThat(lookups.get()).as("keys logged after another tenant's 60 row changes, then after one row of the"
                + " moving tenant").isEqualTo("0 1");
        assertThat(result.rows()).containsEntry("listings", 1L);
        assertThat(ds.moveJournal().lastVerification()).isEqualTo("changes");
    }

    @Test
    void aRepeatableReadWriterWhoseSnapshotPredatesTheCaptureHasItsRowCaughtUp() throws Exception {
        Tenant early = TenantWork.active(tenants, "early-snapshot", "us-ca", IsolationLevel.BASIC);
        ds.provision(early.id());
        writeAtTheFreezeInSnapshotsTakenNow("INSERT INTO listings VALUES ('early-snapshot', 1,"
                + " 'written in an old snapshot', 1)");
        MoveResult result = ds.move(early.id(), IsolationLevel.MAXIMUM, "main");
        assertThat(result.rows()).containsEntry("listings", 1L);
        try (Connection admin = PostgresFixture.admin(ds.placement(early.id()).orElseThrow().location())) {
            assertThat(first(admin, "SELECT title FROM listings WHERE id = 1")).isEqualTo("written in an old snapshot");
        }
    }

    @Test
    void aRepeatableReadWriterWhoseSnapshotPredatesTheCaptureOfATenantSchemaHasItsRowCaughtUp() throws Exception {
        Tenant early = TenantWork.active(tenants, "early-schema", "us-ca", IsolationLevel.ENHANCED);
        ds.provision(early.id());
        String schema = ds.placement(early.id()).orElseThrow().location();
        writeAtTheFreezeInSnapshotsTakenNow("INSERT INTO \"" + schema + "\".listings VALUES (1,"
                + " 'written in an old snapshot', 1)");
        MoveResult result = ds.move(early.id(), IsolationLevel.MAXIMUM, "main");
        assertThat(result.rows()).containsEntry("listings", 1L);
        assertThat(ds.moveJournal().lastVerification()).isEqualTo("changes");
        try (Connection admin = PostgresFixture.admin(ds.placement(early.id()).orElseThrow().location())) {
            assertThat(first(admin, "SELECT title FROM listings WHERE id = 1")).isEqualTo("written in an old snapshot");
        }
    }

    /**
     * A TRUNCATE fires no row trigger: its statement trigger logs a marker and the freeze compares the whole tenant. Run
     * in a snapshot older than the capture, the marker was looked up in that snapshot, found no captured tenant, and
     * the truncated rows stayed on the target.
     */
    @Test
    void aTruncateOfATenantSchemasTableInASnapshotOlderThanTheCaptureIsNotUndoneByTheMove() throws Exception {
        Tenant early = TenantWork.active(tenants, "early-truncate", "us-ca", IsolationLevel.ENHANCED);
        ds.provision(early.id());
        String schema = ds.placement(early.id()).orElseThrow().location();
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "INSERT INTO \"" + schema + "\".listings SELECT g, 'before', 1 FROM generate_series(1, 3) g");
        }
        writeAtTheFreezeInSnapshotsTakenNow("TRUNCATE \"" + schema + "\".listings");
        MoveResult result = ds.move(early.id(), IsolationLevel.MAXIMUM, "main");
        assertThat(result.rows()).containsEntry("listings", 0L);
        assertThat(ds.moveJournal().lastVerification()).startsWith("whole");
        try (Connection admin = PostgresFixture.admin(ds.placement(early.id()).orElseThrow().location())) {
            assertThat(first(admin, "SELECT count(*) FROM listings")).isEqualTo("0");
        }
    }

    /**
     * A column rewritten by {@code ALTER TABLE ... USING} fires no row trigger and leaves the definition as it was: the
     * DDL event trigger's marker is all that tells the move. Run in a snapshot older than the capture, the marker was
     * looked up in that snapshot and not written.
     */
    @Test
    void aColumnRewriteOfASharedTableInASnapshotOlderThanTheCaptureReachesTheTarget() throws Exception {
        Tenant early = TenantWork.active(tenants, "early-rewrite", "us-ca", IsolationLevel.BASIC);
        ds.provision(early.id());
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "INSERT INTO listings SELECT 'early-rewrite', g, 'before', 1 FROM generate_series(1, 3) g");
        }
        writeAtTheFreezeInSnapshotsTakenNow("ALTER TABLE listings ALTER COLUMN title TYPE text USING CASE WHEN"
                + " tenant_id = 'early-rewrite' THEN upper(title) ELSE title END");
        MoveResult result = ds.move(early.id(), IsolationLevel.MAXIMUM, "main");
        assertThat(result.rows()).containsEntry("listings", 3L);
        assertThat(ds.moveJournal().lastVerification()).startsWith("whole");
        try (Connection admin = PostgresFixture.admin(ds.placement(early.id()).orElseThrow().location())) {
            assertThat(first(admin, "SELECT string_agg(DISTINCT title, ',') FROM listings")).isEqualTo("BEFORE");
        }
    }

    /**
     * The capture trigger disabled while a row is written and enabled again, each in a transaction that began before
     * the capture existed: PostgreSQL collects neither command for the DDL event trigger, and the trigger looks as
     * installed again (its definition, {@code ENABLE ALWAYS}, the table's file). The row was lost at the switch.
     */
    @Test
    void aCaptureTriggerDisabledAndEnabledAgainByTransactionsOlderThanTheCaptureDegradesIt() throws Exception {
        Tenant sly = TenantWork.active(tenants, "sly-old", "us-ca", IsolationLevel.BASIC);
        ds.provision(sly.id());
        writeAtTheFreezeInSnapshotsTakenNow("ALTER TABLE listings DISABLE TRIGGER geo_move_capture;"
                + " INSERT INTO listings VALUES ('sly-old', 1, 'unseen', 1)",
                "ALTER TABLE listings ENABLE ALWAYS TRIGGER geo_move_capture");
        MoveResult result = ds.move(sly.id(), IsolationLevel.MAXIMUM, "main");
        assertThat(result.rows()).containsEntry("listings", 1L);
        assertThat(ds.moveJournal().lastVerification()).startsWith("whole");
        try (Connection admin = PostgresFixture.admin(ds.placement(sly.id()).orElseThrow().location())) {
            assertThat(first(admin, "SELECT title FROM listings WHERE id = 1")).isEqualTo("unseen");
        }
    }

    /**
     * Writers' repeatable-read transactions, one per statement, take their snapshots now, before the move installs its
     * capture, and run {@code sqls} in turn just before the freeze, after the copy's snapshot, each committed: a row
     * they write is in no copy, so only the capture can bring it.
     */
    private static void writeAtTheFreezeInSnapshotsTakenNow(String... sqls) throws SQLException {
        List<Connection> writers = new java.util.ArrayList<>();
        for (int i = 0; i < sqls.length; i++) {
            Connection writer = PostgresFixture.admin(db);
            writer.setAutoCommit(false);
            writer.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            first(writer, "SELECT count(*) FROM showings");
            writers.add(writer);
        }
        ds.moveJournal().runBefore(Step.FROZEN, () -> {
            for (int i = 0; i < sqls.length; i++) {
                try (Connection c = writers.get(i)) {
                    exec(c, sqls[i]);
                    c.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    @Test
    void aCaptureTriggerReplacedWhileDdlIsNotLoggedDegradesTheCaptureEvenAfterAnotherMoveReinstallsIt()
            throws Exception {
        Tenant sly = TenantWork.active(tenants, "sly-when", "us-ca", IsolationLevel.BASIC);
        ds.provision(sly.id());
        AtomicReference<String> ghost = new AtomicReference<>("none");
        ds.moveJournal().runBefore(Step.FROZEN, () -> {
            try (Connection admin = PostgresFixture.admin(db)) {
                // with the DDL event trigger off, the capture trigger is replaced by one that lists no tenant's
                // bucket (its function passes over every row), and a row is written that nothing logs
                exec(admin, "ALTER EVENT TRIGGER geo_move_ddl DISABLE");
                exec(admin, "CREATE OR REPLACE TRIGGER geo_move_capture AFTER INSERT OR UPDATE OR DELETE ON listings"
                        + " FOR EACH ROW EXECUTE FUNCTION geo_move.capture_shared('[\"id\"]', ',')");
                exec(admin, "ALTER TABLE listings ENABLE ALWAYS TRIGGER geo_move_capture");
                exec(admin, "ALTER EVENT TRIGGER geo_move_ddl ENABLE");
                exec(admin, "INSERT INTO listings VALUES ('sly-when', 7, 'unseen', 1)");
                // then another tenant's move installs its capture, which re-creates the trigger whole: that must
                // not make the replaced one good for this move, not even when that tenant is in the same bucket
                // (the trigger's arguments would be the same)
                ghost.set(first(admin, "SELECT 'sly-ghost-' || g FROM generate_series(1, 10000) g WHERE"
                        + " (hashtext('sly-ghost-' || g) & 63) = (hashtext('sly-when') & 63) ORDER BY g LIMIT 1"));
                ChangeCapture.install(admin, true, List.copyOf(TenantCopy.tables(admin,
                        TenantCopy.Side.sharedTables()).values()), ghost.get());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        MoveResult result;
        try {
            result = ds.move(sly.id(), IsolationLevel.MAXIMUM, "main");
        } finally {
            try (Connection admin = PostgresFixture.admin(db)) {
                ChangeCapture.remove(admin, ghost.get());
            }
        }
        assertThat(result.rows()).containsEntry("listings", 1L);
        assertThat(ds.moveJournal().lastVerification()).startsWith("whole");
        try (Connection admin = PostgresFixture.admin(ds.placement(sly.id()).orElseThrow().location())) {
            assertThat(first(admin, "SELECT title FROM listings WHERE id = 7")).isEqualTo("unseen");
        }
    }

    @Test
    void aRowWhoseTimestampKeyWasLoggedInTwoTimeZonesIsReplacedOnce() throws Exception {
        Tenant clock = TenantWork.active(tenants, "clock", "us-ca", IsolationLevel.BASIC);
        ds.provision(clock.id());
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "INSERT INTO showings SELECT 'clock', timestamptz '2026-12-01 10:00+00' + g * interval '1 hour',"
                    + " g FROM generate_series(1, 20) g");
        }
        ds.moveJournal().runBefore(Step.FROZEN, () -> {
            // the same row changed by two sessions in different time zones: two texts of one key in the log
            for (String zone : List.of("UTC", "Europe/Paris")) {
                try (Connection admin = PostgresFixture.admin(db)) {
                    exec(admin, "SET TimeZone = '" + zone + "'");
                    exec(admin, "UPDATE showings SET visitors = visitors + 100 WHERE tenant_id = 'clock'"
                            + " AND at = timestamptz '2026-12-01 11:00+00'");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        MoveResult result = ds.move(clock.id(), IsolationLevel.ENHANCED, "main");
        assertThat(ds.moveJournal().lastVerification()).isEqualTo("changes");
        assertThat(result.rows()).containsEntry("showings", 20L);
        assertThat(TenantWork.as(clock, () -> {
            try (Connection c = ds.getConnection()) {
                return first(c, "SELECT count(*) || ':' || sum(visitors) FROM showings");
            }
        })).isEqualTo("20:410");
    }

    @Test
    void aLongTransactionOnASharedTableDoesNotStallOthersBehindTheCaptureTriggerTheMoveComparesTheWholeTenant()
            throws Exception {
        Tenant patient = TenantWork.active(tenants, "patient", "us-ca", IsolationLevel.BASIC);
        Tenant holder = TenantWork.active(tenants, "holder", "us-ca", IsolationLevel.BASIC);
        ds.provision(patient.id());
        ds.provision(holder.id());
        Churner writer = new Churner(ds, patient, 4);
        writer.seed(30);
        try (Connection admin = PostgresFixture.admin(db)) {
            // another tenant's write transaction left open: CREATE TRIGGER would wait for it, and every writer of the
            // table would queue behind that wait
            admin.setAutoCommit(false);
            exec(admin, "INSERT INTO listings (tenant_id, id, title) VALUES ('holder', 1, 'open')");
            MoveResult result = ds.move(patient.id(), IsolationLevel.ENHANCED, "main");
            admin.rollback();
            assertThat(result.rows()).containsEntry("listings", 30L);
        }
        assertThat(ds.moveJournal().lastVerification()).isEqualTo("whole: no change capture");
        writer.assertExactlyItsRows();
    }
}
