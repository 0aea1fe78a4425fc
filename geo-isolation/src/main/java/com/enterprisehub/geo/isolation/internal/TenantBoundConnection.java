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

    TenantBoundConnection(Connection pooled, SessionConnection session, TenantId tenant, Lease lease) {
        this(pooled, session, tenant, lease, null);
    }

    private TenantBoundConnection(Connection pooled, SessionConnection session, TenantId tenant, Lease lease,
            StatementWatchdog watchdog) {
        super(pooled);
        this.session = session;
        this.tenant = tenant;
        this.lease = lease;
        this.watchdog = watchdog;
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
        Connection pooled = pool.getConnection();
        try {
            SessionConnection session = pooled.unwrap(SessionConnection.class);
            preparation.prepare(session);
            TenantBoundConnection bound = new TenantBoundConnection(pooled, session, tenant, lease,
                    statementTimeoutMillis > 0 ? watchdog : null);
            if (bound.watchdog != null) {
                bound.watchdog.watch(bound, session.backendPid(), tenant.value(), statementTimeoutMillis);
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
            if (!delegate.isClosed()) {
                session.rollbackLeftoverTransaction();
            }
        } finally {
            try {
                delegate.close();
            } finally {
                lease.release();
            }
        }
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
