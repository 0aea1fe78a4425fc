package com.enterprisehub.geo.isolation.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces each tenant's statement timeout whatever its session set: the switch sets {@code statement_timeout},
 * but SQL on a borrowed connection can set it to 0 and run unbounded, holding one of the connections every tenant
 * of the endpoint shares (or, for a tenant with its own database, the server's processors). While a connection is
 * borrowed by a tenant with a timeout, a sweep (one administrator query for all of them) cancels any statement of
 * that backend that has run longer than the timeout plus a grace period (PostgreSQL's own timeout fires first when
 * the session left it alone), provided the backend is still the tenant's: bound to that tenant in the shared
 * database, or logged in as the tenant's own login role for a tenant pool (MAXIMUM, REGULATORY), so a connection
 * returned and borrowed again is never cancelled for its previous borrower. Each cancellation is reported
 * ({@code statement-timeout}) and logged.
 *
 * <p>The sweep runs every quarter of the shortest timeout watched, between 100 ms and 1 s, on one daemon thread
 * per endpoint, and only while something is watched. A borrow costs one map insertion and one removal. It reads
 * {@code pg_stat_activity}: with {@code track_activities} off for the application role it sees nothing to cancel.
 * Thread-safe. Not part of the API.
 */
public final class StatementWatchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatementWatchdog.class);
    /** Past the timeout, how long PostgreSQL's own statement_timeout has to fire before the watchdog does. */
    static final long GRACE_MILLIS = 250;
    /**
     * Over-running backends still bound to the watched tenant: cancelled the first time, terminated the next (SQL
     * can catch a cancel: a PL/pgSQL loop with an EXCEPTION WHEN query_canceled handler); returns whether the
     * signal was sent.
     */
    private static final String SWEEP = "SELECT w.pid, w.tenant, w.struck, CASE WHEN w.struck"
            + " THEN pg_catalog.pg_terminate_backend(w.pid) ELSE pg_catalog.pg_cancel_backend(w.pid) END"
            + " FROM unnest(?::int[], ?::text[], ?::bigint[], ?::boolean[]) AS w(pid, tenant, ms, struck)"
            + " JOIN pg_catalog.pg_stat_activity a ON a.pid = w.pid"
            + " JOIN geo_control.session_binding b ON b.pid = w.pid AND b.tenant = w.tenant"
            + " WHERE a.state = 'active' AND a.query_start < pg_catalog.clock_timestamp() - (w.ms + " + GRACE_MILLIS
            + ") * interval '1 millisecond'";
    /**
     * The same for sessions of a tenant's own database: the backend must still be logged in as the tenant's login
     * role (only that tenant's pool logs in as it). Reads only {@code pg_stat_activity}, so it also runs on a
     * dedicated server, where there is no control plane.
     */
    private static final String SWEEP_OWN = "SELECT w.pid, w.tenant, w.struck, CASE WHEN w.struck"
            + " THEN pg_catalog.pg_terminate_backend(w.pid) ELSE pg_catalog.pg_cancel_backend(w.pid) END"
            + " FROM unnest(?::int[], ?::text[], ?::bigint[], ?::boolean[], ?::text[]) AS w(pid, tenant, ms, struck, role)"
            + " JOIN pg_catalog.pg_stat_activity a ON a.pid = w.pid AND a.usename = w.role"
            + " WHERE a.state = 'active' AND a.query_start < pg_catalog.clock_timestamp() - (w.ms + " + GRACE_MILLIS
            + ") * interval '1 millisecond'";

    /** How the watchdog reaches the endpoint as its administrator. */
    @FunctionalInterface
    public interface AdminConnections {
        Connection open() throws SQLException;
    }

    /** {@code role}: the tenant's own login role for a session of its own database; null for a shared session. */
    private record Watch(Object key, int pid, String tenant, long timeoutMillis, String role) {
    }

    private final String endpoint;
    private final AdminConnections admin;
    private final SecurityReporter enforced;
    private final Map<Object, Watch> watched = new ConcurrentHashMap<>();
    /** The borrows whose statement was cancelled once already: the next signal terminates the backend. */
    private final Map<Object, Boolean> struck = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> sweeping;
    private volatile long periodMillis;
    private Connection connection;
    private boolean closed;

    public StatementWatchdog(String endpoint, AdminConnections admin, SecurityReporter enforced) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.enforced = Objects.requireNonNull(enforced, "enforced");
    }

    /** Watches the statements of backend {@code pid}, borrowed through {@code key} by {@code tenant}, until unwatched. */
    void watch(Object key, int pid, String tenant, long timeoutMillis) {
        watch(key, pid, tenant, null, timeoutMillis);
    }

    /**
     * As {@link #watch(Object, int, String, long)}; {@code role} is the tenant's own login role when the backend
     * serves the tenant's own database (null: a shared session, checked against its binding).
     */
    void watch(Object key, int pid, String tenant, String role, long timeoutMillis) {
        if (timeoutMillis <= 0) {
            return;
        }
        watched.put(key, new Watch(key, pid, tenant, timeoutMillis, role));
        long period = Math.max(100, Math.min(1000, timeoutMillis / 4));
        if (period >= periodMillis && periodMillis > 0) {
            return; // already sweeping often enough: no lock on the borrow path
        }
        synchronized (this) {
            if (closed || (sweeping != null && period >= periodMillis)) {
                return;
            }
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "geo-statement-watchdog-" + endpoint);
                    t.setDaemon(true);
                    return t;
                });
            }
            if (sweeping != null) {
                sweeping.cancel(false);
            }
            periodMillis = period;
            sweeping = timer.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops watching what was borrowed through {@code key}. */
    void unwatch(Object key) {
        watched.remove(key);
        struck.remove(key);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("The statement watchdog of endpoint '{}' could not sweep: {}", endpoint, e.toString());
            closeConnection();
        }
    }

    /** One sweep: cancels what has over-run its tenant's timeout. */
    void sweep() throws SQLException {
        Watch[] all = watched.values().toArray(new Watch[0]);
        if (all.length == 0) {
            return;
        }
        Watch[] shared = java.util.Arrays.stream(all).filter(w -> w.role() == null).toArray(Watch[]::new);
        Watch[] own = java.util.Arrays.stream(all).filter(w -> w.role() != null).toArray(Watch[]::new);
        if (shared.length > 0) {
            sweep(shared, false);
        }
        if (own.length > 0) {
            sweep(own, true);
        }
    }

    private void sweep(Watch[] now, boolean ownDatabases) throws SQLException {
        Integer[] pids = new Integer[now.length];
        String[] tenants = new String[now.length];
        Long[] limits = new Long[now.length];
        Boolean[] strikes = new Boolean[now.length];
        String[] roles = new String[now.length];
        Map<Integer, Watch> byPid = new java.util.HashMap<>();
        for (int i = 0; i < now.length; i++) {
            pids[i] = now[i].pid();
            tenants[i] = now[i].tenant();
            limits[i] = now[i].timeoutMillis();
            strikes[i] = struck.containsKey(now[i].key());
            roles[i] = now[i].role();
            byPid.put(now[i].pid(), now[i]);
        }
        Connection c = connection();
        try (PreparedStatement ps = c.prepareStatement(ownDatabases ? SWEEP_OWN : SWEEP)) {
            Array a = c.createArrayOf("int4", pids);
            Array b = c.createArrayOf("text", tenants);
            Array d = c.createArrayOf("int8", limits);
            Array e = c.createArrayOf("bool", strikes);
            ps.setArray(1, a);
            ps.setArray(2, b);
            ps.setArray(3, d);
            ps.setArray(4, e);
            if (ownDatabases) {
                ps.setArray(5, c.createArrayOf("text", roles));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(4)) {
                        continue; // no signal sent (the backend had ended): nothing enforced, nothing to report
                    }
                    Watch watch = byPid.get(rs.getInt(1));
                    if (rs.getBoolean(3) || watch == null || struck.putIfAbsent(watch.key(), Boolean.TRUE) != null) {
                        LOG.warn("Statement timeout: backend {} of tenant {} on endpoint '{}' ignored its cancel and"
                                + " was terminated", rs.getInt(1), rs.getString(2), endpoint);
                        continue; // reported once per borrow, at its first cancel
                    }
                    String tenant = rs.getString(2);
                    String detail = "a statement of backend " + rs.getInt(1) + " on endpoint '" + endpoint
                            + "' ran past the tenant's statement timeout (its session had changed or lifted it)"
                            + " and was cancelled (terminated if it ignores the cancel)";
                    LOG.warn("Statement timeout enforced for tenant {}: {}", tenant, detail);
                    enforced.report("statement-timeout", tenant, detail);
                }
            }
        }
    }

    private synchronized Connection connection() throws SQLException {
        if (closed) {
            throw new SQLException("the statement watchdog of endpoint '" + endpoint + "' is closed");
        }
        if (connection == null || connection.isClosed()) {
            connection = admin.open();
            connection.setAutoCommit(true);
        }
        return connection;
    }

    private synchronized void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // reopened on the next sweep
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
        closeConnection();
    }
}
