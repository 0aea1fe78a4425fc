package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.isolation.IsolationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
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
    /** For a source that is a database of the tenant's own: an administrator connection to it, and its name. */
    private final Connection database;
    private final String databaseName;
    private final String tenant;
    private final String endpoint;
    private final MoveJournal journal;
    private volatile String lost;

    private MoveLease(Connection connection, Connection database, String databaseName, String tenant,
            String endpoint, MoveJournal journal) {
        this.connection = connection;
        this.database = database;
        this.databaseName = databaseName;
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
        return new MoveLease(control.open(), null, null, tenant, endpoint, journal);
    }

    /**
     * As {@link #open(ControlPlaneConnections, String, String, MoveJournal)}, for a source that is a database of the
     * tenant's own ({@code databaseName}, reached through {@code database}): its lease is renewed there too.
     */
    public static MoveLease open(ControlPlaneConnections control, ControlPlaneConnections database,
            String databaseName, String tenant, String endpoint, MoveJournal journal) throws SQLException {
        Connection c = control.open();
        try {
            return new MoveLease(c, database.open(), databaseName, tenant, endpoint, journal);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Starts renewing the lease the fence took, every third of it, on this lease's own connection. */
    public void start() {
        long every = Math.max(1, journal.lease().toMillis() / 3);
        renewer.scheduleWithFixedDelay(() -> {
            if (journal.stalled() || lost != null) {
                return; // a stalled mover (test hook) renews nothing, as a dead one would not
            }
            try {
                if (!renew(connection, tenant, endpoint, journal.lease()) || (database != null
                        && !renewDatabase(database, tenant, databaseName, journal.lease()))) {
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
            if (database != null) {
                database.close();
            }
        } catch (SQLException e) {
            LOG.debug("Closing the lease connection failed: {}", e.getMessage());
        }
    }

    /**
     * Takes the tenant's placement lock in its endpoint's control plane exclusively, to the end of the caller's
     * transaction (waits up to a bound). Its key, {@code geo_control.placement_lock_key}, is the one
     * {@code geo_control.bind_placement} takes shared: a hash of the binding key and the tenant id, which no tenant
     * session can compute (so none can hold it to stall another).
     */
    public static void lockPlacement(Connection control, String tenant) throws SQLException {
        Sql.execute(control, "SET LOCAL lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'");
        try (PreparedStatement ps = control.prepareStatement("SELECT k, pg_advisory_xact_lock(k)"
                + " FROM geo_control.placement_lock_key(?) AS k WHERE k IS NOT NULL")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("The control plane has no binding key, so the placement of tenant '"
                            + tenant + "' cannot be locked; install the control plane (start a TenantDataSource on"
                            + " it) first.", "55000");
                }
            }
        }
    }

    /**
     * Takes the tenant's lock in its own database (MAXIMUM), where only its own role logs in, exclusively to the end
     * of the caller's transaction; the database's login trigger takes it shared.
     */
    private static void lockTenantDatabase(Connection tenantAdmin, String tenant) throws SQLException {
        Sql.execute(tenantAdmin, "SET LOCAL lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'");
        try (PreparedStatement ps = tenantAdmin.prepareStatement(
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
    public void renewOrFail(Connection control, Connection source, String tenant, String endpoint, Duration lease)
            throws SQLException {
        if (lost != null || !renew(control, tenant, endpoint, lease)
                || (databaseName != null && !renewDatabase(source, tenant, databaseName, lease))) {
            throw expired(tenant, lost);
        }
    }

    // ---------- a source that is a database of the tenant's own (MAXIMUM) ----------
    // Its sessions log in as its own role, without the binding function, so the lease is enforced where they log in:
    // a login event trigger of the database refuses the role while the lease (a database setting, read from the
    // catalog under the placement lock) runs. Past it, logins proceed on the source; 'forever' once switched.

    /** The database setting that holds the lease: seconds since the epoch, or {@code forever}. */
    private static final String SETTING = "geo.move_lease";

    /**
     * Freezes the tenant's own database (through an administrator connection to it): from the commit, logins of its
     * role are refused (SQLSTATE 55000) until the lease, {@code lease} from now, runs out or the freeze is undone.
     */
    public static void freezeDatabase(Connection tenantAdmin, String tenant, String database, Duration lease)
            throws SQLException {
        inTransaction(tenantAdmin, () -> {
            lockTenantDatabase(tenantAdmin, tenant);
            Sql.execute(tenantAdmin, "CREATE SCHEMA IF NOT EXISTS geo_move");
            Sql.execute(tenantAdmin, "REVOKE ALL ON SCHEMA geo_move FROM PUBLIC");
            Sql.execute(tenantAdmin, "CREATE OR REPLACE FUNCTION geo_move.on_login() RETURNS event_trigger"
                    + " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$"
                    + " DECLARE v text; BEGIN IF session_user = " + SchemaTenants.literal(database) + " THEN"
                    + " PERFORM pg_advisory_xact_lock_shared(hashtext('geo-placement'), hashtext("
                    + SchemaTenants.literal(tenant) + "));"
                    + " SELECT substr(c, " + (SETTING.length() + 2) + ") INTO v FROM pg_db_role_setting s,"
                    + " unnest(s.setconfig) c WHERE s.setrole = 0 AND s.setdatabase = (SELECT oid FROM pg_database"
                    + " WHERE datname = current_database()) AND c LIKE '" + SETTING.replace("_", "\\_") + "=%';"
                    + " IF v = 'forever' OR v::numeric > extract(epoch FROM clock_timestamp()) THEN"
                    + " RAISE EXCEPTION 'geo: tenant % is being moved; its database refuses logins until the move"
                    + " ends or its lease runs out', " + SchemaTenants.literal(tenant) + " USING ERRCODE = '55000';"
                    + " END IF; END IF; END $f$");
            Sql.execute(tenantAdmin, "DROP EVENT TRIGGER IF EXISTS geo_move_freeze");
            Sql.execute(tenantAdmin, "CREATE EVENT TRIGGER geo_move_freeze ON login EXECUTE FUNCTION"
                    + " geo_move.on_login()");
            setDatabaseLease(tenantAdmin, database, lease);
            return true;
        });
    }

    /**
     * Extends the database's lease if it still runs. A database sealed for the switch ('forever') refuses every login
     * of the role whatever the time: nothing to extend, and true, so that the renewal goes on with the control plane's
     * lease while the mover catches up after the seal (before, the renewal stopped at the seal, and work after it that
     * outlasted the lease failed the switch). False if it ran out or is absent.
     */
    public static boolean renewDatabase(Connection tenantAdmin, String tenant, String database, Duration lease)
            throws SQLException {
        return inTransaction(tenantAdmin, () -> {
            lockTenantDatabase(tenantAdmin, tenant);
            if (sealed(tenantAdmin)) {
                return true;
            }
            if (!databaseLeaseRuns(tenantAdmin)) {
                return false;
            }
            setDatabaseLease(tenantAdmin, database, lease);
            return true;
        });
    }

    /**
     * At the switch: the database's lease made 'forever' if it still runs, under the tenant database's placement lock
     * (the one its login trigger takes), and every session of its role told to end. From the commit no login of the role passes its trigger. A session of the role found
     * here is usually a login the trigger is refusing (visible with its user name before the trigger ends it, and a
     * pool of another instance keeps trying); one that passed the trigger would mean the trigger did not run
     * ({@code event_triggers} off), so the caller, told how many there were, catches up once more after they end.
     *
     * @return -1 if the lease ran out (nothing sealed), else how many sessions of the role were told to end
     */
    public static int sealDatabase(Connection tenantAdmin, String tenant, String database) throws SQLException {
        int[] ended = {-1};
        inTransaction(tenantAdmin, () -> {
            lockTenantDatabase(tenantAdmin, tenant);
            if (!databaseLeaseRuns(tenantAdmin)) {
                return false;
            }
            Sql.execute(tenantAdmin, "ALTER DATABASE " + Sql.quote(database) + " SET " + SETTING + " = 'forever'");
            ended[0] = endSessions(tenantAdmin, database);
            return true;
        });
        return ended[0];
    }

    /**
     * Releases the seal ({@link #sealDatabase}) of a mover that stopped before its switch: the database's lease, if
     * it is 'forever', becomes one that has run out, so that logins of its role pass again, as after any lease that
     * ran out (the freeze's trigger stays; a move that resumes freezes it again). The caller must know that the move
     * did not switch and cannot switch meanwhile (see {@code TenantMover.releaseAbandonedSeal}).
     *
     * @return whether the database was sealed (and is released now)
     */
    public static boolean releaseSeal(Connection tenantAdmin, String tenant, String database) throws SQLException {
        return inTransaction(tenantAdmin, () -> {
            lockTenantDatabase(tenantAdmin, tenant);
            if (!sealed(tenantAdmin)) {
                return false;
            }
            setDatabaseLease(tenantAdmin, database, Duration.ZERO);
            return true;
        });
    }

    /**
     * Tells every session of the database's own role to end and waits, at most {@code millis}, until none is left.
     *
     * @return how many were told to end
     * @throws IsolationException if some are still there after the wait
     */
    public static int endSessionsAndWait(Connection tenantAdmin, String tenant, String database, long millis)
            throws SQLException {
        int ended = endSessions(tenantAdmin, database);
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            try (PreparedStatement ps = tenantAdmin.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = ? AND usename = ? AND pid <> pg_backend_pid()")) {
                ps.setString(1, database);
                ps.setString(2, database);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return ended;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IsolationException("Sessions of tenant '" + tenant + "' are still logged in to its source"
                        + " database " + millis + " ms after they were told to end. Nothing was switched; the tenant"
                        + " stays where it was. Call move again to retry.");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IsolationException("Interrupted while sealing the database of tenant '" + tenant + "'.");
            }
            endSessions(tenantAdmin, database);
        }
    }

    private static int endSessions(Connection tenantAdmin, String database) throws SQLException {
        try (PreparedStatement ps = tenantAdmin.prepareStatement("SELECT count(*) FILTER (WHERE"
                + " pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ? AND usename = ?"
                + " AND pid <> pg_backend_pid()")) {
            ps.setString(1, database);
            ps.setString(2, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Undoes the freeze of the tenant's own database: no trigger, no lease. Idempotent. */
    public static void thawDatabase(Connection tenantAdmin, String database) throws SQLException {
        Sql.execute(tenantAdmin, "DROP EVENT TRIGGER IF EXISTS geo_move_freeze");
        // the freeze's function only: the schema also holds the move's change capture, kept for a retry
        Sql.execute(tenantAdmin, "DROP FUNCTION IF EXISTS geo_move.on_login()");
        Sql.execute(tenantAdmin, "ALTER DATABASE " + Sql.quote(database) + " RESET " + SETTING);
    }

    private static boolean databaseLeaseRuns(Connection tenantAdmin) throws SQLException {
        Optional<String> lease = databaseLease(tenantAdmin);
        if (lease.isEmpty() || lease.get().equals("forever")) {
            return false;
        }
        try (PreparedStatement now = tenantAdmin.prepareStatement(
                "SELECT ?::numeric > extract(epoch FROM clock_timestamp())")) {
            now.setString(1, lease.get());
            try (ResultSet r = now.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    /** Whether the database is sealed for a switch: its lease is 'forever'. */
    private static boolean sealed(Connection tenantAdmin) throws SQLException {
        return databaseLease(tenantAdmin).filter("forever"::equals).isPresent();
    }

    /** The database's lease setting: seconds since the epoch, or 'forever'; empty when it has none. */
    private static Optional<String> databaseLease(Connection tenantAdmin) throws SQLException {
        try (PreparedStatement ps = tenantAdmin.prepareStatement("SELECT substr(c, ?) FROM pg_db_role_setting s,"
                + " unnest(s.setconfig) c WHERE s.setrole = 0 AND s.setdatabase = (SELECT oid FROM pg_database"
                + " WHERE datname = current_database()) AND c LIKE ?")) {
            ps.setInt(1, SETTING.length() + 2);
            ps.setString(2, SETTING.replace("_", "\\_") + "=%");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static void setDatabaseLease(Connection tenantAdmin, String database, Duration lease) throws SQLException {
        String until;
        try (PreparedStatement ps = tenantAdmin.prepareStatement(
                "SELECT extract(epoch FROM clock_timestamp() + ? * interval '1 millisecond')::text")) {
            ps.setLong(1, lease.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                until = rs.getString(1);
            }
        }
        Sql.execute(tenantAdmin, "ALTER DATABASE " + Sql.quote(database) + " SET " + SETTING + " = '" + until + "'");
    }

    /** Work that returns a result, in one transaction of {@code c}. */
    @FunctionalInterface
    private interface Work {
        boolean run() throws SQLException;
    }

    private static boolean inTransaction(Connection c, Work work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            boolean result = work.run();
            if (result) {
                c.commit();
            } else {
                c.rollback();
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
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
