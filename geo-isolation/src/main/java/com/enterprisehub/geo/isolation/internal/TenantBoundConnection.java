package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The connection a host gets: a pooled connection bound to one tenant. It refuses to create or execute
 * statements when the thread's tenant is no longer that tenant (a switch inside a transaction, a
 * statement prepared before a switch, or a connection kept past its tenant's scope), so work is never
 * silently done for the wrong tenant. Not part of the API.
 */
final class TenantBoundConnection extends DelegatingConnection {
    static final String SQLSTATE_WRONG_TENANT = "28000";

    private final TenantId tenant;
    private final SessionConnection session;
    private final Lease lease;
    /** Enforces the tenant's statement timeout while borrowed; null when there is none. */
    private final StatementWatchdog watchdog;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    /** Where the connection is kept for its tenant's next borrower when closed; null: straight back to the pool. */
    private final ParkedSessions parking;
    /** When HikariCP lent the connection underneath (System.nanoTime()). */
    private final long lentAt;
    /**
     * Whether the host changed the connection through JDBC in a way HikariCP resets only when the connection is
     * returned to it (catalog, schema, holdability, type map, client info, network timeout): such a connection is not
     * parked. Auto-commit, read-only and isolation are judged by their values at close instead: Spring and Hibernate
     * set them for a transaction and put them back.
     */
    private boolean jdbcStateChanged;
    /** Whether the last isolation the host set is not PostgreSQL's default (read committed). */
    private boolean isolationChanged;

    TenantBoundConnection(Connection pooled, SessionConnection session, TenantId tenant, Lease lease) {
        this(pooled, session, tenant, lease, null, null, 0);
    }

    private TenantBoundConnection(Connection pooled, SessionConnection session, TenantId tenant, Lease lease,
            StatementWatchdog watchdog, ParkedSessions parking, long lentAt) {
        super(pooled);
        this.session = session;
        this.tenant = tenant;
        this.lease = lease;
        this.watchdog = watchdog;
        this.parking = parking;
        this.lentAt = lentAt;
    }

    /** What makes a pooled session ready for its next borrower. */
    @FunctionalInterface
    interface Preparation {
        void prepare(SessionConnection session) throws SQLException;
    }

    /**
     * Takes a connection from {@code pool}, makes its session ready and hands it over bound to {@code tenant};
     * a connection whose session cannot be made ready is evicted from the pool. {@code lease} is released
     * when the host closes the connection (on failure here, releasing it is the caller's business).
     */
    static Connection borrow(HikariDataSource pool, TenantId tenant, Lease lease, Preparation preparation)
            throws SQLException {
        return borrow(pool, tenant, lease, preparation, null, 0);
    }

    /**
     * As {@link #borrow(HikariDataSource, TenantId, Lease, Preparation)}, with {@code watchdog} enforcing
     * {@code statementTimeoutMillis} (0: none) on the session until the host closes the connection.
     */
    static Connection borrow(HikariDataSource pool, TenantId tenant, Lease lease, Preparation preparation,
            StatementWatchdog watchdog, long statementTimeoutMillis) throws SQLException {
        return hand(pool, pool.getConnection(), System.nanoTime(), tenant, lease, preparation, watchdog,
                statementTimeoutMillis, null);
    }

    /**
     * As {@link #borrow(HikariDataSource, TenantId, Lease, Preparation, StatementWatchdog, long)}, for a session of
     * the tenant's own database logged in as {@code role} (MAXIMUM, REGULATORY): the watchdog checks the backend
     * still runs as that role before it cancels.
     */
    static Connection borrowOwn(HikariDataSource pool, TenantId tenant, Lease lease, Preparation preparation,
            StatementWatchdog watchdog, String role, long statementTimeoutMillis) throws SQLException {
        return hand(pool, pool.getConnection(), System.nanoTime(), tenant, lease, preparation, watchdog, role,
                statementTimeoutMillis, null);
    }

