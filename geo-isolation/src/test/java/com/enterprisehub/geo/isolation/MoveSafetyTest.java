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
import com.enterprisehub.geo.isolation.internal.BindingTokens;
import com.enterprisehub.geo.isolation.internal.MoveJournal.Step;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What makes a move safe against crashes and races (issue 23): the freeze's lease (a mover killed or paused while
 * the tenant is frozen), cancelling a journaled move, the placement lock that closes the race between a binding and
 * the fence, column types compared before the freeze, and restore with its foreign keys checked. Two data sources on
 * one control plane stand for two instances: {@code a} moves, {@code b} serves the tenant meanwhile.
 */
class MoveSafetyTest {
    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "listings",
            "CREATE TABLE listings (id bigserial PRIMARY KEY, owner text NOT NULL, seq bigint NOT NULL, title text);"
                    + " CREATE TABLE zones (id bigint PRIMARY KEY, name text NOT NULL);"
                    + " CREATE TABLE agents (id bigint PRIMARY KEY, zone_id bigint REFERENCES zones (id), name text)"));

    private static String db;
    private static TenantCatalog tenants;
    private static TenantDataSource a;
    private static TenantDataSource b;

    @BeforeAll
    static void start() throws Exception {
        db = PostgresFixture.newDatabase("movesafe");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (tenant_id text NOT NULL, id bigserial, owner text NOT NULL,"
                    + " seq bigint NOT NULL, title text, PRIMARY KEY (tenant_id, id))");
        }
        tenants = InMemoryTenantCatalog.create();
        a = builder().build();
        b = builder().build();
        // short, so that tests of a killed mover wait little for it to run out; renewed every third of it
        a.moveJournal().lease(Duration.ofSeconds(2));
    }

    private static TenantDataSource.Builder builder() {
        return IsolationFixture.builder(tenants, IsolationFixture.endpoint("main", DeploymentRegion.US_WEST, db))
                .migrations(SchemaMigrations.of(MIGRATIONS)).protectTable("listings").maximumPoolSize(6)
                .connectionTimeout(Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    @Test
    void aMoverKilledWhileFrozenLeavesTheTenantServedOnItsSourceAfterTheLeaseAndAnotherInstanceResumesIt()
            throws Exception {
        Tenant t = TenantWork.active(tenants, "killed", "us-ca", IsolationLevel.BASIC);
        provisionBoth(t);
        Writer w = new Writer(t, b);
        w.insert(20);
        CountDownLatch release = new CountDownLatch(1);
        a.moveJournal().stallBefore(Step.VERIFIED, release);
        CompletableFuture<MoveResult> dead = CompletableFuture.supplyAsync(
                () -> a.move(t.id(), IsolationLevel.ENHANCED, "main"));
        try {
            await(() -> a.moveJournal().stalled(), "the mover to stop while frozen");
            assertThat(state(t)).isEqualTo("MOVING");
            // the process dies: its control-plane session (and the move lock it held) goes, its lease is not renewed
            try (Connection admin = PostgresFixture.admin(db)) {
                exec(admin, "SELECT pg_terminate_backend(" + a.moveJournal().moverPid() + ")");
            }
            // another instance's borrows get connections on the source once the lease ran out
            long servedAt = w.insertWithin(Duration.ofSeconds(15));
            assertThat(servedAt).as("a write on the source after the lease").isPositive();
            w.insert(5);
            // an instance started now, with the lease run out, routes the tenant to its source as well
            try (TenantDataSource fresh = builder().build()) {
                assertThat(TenantWork.as(t, () -> {
                    try (Connection c = fresh.getConnection()) {
                        return first(c, "SELECT count(*) FROM listings");
                    }
                })).as("read through an instance started after the lease").isEqualTo(String.valueOf(w.acked.size()));
            }
            try (Connection admin = PostgresFixture.admin(db)) {
                assertThat(first(admin, "SELECT level || ' ' || state || ' ' || (lease_until < clock_timestamp())"
                        + " FROM geo_control.tenant_placement WHERE tenant = 'killed'")).isEqualTo("BASIC MOVING true");
                assertThat(first(admin, "SELECT count(*) FROM listings WHERE tenant_id = 'killed'"))
                        .as("written on the source").isEqualTo(String.valueOf(w.acked.size()));
            }
            // a second move (the other instance) sees the expired lease and resumes: every row reaches the target
            MoveResult resumed = b.move(t.id(), IsolationLevel.ENHANCED, "main");
            assertThat(resumed.resumed()).isTrue();
            assertThat(resumed.rows()).containsEntry("listings", (long) w.acked.size());
            w.assertExactlyItsRowsOnTheTarget();
        } finally {
            release.countDown();
        }
        // the dead mover, had it woken up, does nothing more: its connection is gone, it fails
        assertThatThrownBy(() -> dead.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IsolationException.class);
        assertThat(b.placement(t.id()).orElseThrow().level()).isEqualTo(IsolationLevel.ENHANCED);
        assertThat(state(t)).isEqualTo("READY");
        w.insert(2);
        w.assertExactlyItsRowsOnTheTarget();
    }

    @Test
    void aMaximumSourceFrozenByAKilledMoverLetsItsRoleLogInAfterTheLeaseAndCancellingRemovesTheFreeze()
            throws Exception {
        Tenant t = TenantWork.active(tenants, "killed-own", "us-ca", IsolationLevel.MAXIMUM);
        provisionBoth(t);
        Writer w = new Writer(t, b);
        w.insert(5);
        String database = a.placement(t.id()).orElseThrow().location();
        CountDownLatch release = new CountDownLatch(1);
        a.moveJournal().stallBefore(Step.VERIFIED, release);
        CompletableFuture<MoveResult> dead = CompletableFuture.supplyAsync(
                () -> a.move(t.id(), IsolationLevel.ENHANCED, "main"));
        try {
            await(() -> a.moveJournal().stalled(), "the mover to stop while frozen");
            try (Connection admin = PostgresFixture.admin(db)) {
                exec(admin, "SELECT pg_terminate_backend(" + a.moveJournal().moverPid() + ")");
            }
            // the other instance's own pool of the tenant logs in to the source database again once the lease ran out
            assertThat(w.insertWithin(Duration.ofSeconds(15))).as("a write on the source after the lease")
                    .isPositive();
            try (Connection own = PostgresFixture.admin(database)) {
                assertThat(first(own, "SELECT count(*) FROM listings")).isEqualTo(String.valueOf(w.acked.size()));
            }
            // the other instance gives the move up: the freeze is removed, the target erased
            assertThat(b.cancelMove(t.id())).isTrue();
        } finally {
            release.countDown();
        }
        assertThatThrownBy(() -> dead.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IsolationException.class);
        try (Connection own = PostgresFixture.admin(database); Connection admin = PostgresFixture.admin(db)) {
            assertThat(first(own, "SELECT count(*) FROM pg_event_trigger WHERE evtname = 'geo_move_freeze'"))
                    .isEqualTo("0");
            assertThat(first(admin, "SELECT state || ' ' || level FROM geo_control.tenant_placement"
                    + " WHERE tenant = 'killed-own'")).isEqualTo("READY MAXIMUM");
            assertThat(first(admin, "SELECT count(*) FROM geo_control.tenant_move WHERE tenant = 'killed-own'"))
                    .isEqualTo("0");
        }
        w.insert(2);
        w.assertExactlyItsRows();
    }

    /**
     * After the seal of a tenant's own database, the mover may still catch up (sessions were found) or compare the
     * whole tenant: the lease is renewed meanwhile. Before, the renewal stopped at the seal ('forever' was no lease to
     * renew) and work after it that outlasted the lease failed the switch.
     */
    @Test
    void theLeaseIsRenewedAfterTheSealOfAnOwnDatabaseUntilTheSwitch() throws Exception {
        Tenant t = TenantWork.active(tenants, "slow-seal", "us-ca", IsolationLevel.MAXIMUM);
        provisionBoth(t);
        Writer w = new Writer(t, b);
        w.insert(5);
        a.moveJournal().runBefore(Step.SWITCHED, () -> {
            try {
                Thread.sleep(2 * a.moveJournal().lease().toMillis()); // after the seal: twice the lease
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        a.move(t.id(), IsolationLevel.ENHANCED, "main");
        assertThat(a.placement(t.id()).orElseThrow().level()).isEqualTo(IsolationLevel.ENHANCED);
        w.insert(2); // the other instance finds the tenant moved
        w.assertExactlyItsRows();
    }

    /**
     * A tenant's own database is sealed just before the switch: no login of its role passes after that, whatever the
     * lease. A mover killed between the seal and the switch left the tenant refused for good, until someone called
     * move or cancelMove. Now a borrow refused there, with the lease run out and no move running, releases the seal.
     */
    @Test
    void aMoverKilledBetweenTheSealOfItsOwnDatabaseAndTheSwitchLeavesTheTenantServedOnItsSourceAfterTheLease()
            throws Exception {
        sealThenKillTheMover("sealed", false);
    }

    /**
     * A failed move's thaw records the placement READY first, then lifts the seal on the database: when the database
     * cannot be reached then, the tenant is READY on a database that refuses it. A review found the release looked
     * for MOVING only.
     */
    @Test
    void aSealLeftOnADatabaseWhosePlacementAFailedMoveMadeReadyAgainIsReleased() throws Exception {
        sealThenKillTheMover("sealed-ready", true);
    }

    /**
     * Moves a MAXIMUM tenant, stops the mover after the seal of its database and ends its control-plane session, as
     * a killed process's; {@code thawedToReady}: the placement recorded READY, as a thaw that could not reach the
     * database leaves it. The other instance's writes must then proceed on the source, and its move resume.
     */
    private static void sealThenKillTheMover(String tenant, boolean thawedToReady) throws Exception {
        Tenant t = TenantWork.active(tenants, tenant, "us-ca", IsolationLevel.MAXIMUM);
        provisionBoth(t);
        Writer w = new Writer(t, b);
        w.insert(10);
        CountDownLatch release = new CountDownLatch(1);
        a.moveJournal().stallBefore(Step.SWITCHED, release); // after the seal, for a source of its own
        CompletableFuture<MoveResult> dead = CompletableFuture.supplyAsync(
                () -> a.move(t.id(), IsolationLevel.ENHANCED, "main"));
        String database = a.placement(t.id()).orElseThrow().location();
        try {
            await(() -> a.moveJournal().stalled() || dead.isDone(), "the mover to stop between the seal and the switch");
            assertThat(dead).as("the mover stopped, not ended").isNotDone();
            try (Connection admin = PostgresFixture.admin(database)) {
                assertThat(first(admin, "SELECT count(*) FROM pg_db_role_setting s, unnest(s.setconfig) c"
                        + " WHERE c = 'geo.move_lease=forever'")).as("sealed").isEqualTo("1");
            }
            try (Connection admin = PostgresFixture.admin(db)) {
                exec(admin, "SELECT pg_terminate_backend(" + a.moveJournal().moverPid() + ")");
                if (thawedToReady) {
                    exec(admin, "UPDATE geo_control.tenant_placement SET state = 'READY', lease_until = NULL"
                            + " WHERE tenant = '" + tenant + "'");
                }
            }
            assertThat(w.insertWithin(Duration.ofSeconds(20))).as("a write on the source after the lease")
                    .isPositive();
            w.insert(3);
            MoveResult resumed = b.move(t.id(), IsolationLevel.ENHANCED, "main");
            assertThat(resumed.resumed()).isTrue();
            assertThat(resumed.rows()).containsEntry("listings", (long) w.acked.size());
            w.assertExactlyItsRows();
        } finally {
            release.countDown();
        }
        assertThatThrownBy(() -> dead.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IsolationException.class);
        assertThat(b.placement(t.id()).orElseThrow().level()).isEqualTo(IsolationLevel.ENHANCED);
    }

    @Test
    void aMoverPausedPastItsLeaseNeitherKeepsTheTenantFrozenNorSwitchesAfterwards() throws Exception {
        Tenant t = TenantWork.active(tenants, "paused", "us-ca", IsolationLevel.BASIC);
        provisionBoth(t);
        Writer w = new Writer(t, b);
        w.insert(10);
        CountDownLatch release = new CountDownLatch(1);
        a.moveJournal().stallBefore(Step.VERIFIED, release);
        CompletableFuture<MoveResult> paused = CompletableFuture.supplyAsync(
                () -> a.move(t.id(), IsolationLevel.ENHANCED, "main"));
        try {
            await(() -> a.moveJournal().stalled(), "the mover to pause while frozen");
            assertThat(w.insertWithin(Duration.ofSeconds(15))).as("a write on the source after the lease")
                    .isPositive();
        } finally {
            release.countDown();
        }
        // it wakes up: its lease ran out (rows were written on the source since), so it neither renews nor switches
        assertThatThrownBy(() -> paused.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IsolationException.class)
                .hasMessageContaining("lease");
        assertThat(state(t)).isEqualTo("READY");
        assertThat(a.placement(t.id()).orElseThrow().level()).isEqualTo(IsolationLevel.BASIC);
        w.insert(3);
        // moved again (resumed from its journal), every row arrives
        assertThat(a.move(t.id(), IsolationLevel.ENHANCED, "main").resumed()).isTrue();
        w.assertExactlyItsRowsOnTheTarget();
    }

    @Test
    void bindingsRacingTheFenceEitherCommitBeforeItAndAreCaughtUpOrSeeTheTenantFrozenNeverWritingAfterTheDiff()
            throws Exception {
        Tenant t = TenantWork.active(tenants, "raced", "us-ca", IsolationLevel.BASIC);
        provisionBoth(t);
        Writer w = new Writer(t, b);
        w.insert(10);
        // 1. A binding whose transaction read the placement READY before the fence and is still open when the fence
        // comes (here: it bound, wrote a row, and commits only when the fence waits for it, or after the move).
        CountDownLatch moved = new CountDownLatch(1);
        CountDownLatch bound = new CountDownLatch(1);
        AtomicLong lateSeq = new AtomicLong();
        CompletableFuture<Void> late = new CompletableFuture<>();
        a.moveJournal().runBefore(Step.FROZEN, () -> {
            Thread binder = new Thread(() -> {
                try (Connection app = DriverManager.getConnection(PostgresFixture.jdbcUrl(db), PostgresFixture.APP_ROLE,
                        "app"); Connection admin = PostgresFixture.admin(db)) {
                    String nonce = first(app, "SELECT geo_control.open_session()");
                    app.setAutoCommit(false);
                    try (PreparedStatement ps = app.prepareStatement("SELECT * FROM geo_control.bind_placement(?, ?,"
                            + " ?)")) {
                        ps.setString(1, "raced");
                        ps.setString(2, nonce);
                        ps.setString(3, new BindingTokens(IsolationFixture.TEST_KEY).token("raced", nonce));
                        ps.execute();
                    }
                    long seq = w.next.incrementAndGet();
                    w.attempted.add(seq);
                    exec(app, "INSERT INTO listings (owner, seq, title) VALUES ('raced', " + seq + ", 'late')");
                    bound.countDown();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (moved.getCount() > 0 && System.nanoTime() < deadline && Long.parseLong(first(admin,
                            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) == 0) {
                        Thread.sleep(5);
                    }
                    app.commit();
                    w.acked.add(seq);
                    lateSeq.set(seq);
                    late.complete(null);
                } catch (Exception e) {
                    late.completeExceptionally(e);
                }
            }, "late-binder");
            binder.start();
            try {
                assertThat(bound.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // 2. Many binders of another instance, writing all along.
        List<Writer> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Writer racer = new Writer(w, b);
            racer.start();
            racers.add(racer);
        }
        long switchedBy;
        try {
            Thread.sleep(100);
            a.move(t.id(), IsolationLevel.ENHANCED, "main");
            long switched = System.nanoTime();
            switchedBy = switched;
            // each racer's session was ended by the fence: wait until they are back and writing on the target
            await(() -> racers.stream().mapToLong(r -> r.acksAfter(switched)).sum() > 0, "the racers to write again");
            Thread.sleep(300);
        } finally {
            moved.countDown();
            for (Writer racer : racers) {
                racer.stop();
            }
        }
        late.get(30, TimeUnit.SECONDS);
        assertThat(lateSeq.get()).isPositive();
        for (Writer racer : racers) {
            assertThat(racer.wroteToSharedTablesAfter(switchedBy)).as("no write reached the source after the switch")
                    .isEmpty();
        }
        assertThat(racers.stream().mapToLong(r -> r.acksAfter(switchedBy)).sum()).as("the racers wrote after the move")
                .isPositive();
        w.assertExactlyItsRowsOnTheTarget();
    }

    @Test
    void aTargetColumnOfAnotherTypeIsRefusedBeforeTheFreezeAndTheMoveIsCancelledLeavingTheSourceUntouched()
            throws Exception {
        Tenant t = TenantWork.active(tenants, "typed", "us-ca", IsolationLevel.ENHANCED);
        a.provision(t.id());
        Writer w = new Writer(t, a);
        w.insert(5);
        TenantPlacement before = a.placement(t.id()).orElseThrow();
        try (Connection admin = PostgresFixture.admin(db)) {
            // the same values, a narrower type: the copy and the checksums would not notice
            exec(admin, "ALTER TABLE " + before.location() + ".listings ALTER COLUMN title TYPE varchar(40)");
        }
        long[] freezeBefore = a.moveJournal().lastFreeze();
        assertThatThrownBy(() -> a.move(t.id(), IsolationLevel.MAXIMUM, "main"))
                .isInstanceOf(IsolationException.class)
                .hasMessageContaining("title is character varying(40) on the source but text on the target");
        assertThat(a.moveJournal().lastFreeze()).as("never frozen").isEqualTo(freezeBefore);
        assertThat(a.placement(t.id()).orElseThrow()).isEqualTo(before);
        String target;
        try (Connection admin = PostgresFixture.admin(db)) {
            target = first(admin, "SELECT target_location FROM geo_control.tenant_move WHERE tenant = 'typed'");
            assertThat(first(admin, "SELECT count(*) FROM pg_database WHERE datname = '" + target + "'"))
                    .isEqualTo("1");
        }
        // the journaled move is given up: the target erased, the journal gone, the source as it was
        assertThat(a.cancelMove(t.id())).isTrue();
        assertThat(a.cancelMove(t.id())).as("nothing left to cancel").isFalse();
        try (Connection admin = PostgresFixture.admin(db)) {
            assertThat(first(admin, "SELECT count(*) FROM pg_database WHERE datname = '" + target + "'"))
                    .isEqualTo("0");
            assertThat(first(admin, "SELECT count(*) FROM pg_roles WHERE rolname = '" + target + "'")).isEqualTo("0");
            assertThat(first(admin, "SELECT count(*) FROM geo_control.tenant_move WHERE tenant = 'typed'"))
                    .isEqualTo("0");
        }
        assertThat(a.placement(t.id()).orElseThrow()).isEqualTo(before);
        w.insert(2);
        w.assertExactlyItsRows();
        // no move journaled any more: another target is not refused as "in the middle of a move"
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "ALTER TABLE " + before.location() + ".listings ALTER COLUMN title TYPE text");
        }
        a.move(t.id(), IsolationLevel.MAXIMUM, "main");
        w.assertExactlyItsRows();
    }

    @Test
    void aMoveLeftFrozenByACrashIsCancelledToItsSourceWithItsRowsAndItsTargetDatabaseDropped() throws Exception {
        Tenant t = TenantWork.active(tenants, "given-up", "us-ca", IsolationLevel.BASIC);
        provisionBoth(t);
        Writer w = new Writer(t, b);
        w.insert(8);
        a.moveJournal().failBefore(Step.SWITCHED);
        assertThatThrownBy(() -> a.move(t.id(), IsolationLevel.MAXIMUM, "main")).hasMessageContaining("Injected");
        String target;
        try (Connection admin = PostgresFixture.admin(db)) {
            target = first(admin, "SELECT target_location FROM geo_control.tenant_move WHERE tenant = 'given-up'");
            // as a crash while frozen leaves it (a lease that never runs out: an older version's freeze)
            exec(admin, "UPDATE geo_control.tenant_placement SET state = 'MOVING', lease_until = NULL"
                    + " WHERE tenant = 'given-up'");
        }
        assertThat(a.cancelMove(t.id())).isTrue();
        try (Connection admin = PostgresFixture.admin(db)) {
            assertThat(first(admin, "SELECT state || ' ' || level || ' ' || (lease_until IS NULL) FROM"
                    + " geo_control.tenant_placement WHERE tenant = 'given-up'")).isEqualTo("READY BASIC true");
            assertThat(first(admin, "SELECT count(*) FROM pg_database WHERE datname = '" + target + "'"))
                    .isEqualTo("0");
        }
        w.insert(2);
        w.assertExactlyItsRows();
    }

    @Test
    void restoreChecksForeignKeysImportingParentsFirstAndRefusesAnExportWhoseRowsBreakThemWithNothingImported()
            throws Exception {
        Tenant t = TenantWork.active(tenants, "restored", "us-ca", IsolationLevel.ENHANCED);
        a.provision(t.id());
        // agents (named first) refer to zones: imported in name order with foreign keys checked, they would fail
        String valid = "{\"table\": \"x.agents\", \"row\": {\"id\": 1, \"zone_id\": 10, \"name\": \"Ann\"}}\n"
                + "{\"table\": \"x.agents\", \"row\": {\"id\": 2, \"zone_id\": null, \"name\": \"Bo\"}}\n"
                + "{\"table\": \"x.zones\", \"row\": {\"id\": 10, \"name\": \"Docklands\"}}\n";
        String dangling = valid + "{\"table\": \"x.agents\", \"row\": {\"id\": 3, \"zone_id\": 99, \"name\": \"Cy\"}}\n";
        assertThatThrownBy(() -> a.restore(t.id(), new java.io.StringReader(dangling)))
                .isInstanceOf(IsolationException.class).hasMessageContaining("foreign key")
                .hasMessageContaining("Nothing was imported");
        assertThat(as(t, () -> {
            try (Connection c = a.getConnection()) {
                return first(c, "SELECT (SELECT count(*) FROM agents) + (SELECT count(*) FROM zones)");
            }
        })).isEqualTo("0");
        assertThat(a.restore(t.id(), new java.io.StringReader(valid))).containsEntry("agents", 2L)
                .containsEntry("zones", 1L);
        assertThat(as(t, () -> {
            try (Connection c = a.getConnection()) {
                return first(c, "SELECT string_agg(a.name || '@' || coalesce(z.name, '-'), ',' ORDER BY a.id)"
                        + " FROM agents a LEFT JOIN zones z ON z.id = a.zone_id");
            }
        })).isEqualTo("Ann@Docklands,Bo@-");
    }

    @Test
    void anotherTenantCannotTakeTheVictimsPlacementLockAndStallItsBorrows() throws Exception {
        Tenant victim = TenantWork.active(tenants, "stalled", "us-ca", IsolationLevel.BASIC);
        Tenant thief = TenantWork.active(tenants, "locker", "us-ca", IsolationLevel.BASIC);
        provisionBoth(victim);
        provisionBoth(thief);
        try (com.enterprisehub.geo.core.tenant.TenantContext.Scope scope =
                com.enterprisehub.geo.core.tenant.TenantContext.open(thief); Connection held = a.getConnection()) {
            // every key an attacker can compute from the SDK's open source: the tenant id is all it knows
            exec(held, "SELECT pg_advisory_lock(hashtext('geo-placement'), hashtext('stalled'))");
            exec(held, "SELECT pg_advisory_lock(hashtextextended('stalled', 0))");
            try {
                CompletableFuture<String> borrow = CompletableFuture.supplyAsync(() -> {
                    try {
                        return as(victim, () -> {
                            try (Connection c = b.getConnection()) {
                                return first(c, "SELECT 'served'");
                            }
                        });
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(borrow.get(15, TimeUnit.SECONDS)).as("the victim is served while the thief holds its locks")
                        .isEqualTo("served");
            } finally {
                exec(held, "SELECT pg_advisory_unlock_all()");
            }
        }
    }

    /** Placed by {@code a}; {@code b}, another instance, learns its route. */
    private static void provisionBoth(Tenant t) {
        a.provision(t.id(), "main");
        b.provision(t.id(), "main");
    }

    private static String state(Tenant t) throws SQLException {
        try (Connection admin = PostgresFixture.admin(db)) {
            return first(admin, "SELECT state FROM geo_control.tenant_placement WHERE tenant = '" + t.id() + "'");
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** A tenant's writer through one data source: rows numbered by seq, acknowledged ones must all arrive once. */
    private static final class Writer {
        final Tenant tenant;
        final TenantDataSource source;
        final Set<Long> acked;
        final AtomicLong next;
        final Set<Long> attempted;
        /** Per acknowledged write: when it was acknowledged, and the schema it wrote into. */
        final ConcurrentLinkedQueue<Object[]> acks = new ConcurrentLinkedQueue<>();
        final AtomicBoolean running = new AtomicBoolean();
        Thread thread;

        Writer(Tenant tenant, TenantDataSource source) {
            this(tenant, source, ConcurrentHashMap.newKeySet(), new AtomicLong(), ConcurrentHashMap.newKeySet());
        }

        /** Another writer of the same tenant and rows as {@code shared}, through {@code source}. */
        Writer(Writer shared, TenantDataSource source) {
            this(shared.tenant, source, shared.acked, shared.next, shared.attempted);
        }

        private Writer(Tenant tenant, TenantDataSource source, Set<Long> acked, AtomicLong next, Set<Long> attempted) {
            this.tenant = tenant;
            this.source = source;
            this.acked = acked;
            this.next = next;
            this.attempted = attempted;
        }

        /** Writes {@code n} rows, each retried on a pooled session a freeze ended (57P01: nothing was written). */
        void insert(int n) throws SQLException {
            for (int i = 0; i < n; i++) {
                long seq = next.incrementAndGet();
                attempted.add(seq);
                for (int attempt = 0; ; attempt++) {
                    try {
                        writeOne(seq);
                        break;
                    } catch (SQLException e) {
                        if (!"57P01".equals(e.getSQLState()) || attempt >= 6) {
                            throw e;
                        }
                    }
                }
            }
        }

        /** Writes one row, retrying failed attempts for up to {@code within}; when it was acknowledged (0: never). */
        long insertWithin(Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            long seq = next.incrementAndGet();
            attempted.add(seq);
            while (System.nanoTime() < deadline) {
                try {
                    writeOne(seq);
                    return System.nanoTime();
                } catch (SQLException e) {
                    Thread.sleep(50); // frozen (refused, or waited out the connection timeout): later
                }
            }
            return 0;
        }

        private void writeOne(long seq) throws SQLException {
            String schema = as(tenant, () -> {
                try (Connection c = source.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO"
                        + " listings (owner, seq, title) VALUES (?, ?, ?) RETURNING (SELECT current_schema())")) {
                    ps.setString(1, tenant.id().value());
                    ps.setLong(2, seq);
                    ps.setString(3, "listing " + seq);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            acked.add(seq);
            acks.add(new Object[] {System.nanoTime(), schema});
        }

        void start() {
            running.set(true);
            thread = new Thread(() -> {
                while (running.get()) {
                    long seq = next.incrementAndGet();
                    attempted.add(seq);
                    try {
                        writeOne(seq);
                    } catch (SQLException | RuntimeException e) {
                        // refused or timed out while frozen: not acknowledged, so it must not matter
                    }
                }
            }, "racer-" + tenant.id());
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }

        long acksAfter(long time) {
            return acks.stream().filter(a -> (long) a[0] > time).count();
        }

        /** Writes acknowledged after {@code time} that went into the shared tables (schema public). */
        List<Object> wroteToSharedTablesAfter(long time) {
            return acks.stream().filter(a -> (long) a[0] > time && "public".equals(a[1])).map(a -> a[1]).toList();
        }

        /** Every acknowledged row once; no row that was never written; nothing else. */
        void assertExactlyItsRows() throws SQLException {
            List<String> seqs = null;
            for (int attempt = 0; seqs == null; attempt++) {
                try {
                    seqs = as(tenant, () -> {
                        try (Connection c = source.getConnection()) {
                            assertThat(column(c, "SELECT DISTINCT owner FROM listings"))
                                    .containsOnly(tenant.id().value());
                            return column(c, "SELECT seq FROM listings");
                        }
                    });
                } catch (SQLException e) {
                    // another instance's pooled session that a freeze ended fails its first statement, once
                    if (!"57P01".equals(e.getSQLState()) || attempt >= 6) {
                        throw e;
                    }
                }
            }
            Set<Long> present = new HashSet<>();
            seqs.forEach(s -> present.add(Long.parseLong(s)));
            assertThat(seqs).as("no duplicated row").hasSameSizeAs(present);
            assertThat(present).as("no lost row").containsAll(acked);
            assertThat(attempted).as("no row from nowhere").containsAll(present);
        }

        /** As {@link #assertExactlyItsRows}, and none of the tenant's rows is left in the shared tables (the source). */
        void assertExactlyItsRowsOnTheTarget() throws SQLException {
            assertExactlyItsRows();
            try (Connection admin = PostgresFixture.admin(db)) {
                assertThat(first(admin, "SELECT count(*) FROM listings WHERE tenant_id = '" + tenant.id() + "'"))
                        .as("no row left behind in (or written after the move to) the source").isEqualTo("0");
            }
        }
    }
}
