package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.internal.MoveJournal.Step;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Opt-in measurement (not a CI test): a 1,000,000-row BASIC tenant moved to MAXIMUM while it and another tenant write.
 * Prints the total time, the moving tenant's write pause and the other tenant's write rate during the move against its
 * rate without one (the 5 s before the move and the 5 s from 1 s after it).
 * {@code mvn -o -B -pl geo-isolation test -Dtest=MoveMeasurement -Dgeo.move.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; options: {@code -Dgeo.move.nice=4} (the data source's
 * {@code moveNiceRatio}), {@code -Dgeo.move.timeline=true} (the other tenant's rate second by second),
 * {@code -Dgeo.move.bigIdle=true} (the moving tenant does not write), {@code -Dgeo.move.async=true} (commits in the
 * shared database do not wait for the WAL flush), {@code -Dgeo.move.rows=100000}, {@code -Dgeo.move.otherRate=5000}
 * (the other tenant writes at a fixed rate, and its latencies are printed), {@code -Dgeo.move.dry=idle} (no move: 15 s
 * of nothing, the measurement's own noise), {@code =snapshot} (a repeatable-read snapshot held 15 s), {@code =capture}
 * (the move's change capture installed for 15 s), {@code =captureToggle} (capture installed and removed every 2 s, ten
 * times: its cost in interleaved windows), {@code =burn4} (a server process busy a fifth of the time). Numbers in
 * docs/benchmarks.md.
 */
class MoveMeasurement {
    private static final int ROWS = Integer.getInteger("geo.move.rows", 1_000_000);
    /** The other tenant's fixed write rate ({@code -Dgeo.move.otherRate}); 0: as fast as one thread can. */
    private static final double OTHER_RATE = Double.parseDouble(System.getProperty("geo.move.otherRate", "0"));
    /** The data source's {@code moveNiceRatio}. */
    private static final double NICE = Double.parseDouble(System.getProperty("geo.move.nice", "0"));

    @Test
    void moveAMillionRowTenantFromBasicToMaximum() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("geo.move.measure"), "set -Dgeo.move.measure=true to measure");
        String db = PostgresFixture.newDatabase("move_measure");
        String columns = "owner text NOT NULL, seq bigint NOT NULL, title text, price numeric(12,2), created timestamptz";
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (tenant_id text NOT NULL, id bigserial, " + columns
                    + ", PRIMARY KEY (tenant_id, id))");
            if (Boolean.getBoolean("geo.move.async")) {
                // -Dgeo.move.async=true: commits in this database do not wait for the WAL flush (what the WAL's
                // share of the other tenant's loss is)
                exec(c, "ALTER DATABASE " + db + " SET synchronous_commit = off");
            }
        }
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Tenant big = TenantWork.active(tenants, "big", "us-ca", IsolationLevel.BASIC);
        Tenant other = TenantWork.active(tenants, "other", "us-ca", IsolationLevel.BASIC);
        try (TenantDataSource ds = IsolationFixture.builder(tenants,
                IsolationFixture.endpoint("main", DeploymentRegion.US_WEST, db)).protectTable("listings").moveNiceRatio(NICE)
                .migrations(SchemaMigrations.of(List.of(new Migration(1, "listings",
                        "CREATE TABLE listings (id bigserial PRIMARY KEY, " + columns + ")")))).build()) {
            ds.provision(big.id());
            ds.provision(other.id());
            try (Connection c = PostgresFixture.admin(db)) {
                exec(c, "INSERT INTO listings (tenant_id, owner, seq, title, price, created) SELECT 'big', 'big', -g,"
                        + " 'listing ' || g, g % 100000, now() FROM generate_series(1, " + ROWS + ") g;"
                        + " INSERT INTO listings (tenant_id, owner, seq, title, price, created) SELECT 'other', 'other',"
                        + " -g, 'listing ' || g, g, now() FROM generate_series(1, 100000) g; ANALYZE listings");
            }
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Long> bigAcks = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Long> otherAcks = new ConcurrentLinkedQueue<>();
            AtomicLong bigFailures = new AtomicLong();
            ConcurrentLinkedQueue<long[]> otherLatencies = new ConcurrentLinkedQueue<>();
            Thread bigWriter = writer(ds, big, running, bigAcks, bigFailures, 0, new ConcurrentLinkedQueue<>());
            Thread otherWriter = writer(ds, other, running, otherAcks, new AtomicLong(), OTHER_RATE, otherLatencies);
            if (!Boolean.getBoolean("geo.move.bigIdle")) {
                bigWriter.start(); // -Dgeo.move.bigIdle=true: the moving tenant does not write (a core to spare)
            }
            otherWriter.start();
            Thread.sleep(10_000); // 5 s of warm-up (JIT, caches), then the 5 s the baseline is measured over
            long moveStart = System.nanoTime();
            String dry = System.getProperty("geo.move.dry", "");
            if (dry.equals("captureToggle")) {
                // the capture's cost to the other tenant, interleaved: 2 s without it, 2 s with it, ten times, so
                // that the machine's drift weighs on both
                long[] off = new long[2];
                long[] on = new long[2];
                try (Connection c = PostgresFixture.admin(db)) {
                    List<com.enterprisehub.geo.isolation.internal.TenantCopy.Table> tables = List.copyOf(
                            com.enterprisehub.geo.isolation.internal.TenantCopy.tables(c,
                            com.enterprisehub.geo.isolation.internal.TenantCopy.Side.sharedTables()).values());
                    for (int cycle = 0; cycle < 10; cycle++) {
                        window(otherAcks, off);
                        com.enterprisehub.geo.isolation.internal.ChangeCapture.install(c, true, tables, "big");
                        window(otherAcks, on);
                        com.enterprisehub.geo.isolation.internal.ChangeCapture.remove(c, "big");
                    }
                }
                stop(running, bigWriter, otherWriter);
                double offRate = off[0] / (off[1] / 1e9);
                double onRate = on[0] / (on[1] / 1e9);
                System.out.printf("DRY captureToggle: other tenant %.0f writes/s without capture, %.0f with it"
                        + " (%.3fx), 10 x 2 s each, interleaved%n", offRate, onRate, onRate / offRate);
                return;
            }
            if (!dry.isEmpty()) {
                // -Dgeo.move.dry=idle|snapshot: no move; 15 s of nothing, or of a repeatable-read snapshot held open
                try (Connection c = PostgresFixture.admin(db)) {
                    c.setAutoCommit(false);
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    if (dry.equals("snapshot")) {
                        exec(c, "SELECT count(*) FROM listings WHERE tenant_id = 'other'");
                    }
                    if (dry.equals("capture")) {
                        c.setAutoCommit(true);
                        com.enterprisehub.geo.isolation.internal.ChangeCapture.install(c, true, List.copyOf(
                                com.enterprisehub.geo.isolation.internal.TenantCopy.tables(c,
                                com.enterprisehub.geo.isolation.internal.TenantCopy.Side.sharedTables()).values()),
                                "big");
                        try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(
                                "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'listings'::regclass")) {
                            while (rs.next()) {
                                System.out.println("TRIGGER " + rs.getString(1));
                            }
                        }
                        if (!System.getProperty("geo.move.drySql", "").isEmpty()) {
                            exec(c, System.getProperty("geo.move.drySql"));
                        }
                        c.setAutoCommit(false);
                    }
                    if (dry.startsWith("burn")) {
                        // a server process busy 1 / (1 + ratio) of the time, in stretches of about 20 ms
                        double ratio = Double.parseDouble(dry.substring(4));
                        c.setAutoCommit(true);
                        long until = System.nanoTime() + 15_000_000_000L;
                        while (System.nanoTime() < until) {
                            long t0 = System.nanoTime();
                            exec(c, "SELECT count(*) FROM generate_series(1, 300000)");
                            Thread.sleep((long) ((System.nanoTime() - t0) * ratio / 1e6));
                        }
                    } else {
                        Thread.sleep(15_000);
                    }
                    if (!c.getAutoCommit()) {
                        c.rollback();
                    }
                    if (dry.equals("capture")) {
                        c.setAutoCommit(true);
                        com.enterprisehub.geo.isolation.internal.ChangeCapture.remove(c, "big");
                    }
                }
                long end = System.nanoTime();
                Thread.sleep(AFTER_MILLIS);
                stop(running, bigWriter, otherWriter);
                double baseline = baseline(otherAcks, moveStart, end);
                StringBuilder line = new StringBuilder("DRY " + dry + ": other tenant " + Math.round(baseline)
                        + " writes/s before and after (" + Math.round(rate(otherAcks, moveStart - 5_000_000_000L,
                        moveStart)) + ", " + Math.round(rate(otherAcks, end + 1_000_000_000L, end + 6_000_000_000L))
                        + "), " + String.format("%.2fx", rate(otherAcks, moveStart, end) / baseline)
                        + " during; per second:");
                for (long t = moveStart; t < end + 2_000_000_000L; t += 1_000_000_000L) {
                    line.append(String.format(" %.2f", rate(otherAcks, t, t + 1_000_000_000L) / baseline));
                }
                System.out.println(line);
                return;
            }
            MoveResult result = ds.move(big.id(), IsolationLevel.MAXIMUM, "main");
            long moveEnd = System.nanoTime();
            Thread.sleep(AFTER_MILLIS);
            stop(running, bigWriter, otherWriter);
            double baseline = baseline(otherAcks, moveStart, moveEnd);
            double during = rate(otherAcks, moveStart, moveEnd);
            long gap = 0;
            Long previous = null;
            for (Long t : bigAcks) {
                if (previous != null) {
                    gap = Math.max(gap, t - previous);
                }
                previous = t;
            }
            System.out.printf("MOVE %,d rows BASIC -> MAXIMUM, nice ratio %s: total %.1f s, write pause %d ms (longest gap between the"
                    + " moving tenant's acknowledged writes %d ms, %d failed), caught up %d rows; other tenant %.0f"
                    + " writes/s before and after (%.0f, %.0f), %.0f during (%.2fx)%n", ROWS, NICE,
                    (moveEnd - moveStart) / 1e9, result.writePause().toMillis(), gap / 1_000_000, bigFailures.get(),
                    result.caughtUp(), baseline, rate(otherAcks, moveStart - 5_000_000_000L, moveStart),
                    rate(otherAcks, moveEnd + 1_000_000_000L, moveEnd + 6_000_000_000L), during, during / baseline);
            if (OTHER_RATE > 0) {
                System.out.printf("  the other tenant at a fixed %.0f writes/s: latency from each write's due time p50 /"
                        + " p99 / max, before and after the move %s, during it %s%n", OTHER_RATE,
                        latencies(otherLatencies, moveStart - 5_000_000_000L, moveStart, moveEnd + 1_000_000_000L,
                                moveEnd + 6_000_000_000L),
                        latencies(otherLatencies, moveStart, moveEnd, moveStart, moveEnd));
            }
            java.util.Map<Step, Long> steps = ds.moveJournal().stepStarts();
            long[] frozen = ds.moveJournal().lastFreeze();
            long copy = steps.get(Step.COPIED);
            long erase = steps.get(Step.SOURCE_ERASED);
            System.out.printf("  the moving tenant: %.0f writes/s before and after, %.0f during; autovacuum runs during the move: %s%n",
                    baseline(bigAcks, moveStart, moveEnd), rate(bigAcks, moveStart, moveEnd),
                    autovacuums(db));
            System.out.printf("  phases: target %.1f s, snapshot copy with its verification and the catch-up passes"
                    + " %.1f s, frozen %.3f s, switch to erase %.1f s, erase %.1f s; verified by %s; the other tenant's"
                    + " write rate during the copy and catch-up %.2fx, during the erase %.2fx%n",
                    (copy - moveStart) / 1e9, (frozen[0] - copy) / 1e9, (frozen[1] - frozen[0]) / 1e9,
                    (erase - frozen[1]) / 1e9, (moveEnd - erase) / 1e9, ds.moveJournal().lastVerification(),
                    rate(otherAcks, copy, frozen[0]) / baseline, rate(otherAcks, erase, moveEnd) / baseline);
            if (Boolean.getBoolean("geo.move.timeline")) {
                StringBuilder line = new StringBuilder("  other tenant per second from the move's start (vs baseline):");
                for (long t = moveStart; t < moveEnd; t += 1_000_000_000L) {
                    line.append(String.format(" %.2f", rate(otherAcks, t, t + 1_000_000_000L) / baseline));
                }
                System.out.println(line);
                if (OTHER_RATE > 0) {
                    StringBuilder p99 = new StringBuilder("  the other tenant's p99 latency per second (ms):");
                    for (long t = moveStart; t < moveEnd; t += 1_000_000_000L) {
                        long from = t;
                        long[] sorted = otherLatencies.stream().filter(l -> l[0] >= from && l[0] < from + 1_000_000_000L)
                                .mapToLong(l -> l[1]).sorted().toArray();
                        p99.append(sorted.length == 0 ? " -" : String.format(" %.1f", sorted[(int) (sorted.length * 0.99)] / 1e6));
                    }
                    System.out.println(p99);
                }
            }
            assertThat(result.rows().get("listings")).isGreaterThanOrEqualTo((long) ROWS);
        }
    }

    /** Autovacuum and autoanalyze counts of every table the statistics views show, in the databases of the move. */
    private static String autovacuums(String db) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = PostgresFixture.admin(db); java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT relname, autovacuum_count, autoanalyze_count"
                        + " FROM pg_stat_all_tables WHERE autovacuum_count + autoanalyze_count > 0"
                        + " AND schemaname NOT IN ('pg_catalog', 'pg_toast')")) {
            while (rs.next()) {
                out.append(rs.getString(1)).append(" vacuum ").append(rs.getLong(2)).append(" analyze ")
                        .append(rs.getLong(3)).append("; ");
            }
        }
        return out.length() == 0 ? "none in " + db : out.toString();
    }

    private static void stop(AtomicBoolean running, Thread... writers) throws InterruptedException {
        running.set(false);
        for (Thread writer : writers) {
            writer.join();
        }
    }

    /** Waits 200 ms, then adds the acknowledgements of the next 1.8 s and that time to {@code sum}. */
    private static void window(ConcurrentLinkedQueue<Long> acks, long[] sum) throws InterruptedException {
        Thread.sleep(200);
        long from = System.nanoTime();
        Thread.sleep(1_800);
        long to = System.nanoTime();
        sum[0] += acks.stream().filter(t -> t >= from && t < to).count();
        sum[1] += to - from;
    }

    /** How long the writers go on after the move: 1 s to settle, then the 5 s of the second half of the baseline. */
    private static final long AFTER_MILLIS = 6_500;

    /**
     * The other tenant's rate without a move: over the 5 s before it and the 5 s from 1 s after it, so that a drift of
     * the machine's speed during the run (a shared host's) weighs on both sides of the comparison.
     */
    private static double baseline(ConcurrentLinkedQueue<Long> acks, long start, long end) {
        return (rate(acks, start - 5_000_000_000L, start) + rate(acks, end + 1_000_000_000L, end + 6_000_000_000L)) / 2;
    }

    /** p50 / p99 / max of the latencies acknowledged in either of two windows, in ms. */
    private static String latencies(ConcurrentLinkedQueue<long[]> all, long from1, long to1, long from2, long to2) {
        long[] sorted = all.stream().filter(l -> (l[0] >= from1 && l[0] < to1) || (l[0] >= from2 && l[0] < to2))
                .mapToLong(l -> l[1]).sorted().toArray();
        if (sorted.length == 0) {
            return "(none)";
        }
        return String.format("%.2f / %.2f / %.1f ms", sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static double rate(ConcurrentLinkedQueue<Long> acks, long from, long to) {
        return acks.stream().filter(t -> t >= from && t < to).count() / ((to - from) / 1e9);
    }

    /**
     * A writer inserting as fast as one thread can ({@code rate} 0), or at a fixed rate: each write is due at the
     * start plus n / rate, and its latency counts from then (a write that waited behind a slow one waited too).
     */
    private static Thread writer(TenantDataSource ds, Tenant tenant, AtomicBoolean running,
            ConcurrentLinkedQueue<Long> acks, AtomicLong failures, double rate, ConcurrentLinkedQueue<long[]> latencies) {
        return new Thread(() -> {
            long seq = 0;
            long start = System.nanoTime();
            while (running.get()) {
                long n = ++seq;
                long due = rate > 0 ? start + (long) (n * 1e9 / rate) : System.nanoTime();
                while (rate > 0 && System.nanoTime() < due) {
                    java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                }
                try {
                    as(tenant, () -> {
                        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                                "INSERT INTO listings (owner, seq, title, price, created) VALUES (?, ?, 'live', 1, now())")) {
                            ps.setString(1, tenant.id().value());
                            ps.setLong(2, n);
                            ps.executeUpdate();
                        }
                        return null;
                    });
                    long ack = System.nanoTime();
                    acks.add(ack);
                    if (rate > 0) {
                        latencies.add(new long[] {ack, ack - due});
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            }
        }, "writer-" + tenant.id());
    }
}