    /**
     * Makes {@code pooled} (lent by {@code pool} at {@code lentAt}: taken from it now, or parked) ready and hands it
     * over bound to {@code tenant}; when the host closes it, it is parked in {@code parking} for the tenant's next
     * borrower if it can be (null: returned to the pool). A connection that cannot be made ready is evicted.
     */
    static Connection hand(HikariDataSource pool, Connection pooled, long lentAt, TenantId tenant, Lease lease,
            Preparation preparation, StatementWatchdog watchdog, long statementTimeoutMillis, ParkedSessions parking)
            throws SQLException {
        return hand(pool, pooled, lentAt, tenant, lease, preparation, watchdog, null, statementTimeoutMillis, parking);
    }

    private static Connection hand(HikariDataSource pool, Connection pooled, long lentAt, TenantId tenant,
            Lease lease, Preparation preparation, StatementWatchdog watchdog, String ownRole,
            long statementTimeoutMillis, ParkedSessions parking) throws SQLException {
        try {
            SessionConnection session = pooled.unwrap(SessionConnection.class);
            preparation.prepare(session);
            TenantBoundConnection bound = new TenantBoundConnection(pooled, session, tenant, lease,
                    statementTimeoutMillis > 0 ? watchdog : null, parking, lentAt);
            if (bound.watchdog != null) {
                bound.watchdog.watch(bound, session.backendPid(), tenant.value(), ownRole, statementTimeoutMillis);
            }
            return bound;
        } catch (SQLException | RuntimeException e) {
            pool.evictConnection(pooled);
            throw e;
        }
    }

    /**
     * Returns the connection to the pool. A transaction opened with SQL {@code BEGIN} and left open is
     * rolled back first (HikariCP itself rolls back only what was started through the JDBC API).
     */
    @Override
    public void close() throws SQLException {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        if (watchdog != null) {
            watchdog.unwatch(this);
        }
        try {
            boolean open = !delegate.isClosed();
            if (open) {
                session.rollbackLeftoverTransaction();
            }
            // Kept for the tenant's next borrower only if HikariCP would have nothing to reset: its close resets
            // what the host changed through JDBC, and parking skips that close.
            // (auto-commit and read-only are the driver's local state: reading them sends nothing)
            if (!(open && parking != null && !jdbcStateChanged && !isolationChanged && delegate.getAutoCommit()
                    && !delegate.isReadOnly() && parking.park(tenant, delegate, session, lentAt))) {
                delegate.close();
            }
        } finally {
            lease.release();
        }
    }

    /** After close() every call is refused, as HikariCP's own closed connections do: the session may be parked. */
    @Override
    protected Connection target() throws SQLException {
        if (released.get()) {
            throw new SQLException("This connection is closed.", "08003");
        }
        return delegate;
    }

    @Override
    public boolean isClosed() throws SQLException {
        return released.get() || delegate.isClosed();
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return !released.get() && delegate.isValid(timeout);
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        // Spring and Hibernate set an isolation for a transaction and put the previous one back: the last value counts
        isolationChanged = level != Connection.TRANSACTION_READ_COMMITTED;
        super.setTransactionIsolation(level);
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        jdbcStateChanged = true;
        super.setCatalog(catalog);
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        jdbcStateChanged = true;
        super.setHoldability(holdability);
    }

    @Override
    public void setTypeMap(java.util.Map<String, Class<?>> map) throws SQLException {
        jdbcStateChanged = true;
        super.setTypeMap(map);
    }

