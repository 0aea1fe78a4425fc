package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.isolation.IsolationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease of a move's freeze, in the control plane of the endpoint the tenant is moved from
 * ({@code tenant_placement.lease_until}): the fence takes it, the mover renews it while it runs, and past it the
 * tenant's bindings proceed on the source again ({@code geo_control.bind_placement}) and the mover can neither renew
 * it nor switch. Every change of a placement's freeze (fence, renewal, switch) holds the tenant's placement lock
 * exclusively ({@link #lockPlacement}), which every binding holds shared: so a lease that ran out cannot be renewed
 * after a binding saw it run out. Times are the database server's ({@code clock_timestamp()}), never this host's.
 * A started renewal ({@link #start}) runs on a daemon thread with a connection of its own, until {@link #close}.
 * Thread-safe. Not part of the API.
 */
public final class MoveLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MoveLease.class);

    /** How long a fence waits for bindings in flight (transactions holding the placement lock shared). */
    public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);

    /** Opens an administrator connection to the control plane. */
    @FunctionalInterface
    public interface ControlPlaneConnections {
        /** A new connection, closed by the caller. */
        Connection open() throws SQLException;
    }

    private final ScheduledExecutorService renewer;
    private final Connection connection;
    private final String tenant;
    private final String endpoint;
    private final MoveJournal journal;
    private volatile String lost;

    private MoveLease(Connection connection, String tenant, String endpoint, MoveJournal journal) {
        this.connection = connection;
        this.tenant = tenant;
        this.endpoint = endpoint;
        this.journal = journal;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "geo-move-lease-" + tenant);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the renewal's connection (before the freeze, so that the freeze does not wait for it); renewing starts
     * with {@link #start()}.
     */
    public static MoveLease open(ControlPlaneConnections control, String tenant, String endpoint,
            MoveJournal journal) throws SQLException {
        return new MoveLease(control.open(), tenant, endpoint, journal);
    }

    /** Starts renewing the lease the fence took, every third of it, on this lease's own connection. */
    public void start() {
        long every = Math.max(1, journal.lease().toMillis() / 3);
        renewer.scheduleWithFixedDelay(() -> {
            if (journal.stalled() || lost != null) {
                return; // a stalled mover (test hook) renews nothing, as a dead one would not
            }
            try {
                if (!renew(connection, tenant, endpoint, journal.lease())) {
                    lost = "its lease ran out before it was renewed";
                    LOG.warn("The move of tenant {} lost its freeze's lease; it will not switch", tenant);
                }
            } catch (SQLException | RuntimeException e) {
                lost = "renewing its lease failed: " + e.getMessage();
                LOG.warn("Renewing the freeze's lease of the move of tenant {} failed: {}", tenant, e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** Why renewing failed, if it did (the mover then fails before writing the target or switching). */
    public java.util.Optional<String> lost() {
        return java.util.Optional.ofNullable(lost);
    }

    /** Stops renewing and closes the connection. */
    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            renewer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the lease connection failed: {}", e.getMessage());
        }
    }

    /** Takes the tenant's placement lock exclusively, to the end of the caller's transaction (waits up to a bound). */
    public static void lockPlacement(Connection control, String tenant) throws SQLException {
        Sql.execute(control, "SET LOCAL lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'");
        try (PreparedStatement ps = control.prepareStatement(
                "SELECT pg_advisory_xact_lock(hashtext('geo-placement'), hashtext(?))")) {
            ps.setString(1, tenant);
            ps.execute();
        }
    }

    /**
     * Extends the lease by {@code lease} from now, if it has not run out (in its own transaction, under the placement
     * lock).
     *
     * @return false if the tenant is not MOVING on {@code endpoint} with a lease still running
     */
    public static boolean renew(Connection control, String tenant, String endpoint, Duration lease)
            throws SQLException {
        boolean auto = control.getAutoCommit();
        control.setAutoCommit(false);
        try {
            lockPlacement(control, tenant);
            int updated;
            try (PreparedStatement ps = control.prepareStatement("UPDATE geo_control.tenant_placement SET lease_until ="
                    + " clock_timestamp() + ? * interval '1 millisecond' WHERE tenant = ? AND endpoint = ?"
                    + " AND state = 'MOVING' AND lease_until > clock_timestamp()")) {
                ps.setLong(1, lease.toMillis());
                ps.setString(2, tenant);
                ps.setString(3, endpoint);
                updated = ps.executeUpdate();
            }
            control.commit();
            return updated == 1;
        } catch (SQLException | RuntimeException e) {
            control.rollback();
            throw e;
        } finally {
            control.setAutoCommit(auto);
        }
    }

    /**
     * Renews the lease from the mover's own connection before it writes the target while frozen.
     *
     * @throws IsolationException if the lease ran out (bindings may have written on the source since) or renewing
     *     failed
     */
    public void renewOrFail(Connection control, String tenant, String endpoint, Duration lease) throws SQLException {
        if (lost != null || !renew(control, tenant, endpoint, lease)) {
            throw expired(tenant, lost);
        }
    }

    /** The failure of a move whose lease ran out. */
    public static IsolationException expired(String tenant, String why) {
        return new IsolationException("The freeze of tenant '" + tenant + "' for its move ran past its lease ("
                + (why == null ? "it was not renewed in time" : why) + "): its sessions may have written on the source"
                + " since, so nothing was switched; the tenant stays on its source. Call move again to retry.");
    }

    /** Whether the tenant's lease on {@code endpoint} has run out (MOVING with a lease in the past). */
    public static boolean ranOut(Connection control, String tenant, String endpoint) throws SQLException {
        try (PreparedStatement ps = control.prepareStatement("SELECT 1 FROM geo_control.tenant_placement"
                + " WHERE tenant = ? AND endpoint = ? AND state = 'MOVING' AND lease_until <= clock_timestamp()")) {
            ps.setString(1, tenant);
            ps.setString(2, endpoint);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
