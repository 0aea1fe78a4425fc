package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.isolation.IsolationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * The journal of tenant moves, in the control plane of the endpoint a tenant is moved from
 * ({@code geo_control.tenant_move}): which step a move finished, so that a move that stopped resumes from there.
 * Also the test-only failure point a move passes before each step ({@link #failBefore}). Thread-safe. Not part of
 * the API.
 */
public final class MoveJournal {
    /** The steps of a move, in order; a journal row records the last one finished. */
    public enum Step {
        /** The move is recorded; nothing was changed yet. */
        STARTED,
        /** The target exists, with the tenant's migrations applied (a schema, a database; BASIC: nothing). */
        TARGET_READY,
        /** A consistent snapshot of the tenant's rows is copied to the target. */
        COPIED,
        /**
         * The tenant's writes on the source are stopped for every instance (its placement is MOVING) while the
         * freeze's lease runs ({@link MoveLease}).
         */
        FROZEN,
        /** The target holds exactly the source's rows: counts and checksums agree on every table. */
        VERIFIED,
        /** The placement names the target; the tenant is routed there. */
        SWITCHED,
        /** The source is erased; the journal row goes next. */
        SOURCE_ERASED
    }

    /** A recorded move. */
    public record Entry(String tenant, String sourceLevel, String sourceEndpoint, String sourceLocation,
            String targetLevel, String targetEndpoint, String targetLocation, Step step) {
        public Entry {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(step, "step");
        }
    }

    private volatile Step failBefore;
    private volatile long[] lastFreeze = {0, 0};

    /** Records when the last freeze of this instance began and ended ({@link System#nanoTime()}), for tests. */
    public void frozen(long start, long end) {
        lastFreeze = new long[] {start, end};
    }

    /** The last freeze's start and end ({@link System#nanoTime()}), for tests. */
    public long[] lastFreeze() {
        return lastFreeze.clone();
    }

    /**
     * Test hook: the next move fails (as a crash would, with an {@link IsolationException}) just before it starts
     * {@code step}; null turns it off. The hook fires once.
     */
    public void failBefore(Step step) {
        this.failBefore = step;
    }

    private volatile String lastVerification = "";

    /** Records how the last freeze verified the target: {@code changes} or {@code whole: <why>}. */
    public void verifiedBy(String how) {
        lastVerification = how;
    }

    /** How the last freeze of this data source verified the target (test hook): {@code changes} or {@code whole: ...}. */
    public String lastVerification() {
        return lastVerification;
    }

    private volatile Step runBefore;
    private volatile Runnable action;

    /**
     * Test hook: the next move runs {@code action} just before it starts {@code step} (to make something happen at
     * that point, as another session would); fires once.
     */
    public void runBefore(Step step, Runnable action) {
        this.action = action;
        this.runBefore = step;
    }

    /** How long a freeze's lease lasts between renewals (renewed every third of it). */
    public static final java.time.Duration LEASE = java.time.Duration.ofSeconds(30);

    private volatile java.time.Duration lease = LEASE;
    private volatile Step stallBefore;
    private volatile java.util.concurrent.CountDownLatch stallUntil;
    private volatile boolean stalled;
    private volatile int moverPid;

    /** The lease this instance's freezes take (test hook: shorter, so that a test sees one run out). */
    public java.time.Duration lease() {
        return lease;
    }

    /** Test hook: the lease of this instance's next freezes. */
    public void lease(java.time.Duration lease) {
        this.lease = Objects.requireNonNull(lease, "lease");
    }

    /**
     * Test hook, as a process that stops (killed, or paused) at that point: the next move, just before it starts
     * {@code step}, stops renewing its lease and waits until {@code release} is counted down (at most 60 s), then
     * goes on (a killed process never does: kill its connections first, {@link #moverPid}). Fires once.
     */
    public void stallBefore(Step step, java.util.concurrent.CountDownLatch release) {
        this.stallUntil = release;
        this.stallBefore = step;
    }

    /** Whether the move is stalled by {@link #stallBefore} (its lease is not renewed). */
    public boolean stalled() {
        return stalled;
    }

    /** The backend pid of the control-plane session of this instance's last move (it holds the move lock). */
    public int moverPid() {
        return moverPid;
    }

    /** Records the pid of the move's control-plane session. */
    public void moverPid(int pid) {
        this.moverPid = pid;
    }

    private final java.util.Map<Step, Long> stepStarts = new java.util.concurrent.ConcurrentHashMap<>();

    /** When ({@link System#nanoTime()}) the last move of this data source started each step it ran (test hook). */
    public java.util.Map<Step, Long> stepStarts() {
        return java.util.Map.copyOf(stepStarts);
    }

    /** Called by a move before it starts {@code step}: runs the test action, or fails, if the test hooks say so. */
    public void beforeStep(Step step) {
        if (step == Step.STARTED || step == Step.TARGET_READY && !stepStarts.containsKey(Step.STARTED)) {
            stepStarts.clear();
        }
        stepStarts.put(step, System.nanoTime());
        if (step == stallBefore) {
            stallBefore = null;
            stalled = true;
            try {
                stallUntil.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stalled = false;
            }
        }
        if (step == runBefore) {
            runBefore = null;
            action.run();
        }
        if (step == failBefore) {
            failBefore = null;
            throw new IsolationException("Injected failure before move step " + step + " (test hook).");
        }
    }

    /** The move recorded for {@code tenant}, if any. */
    public static Optional<Entry> find(Connection admin, String tenant) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT tenant, source_level, source_endpoint,"
                + " source_location, target_level, target_endpoint, target_location, step FROM geo_control.tenant_move"
                + " WHERE tenant = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), Step.valueOf(rs.getString(8))));
            }
        }
    }

    /** Records a new move at {@link Step#STARTED}; false if one is recorded for the tenant already. */
    public static boolean start(Connection admin, Entry entry) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("INSERT INTO geo_control.tenant_move (tenant, source_level,"
                + " source_endpoint, source_location, target_level, target_endpoint, target_location, step)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant) DO NOTHING")) {
            ps.setString(1, entry.tenant());
            ps.setString(2, entry.sourceLevel());
            ps.setString(3, entry.sourceEndpoint());
            ps.setString(4, entry.sourceLocation());
            ps.setString(5, entry.targetLevel());
            ps.setString(6, entry.targetEndpoint());
            ps.setString(7, entry.targetLocation());
            ps.setString(8, Step.STARTED.name());
            return ps.executeUpdate() == 1;
        }
    }

    /** Records that the tenant's move finished {@code step}. */
    public static void advance(Connection admin, String tenant, Step step) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement(
                "UPDATE geo_control.tenant_move SET step = ?, updated_at = now() WHERE tenant = ?")) {
            ps.setString(1, step.name());
            ps.setString(2, tenant);
            if (ps.executeUpdate() != 1) {
                throw new IsolationException("The move of tenant '" + tenant + "' is no longer journaled (another"
                        + " process finished or cancelled it); look its placement up before moving it again.");
            }
        }
    }

    /** Removes the tenant's journal row (the move finished, or was cancelled). */
    public static void remove(Connection admin, String tenant) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("DELETE FROM geo_control.tenant_move WHERE tenant = ?")) {
            ps.setString(1, tenant);
            ps.executeUpdate();
        }
    }
}