    @Override
    public void setClientInfo(String name, String value) throws java.sql.SQLClientInfoException {
        refuseClientInfoWhenClosed();
        jdbcStateChanged = true;
        super.setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(java.util.Properties properties) throws java.sql.SQLClientInfoException {
        refuseClientInfoWhenClosed();
        jdbcStateChanged = true;
        super.setClientInfo(properties);
    }

    private void refuseClientInfoWhenClosed() throws java.sql.SQLClientInfoException {
        if (released.get()) {
            throw new java.sql.SQLClientInfoException("This connection is closed.", "08003", java.util.Map.of());
        }
    }

    @Override
    public void setNetworkTimeout(java.util.concurrent.Executor executor, int milliseconds) throws SQLException {
        jdbcStateChanged = true;
        super.setNetworkTimeout(executor, milliseconds);
    }

    /** Refuses work when the thread no longer works for this connection's tenant. */
    void checkTenant() throws SQLException {
        beforeStatement();
    }

    /** Changes search_path: allowed, and the session is reset before its next borrower. */
    @Override
    public void setSchema(String schema) throws SQLException {
        beforeStatement();
        session.markDirty();
        jdbcStateChanged = true;
        super.setSchema(schema);
    }

    /** Notes SQL about to run: if it may change the session's settings, the session is reset before reuse. */
    @Override
    protected void beforeSql(String sql) {
        session.noteSql(sql);
    }

    @Override
    protected Statement statement(Statement created) {
        return new GuardedStatement(created, this);
    }

    @Override
    protected PreparedStatement prepared(PreparedStatement created) {
        return new GuardedPreparedStatement(created, this);
    }

    @Override
    protected CallableStatement call(CallableStatement created) {
        return new GuardedCallableStatement(created, this);
    }

    @Override
    protected void beforeStatement() throws SQLException {
        if (released.get()) {
            // A statement kept past close(): the session underneath may be serving the tenant's next borrower.
            throw new SQLException("This connection is closed.", "08003");
        }
        Tenant current = TenantContext.current().orElse(null);
        if (current == null || !current.id().equals(tenant)) {
            throw new SQLException("This connection is bound to tenant '" + tenant + "' but the thread now works for "
                    + (current == null ? "no tenant" : "tenant '" + current.id() + "'")
                    + ". A connection belongs to the tenant it was obtained for: finish (commit or roll back) and"
                    + " close it before switching tenants, then get a new one.", SQLSTATE_WRONG_TENANT);
        }
    }

    /** An SQL array of this connection, which leads back to no driver object (see {@link GuardedArray}). */
    @Override
    public java.sql.Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return GuardedArray.of(super.createArrayOf(typeName, elements));
    }

    /**
     * The database's metadata, through a view whose {@code getConnection()} is this connection and which
     * does not unwrap to the driver's class: the driver's metadata leads to the driver's connection, which
     * outlives this borrow and serves other tenants next.
     */
    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        DatabaseMetaData metaData = super.getMetaData();
        TenantBoundConnection self = this;
        return (DatabaseMetaData) Proxy.newProxyInstance(DatabaseMetaData.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getConnection":
                            return self;
                        case "unwrap":
                            if (((Class<?>) args[0]).isInstance(proxy)) {
                                return proxy;
                            }
                            throw new SQLException("A tenant connection's metadata does not unwrap to "
                                    + ((Class<?>) args[0]).getName() + ": the driver's connection underneath serves"
                                    + " other tenants after this one is returned.", SQLSTATE_WRONG_TENANT);
                        case "isWrapperFor":
                            return ((Class<?>) args[0]).isInstance(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "toString":
                            return "DatabaseMetaData[" + self + "]";
                        default:
                            try {
                                Object result = method.invoke(metaData, args);
                                // metadata rows: no statement, and no way back to the driver's connection
                                return result instanceof java.sql.ResultSet rows ? GuardedResultSet.of(rows, null)
                                        : result;
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                    }
                });
    }

    /**
     * Refused for anything but this connection's own interfaces: the driver's connection underneath
     * outlives this borrow and serves other tenants next, so handing it out would bypass the tenant guard.
     */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("A tenant connection does not unwrap to " + iface.getName() + ": the driver's"
                + " connection underneath serves other tenants after this one is returned. Use the JDBC API on"
                + " this connection.", SQLSTATE_WRONG_TENANT);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "TenantBoundConnection[tenant=" + tenant + "]";
    }
}
