package com.enterprisehub.geo.platform.internal;

import com.enterprisehub.geo.core.tenant.TenantId;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the control plane for changes to {@code geo_platform.tenants}: {@code LISTEN geo_platform_tenants} on
 * one connection of its own, where the trigger that {@code JdbcTenantCatalog} installs sends the id of every row
 * inserted, updated or deleted (and an empty payload on {@code TRUNCATE}), and tells its {@link Sink}.
 *
 * <p>Every heartbeat it runs one query on that connection: it proves the session is alive and the trigger is
 * still in place, and a change committed before the query started has been delivered by the time it answers
 * (PostgreSQL sends pending notifications before it reports ready for the next query). {@link #covers} is true
 * only for what was read after the current {@code LISTEN} took effect and while the last heartbeat is younger
 * than the staleness bound: when the connection dies, stalls or the trigger is gone, the cache falls back to
 * the age of its entries within that bound, and this listener connects and listens again with a back-off.
 *
 * <p>The notification's payload is a tenant id and nothing else; a payload that is neither a tenant id nor empty
 * did not come from the triggers (any role that can connect may {@code NOTIFY}) and is ignored, and full flushes
 * are held to about one per heartbeat. Not part of the API. Thread-safe.
 */
public final class TenantChangeListener implements AutoCloseable {
    /** The channel the trigger notifies. */
    public static final String CHANNEL = "geo_platform_tenants";
    /** The row trigger on {@code geo_platform.tenants}. */
    public static final String ROW_TRIGGER = "tenants_notify";
    /** The statement trigger for {@code TRUNCATE}. */
    public static final String TRUNCATE_TRIGGER = "tenants_notify_truncate";
    /** The {@code application_name} of the listening session, as {@code pg_stat_activity} shows it. */
    public static final String APPLICATION_NAME = "geo-tenant-catalog-listener";

    private static final Logger LOG = LoggerFactory.getLogger(TenantChangeListener.class);
    private static final String TRIGGERS_IN_PLACE = "SELECT count(*) FROM pg_catalog.pg_trigger"
            + " WHERE tgrelid = to_regclass('geo_platform.tenants') AND tgname IN ('" + ROW_TRIGGER + "', '"
            + TRUNCATE_TRIGGER + "') AND tgenabled = 'A'"; // ENABLE ALWAYS: they fire under replication too
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    /** What the listener tells its cache; called on the listener's thread. */
    public interface Sink {
        /** The row of tenant {@code id} changed (or was created or deleted). */
        void changed(TenantId id);

        /** Any tenant may have changed ({@code TRUNCATE}: an empty payload); at most about once per heartbeat. */
        void changedAll();
    }

    /** A live LISTEN session: since when it listens, and when its last heartbeat started (System.nanoTime). */
    private record Session(long since, long confirmed) {
    }

    private final DataSource dataSource;
    private final Sink sink;
    private final long boundNanos;
    private final Duration bound;
    private final int heartbeatMillis;
    private final int networkTimeoutMillis;
    private final Thread thread;
    private volatile Session session;
    private volatile boolean closed;
    private volatile Connection connection;
    private final long heartbeatNanos;
    /** Full flushes, for {@link #flush}: listener thread only. */
    private boolean flushed;
    private long lastFlush;
    private boolean flushPending;

    private TenantChangeListener(DataSource dataSource, Sink sink, Duration bound) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.bound = bound;
        this.boundNanos = bound.toNanos();
        this.heartbeatMillis = (int) Math.max(10, Math.min(5_000, bound.toMillis() / 4));
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
        this.networkTimeoutMillis = (int) Math.max(5_000, Math.min(30_000, bound.toMillis()));
        this.thread = new Thread(this::run, "geo-tenant-catalog-listener");
        this.thread.setDaemon(true);
    }

    /**
     * Starts listening on a connection of {@code dataSource} (held for as long as the listener runs), with a
     * heartbeat every quarter of {@code bound} (10 ms to 5 s).
     */
    public static TenantChangeListener start(DataSource dataSource, Sink sink, Duration bound) {
        TenantChangeListener listener = new TenantChangeListener(dataSource, sink, bound);
        listener.thread.start();
        return listener;
    }

    /**
     * Whether a value read at {@code readAt} is known to be fresh at {@code now} (both {@link System#nanoTime}):
     * it was read after the current LISTEN took effect, and the last heartbeat started less than the bound ago.
     */
    public boolean covers(long readAt, long now) {
        Session s = session;
        return s != null && readAt - s.since >= 0 && now - s.confirmed < boundNanos;
    }

    /** Whether the listener is listening now, with a heartbeat younger than the bound. */
    public boolean listening() {
        Session s = session;
        return s != null && System.nanoTime() - s.confirmed < boundNanos;
    }

    /** Whether the listener's thread is still running (it ends after {@link #close}). */
    public boolean running() {
        return thread.isAlive();
    }

    private void run() {
        long backoff = heartbeatMillis;
        boolean warned = false;
        boolean listenedBefore = false;
        while (!closed) {
            try (Connection c = dataSource.getConnection(); Release release = new Release(c)) {
                connection = c;
                listen(c, networkTimeoutMillis, release);
                if (!triggersInPlace(c)) {
                    throw new SQLException("the triggers " + ROW_TRIGGER + " and " + TRUNCATE_TRIGGER
                            + " on geo_platform.tenants are missing, disabled or not ENABLE ALWAYS;"
                            + " JdbcTenantCatalog.open installs them when its role owns the table");
                }
                // LISTEN has returned and the triggers are in place: every later commit is notified. Taken after
                // the check, not after LISTEN: a write between the two, before the triggers were (re)installed,
                // announced nothing, and what was read before it must not be vouched for.
                long since = System.nanoTime();
                flushPending = false; // what was read before this session is not vouched for anyway
                session = new Session(since, since);
                if (listenedBefore || warned) { // said at INFO only after a loss was reported
                    LOG.info("Listening again for tenant changes on the control plane (channel {}): cached tenants"
                            + " read from now on stay cached until a change is notified (heartbeat every {} ms)",
                            CHANNEL, heartbeatMillis);
                } else {
                    LOG.debug("Listening for tenant changes on the control plane (channel {}), heartbeat every {} ms",
                            CHANNEL, heartbeatMillis);
                }
                listenedBefore = true;
                backoff = heartbeatMillis;
                warned = false;
                long nextHeartbeat = since + heartbeatNanos;
                while (!closed) {
                    // Notifications are handed on as they arrive; the heartbeat runs once per interval, however
                    // many arrive (so a flood of them does not turn into a flood of heartbeats and flushes).
                    long wait = TimeUnit.NANOSECONDS.toMillis(nextHeartbeat - System.nanoTime());
                    if (wait >= 1) {
                        deliver(c, (int) wait);
                        continue;
                    }
                    long heartbeat = System.nanoTime();
                    nextHeartbeat = heartbeat + heartbeatNanos;
                    boolean inPlace = triggersInPlace(c);
                    deliver(c, -1); // what arrived with the answer
                    if (!inPlace) {
                        throw new SQLException("the triggers on geo_platform.tenants were dropped or disabled"
                                + " (or are no longer ENABLE ALWAYS)");
                    }
                    flushHeld();
                    session = new Session(since, heartbeat);
                }
            } catch (SQLException | RuntimeException e) {
                boolean was = session != null;
                session = null;
                if (closed) {
                    break;
                }
                if (was || !warned) {
                    LOG.warn("{} the LISTEN connection to the control plane ({}): cached tenants are now trusted for"
                            + " at most {} after they were read, then read again; listening again in {} ms",
                            was ? "Lost" : "Cannot open", describe(e), bound, backoff);
                    warned = true;
                } else {
                    LOG.debug("Still cannot listen on the control plane ({}); next try in {} ms", describe(e), backoff);
                }
            } finally {
                connection = null;
            }
            sleep(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
        session = null;
    }

    /** Listens on {@code c}; {@code release} notes each setting before it is changed, to restore it. */
    private static void listen(Connection c, int networkTimeoutMillis, Release release) throws SQLException {
        release.autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        // A stalled network fails the heartbeat instead of blocking it forever (the bound holds meanwhile).
        release.networkTimeout = c.getNetworkTimeout();
        c.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
        try {
            String before = c.getClientInfo("ApplicationName");
            c.setClientInfo("ApplicationName", APPLICATION_NAME);
            release.applicationName = before;
        } catch (java.sql.SQLClientInfoException e) {
            LOG.debug("The driver does not take ApplicationName: {}", e.getMessage());
        }
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
        }
    }

    /**
     * Before a connection that is still alive goes back to its pool: {@code UNLISTEN *} (a pooled connection left
     * listening would collect notifications nobody reads), then its application name, autocommit and network
     * timeout as they were when it was lent (pools such as Tomcat JDBC, c3p0 and DBCP do not reset them; the
     * timeout goes last, so the statements before it are still bounded by the listener's).
     */
    private static final class Release implements AutoCloseable {
        private final Connection connection;
        private String applicationName;
        private Boolean autoCommit;
        private Integer networkTimeout;

        Release(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() {
            try {
                if (connection.isClosed()) {
                    return;
                }
                try (Statement s = connection.createStatement()) {
                    s.execute("UNLISTEN *");
                }
                if (applicationName != null) {
                    connection.setClientInfo("ApplicationName", applicationName);
                }
                if (autoCommit != null && !autoCommit) {
                    connection.setAutoCommit(false);
                }
                if (networkTimeout != null) {
                    connection.setNetworkTimeout(Runnable::run, networkTimeout);
                }
            } catch (SQLException e) {
                LOG.debug("Releasing the LISTEN connection: {}", e.getMessage()); // a dead one is evicted anyway
            }
        }
    }

    private static boolean triggersInPlace(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(TRIGGERS_IN_PLACE)) {
            return rs.next() && rs.getInt(1) == 2;
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for notifications (0: none; -1: only those already received) and hands
     * them to the sink. pgjdbc's {@code PGConnection.getNotifications(int)} through reflection: geo-platform's
     * module does not read the driver's module, and a reflective call needs no {@code requires}.
     */
    private void deliver(Connection c, int timeoutMillis) throws SQLException {
        Object notifications = Pg.notifications(c, timeoutMillis);
        if (notifications == null) {
            return;
        }
        int n = Array.getLength(notifications);
        for (int i = 0; i < n; i++) {
            String payload = Pg.payload(Array.get(notifications, i));
            if (payload == null || payload.isEmpty()) { // TRUNCATE (or a payload that could not be read)
                flush();
            } else if (TenantId.isValid(payload)) {
                sink.changed(TenantId.of(payload));
            } else {
                // Not from the triggers (their payload is an id or empty): any role that can connect may NOTIFY.
                LOG.debug("Ignored a notification on {} whose payload is not a tenant id", CHANNEL);
            }
        }
    }

    /**
     * Tells the sink that anything may have changed, at most once per heartbeat: a flush within a heartbeat of
     * the last one is held until just before the next heartbeat is confirmed (so {@link #covers} never vouches
     * past it), which keeps a flood of {@code NOTIFY geo_platform_tenants, ''} from re-reading every cached tenant
     * on every notification. Listener thread only.
     */
    private void flush() {
        long now = System.nanoTime();
        if (flushed && now - lastFlush < heartbeatNanos) {
            flushPending = true;
            return;
        }
        sink.changedAll();
        flushed = true;
        lastFlush = now;
        flushPending = false;
    }

    /** Runs a held flush, if any; before every heartbeat is confirmed. */
    private void flushHeld() {
        if (flushPending) {
            sink.changedAll();
            flushed = true;
            lastFlush = System.nanoTime();
            flushPending = false;
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    private void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /**
     * Stops listening and waits for the thread to end; the thread itself gives the connection back to its pool, and
     * only once it no longer reads it. If the thread is still blocked after a few heartbeats (a stalled network),
     * the connection is aborted ({@link Connection#abort}): that unblocks the read and tells the pool the physical
     * connection is dead, so it is never lent again while a read may be pending on it. Never closes the connection
     * from this thread: a pool would take back a connection the listener is still reading.
     */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        join(Math.max(1_000, 3L * heartbeatMillis));
        Connection c = connection;
        if (thread.isAlive() && c != null) {
            try {
                c.abort(Runnable::run); // closes the socket: the blocked read fails at once
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Aborting the LISTEN connection: {}", e.getMessage());
            }
            join(networkTimeoutMillis + 1_000L);
        }
        if (thread.isAlive()) {
            LOG.warn("The tenant catalog's listener thread did not end after close; it gives its connection"
                    + " back when its read fails (network timeout {} ms)", networkTimeoutMillis);
        }
        session = null;
    }

    private void join(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TenantChangeListener(" + CHANNEL + (listening() ? ", listening)" : ", not listening)");
    }

    /** pgjdbc's notification API, reached by reflection (see {@link #deliver}). */
    private static final class Pg {
        private static volatile Method getNotifications;
        private static volatile Method getParameter;

        static Object notifications(Connection c, int timeoutMillis) throws SQLException {
            try {
                Method m = getNotifications;
                Class<?> type;
                if (m == null) {
                    type = Class.forName("org.postgresql.PGConnection", false, loader(c));
                    m = type.getMethod("getNotifications", int.class);
                    getNotifications = m;
                } else {
                    type = m.getDeclaringClass();
                }
                Object pg = c.unwrap(type);
                return m.invoke(pg, timeoutMillis);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw new SQLException("Reading notifications failed: " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new SQLException("The control plane's driver is not PostgreSQL's pgjdbc (org.postgresql."
                        + "PGConnection not found): cross-instance invalidation needs it", e);
            }
        }

        static String payload(Object notification) {
            try {
                Method m = getParameter;
                if (m == null) {
                    m = Class.forName("org.postgresql.PGNotification", false, notification.getClass().getClassLoader())
                            .getMethod("getParameter");
                    getParameter = m;
                }
                return (String) m.invoke(notification);
            } catch (ReflectiveOperationException e) {
                return null; // treated as "anything may have changed"
            }
        }

        private static ClassLoader loader(Connection c) throws SQLException {
            ClassLoader loader = c.getClass().getClassLoader();
            return loader != null ? loader : ClassLoader.getSystemClassLoader();
        }
    }
}
