package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.IsolationException;
import com.enterprisehub.geo.isolation.SelfCheckException.Finding;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint (a database on a PostgreSQL server): a HikariCP pool of the application role's connections
 * (each a {@link SessionConnection}) for BASIC and ENHANCED tenants, and on-demand administrator
 * connections to it and to the tenant databases on its server. A dedicated server (REGULATORY) has no
 * application role and so no shared pool. Not part of the API.
 */
public final class EndpointPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointPool.class);
    /** The table shape of BASIC tenants: the shared tables. */
    public static final String SHARED_TABLES_SHAPE = "basic";

    private final String name;
    private final DeploymentRegion region;
    private final String jdbcUrl;
    private final DatabaseCredentials admin;
    private final DatabaseCredentials app;
    private final TenantId dedicatedTo;
    private final HikariDataSource pool;
    private final SessionDataSource appDataSource;
    /** Enforces tenants' statement timeouts on the shared pool; null on a dedicated server. */
    private final StatementWatchdog watchdog;
    /** Enforces the statement timeouts of tenants with their own database on this server (MAXIMUM, REGULATORY). */
    private final StatementWatchdog ownPoolWatchdog;
    private final SecurityReporter security;
    /** Keeps connections of the shared pool for tenants that hold none; null on a dedicated server. */
    private final FairShare fairShare;
    private final EndpointCounters counters = new EndpointCounters();
    /** Connections kept bound to their tenant for its next borrower; null on a dedicated server or when off. */
    private final ParkedSessions parked;

    /**
     * @param app the application role; null for a dedicated server
     * @param dedicatedTo the only tenant a dedicated server may hold; null for a shared endpoint
     */
    public EndpointPool(String name, DeploymentRegion region, String jdbcUrl, DatabaseCredentials admin,
            DatabaseCredentials app, TenantId dedicatedTo, int maximumPoolSize) {
        this(name, region, jdbcUrl, admin, app, dedicatedTo, maximumPoolSize, FairShare.defaultReserve(maximumPoolSize),
                false, SecurityReporter.NONE);
    }

    /**
     * @param app the application role; null for a dedicated server
     * @param dedicatedTo the only tenant a dedicated server may hold; null for a shared endpoint
     * @param reserve how many connections of the shared pool a tenant's extra connections must leave free for
     *     tenants that hold none (see {@link FairShare})
     * @param affinity whether a returned connection is kept bound to its tenant for the tenant's next borrower
     *     (see {@link ParkedSessions})
     * @param security told of each statement the watchdog cancelled, each session reset after its borrower changed
     *     it, each binding refused
     */
    public EndpointPool(String name, DeploymentRegion region, String jdbcUrl, DatabaseCredentials admin,
            DatabaseCredentials app, TenantId dedicatedTo, int maximumPoolSize, int reserve, boolean affinity,
            SecurityReporter security) {
        this.name = name;
        this.region = region;
        this.jdbcUrl = jdbcUrl;
        this.admin = admin;
        this.app = app;
        this.dedicatedTo = dedicatedTo;
        this.ownPoolWatchdog = new StatementWatchdog(name, this::adminConnection, security);
        if (app == null) {
            this.pool = null;
            this.appDataSource = null;
            this.watchdog = null;
            this.security = security;
            this.fairShare = null;
            this.parked = null;
            return;
        }
        this.security = security;
        this.fairShare = new FairShare(maximumPoolSize, Math.min(reserve, maximumPoolSize - 1));
        this.watchdog = new StatementWatchdog(name, this::adminConnection, security);
        // The application role's password is asked for per physical connection (the pool's, the self-check's), so a
        // rotated password reaches the connections opened after the rotation; open ones carry on.
        this.appDataSource = new SessionDataSource(jdbcUrl, null, app, loginGuard(), "endpoint '" + name + "'");
        HikariConfig config = new HikariConfig();
        config.setPoolName("geo-" + name);
        config.setDataSource(appDataSource);
        config.setExceptionOverride(EvictionPolicy.INSTANCE);
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(Math.min(2, maximumPoolSize));
        config.setAutoCommit(true);
        config.setDataSourceProperties(new Properties());
        // The pool starts lazily: the control plane must be installed before the first connection binds.
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
        this.parked = affinity ? new ParkedSessions(name, this::threadsWaitingInPool) : null;
    }

    private int threadsWaitingInPool() {
        var bean = pool.getHikariPoolMXBean();
        return bean == null ? 0 : bean.getThreadsAwaitingConnection();
    }

    public String name() {
        return name;
    }

    /**
     * Repairs role-level settings a borrower put on the shared application role (reported as {@code role-changed}),
     * and reports a refused password ({@code login-refused}): a borrower may have changed it, and only the
     * operator can say whether that was a rotation.
     */
    private SessionDataSource.LoginGuard loginGuard() {
        return new SessionDataSource.LoginGuard() {
            @Override
            public boolean resetRoleSettings() throws SQLException {
                String role = Sql.quote(app.user());
                try (Connection c = adminConnection()) {
                    if (!roleHasSettings(c)) {
                        return false;
                    }
                    try {
                        // The database's name may be anything: quoted by the server, not by a pattern check here.
                        Sql.execute(c, "ALTER ROLE " + role + " RESET ALL; DO $$ BEGIN EXECUTE pg_catalog.format("
                                + "'ALTER ROLE %I IN DATABASE %I RESET ALL', " + SchemaTenants.literal(app.user())
                                + ", pg_catalog.current_database()); END $$");
                    } catch (SQLException raced) {
                        // another login's repair at the same moment (the pool's filler, the self-check) removed the
                        // row under this one ("tuple concurrently deleted"): repaired, and reported there
                        if (roleHasSettings(c)) {
                            throw raced;
                        }
                        return false;
                    }
                }
                String detail = "the application role " + app.user() + " of endpoint '" + name + "' had role-level"
                        + " settings, which every later session of every tenant starts with (ALTER ROLE CURRENT_USER"
                        + " SET ... on a borrowed connection); they were removed";
                LOG.warn("Security: {}", detail);
                security.report("role-changed", "", detail);
                return true;
            }

            private boolean roleHasSettings(Connection c) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM"
                        + " pg_catalog.pg_db_role_setting d JOIN pg_catalog.pg_roles r ON r.oid = d.setrole"
                        + " WHERE r.rolname = ? AND d.setdatabase IN (0, (SELECT b.oid FROM pg_catalog.pg_database b"
                        + " WHERE b.datname = pg_catalog.current_database())))")) {
                    ps.setString(1, app.user());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getBoolean(1);
                    }
                }
            }

            @Override
            public void passwordRefused(SQLException refused) {
                String detail = "endpoint '" + name + "' refused the password of the application role " + app.user()
                        + ": SQL on a borrowed connection can change it (ALTER ROLE CURRENT_USER PASSWORD), or it was"
                        + " rotated and its credentials source does not give the new one (yet: a rotation that changes"
                        + " the database before the secret, as Secrets Manager's single-user rotation does, is refused"
                        + " here until the secret moves)";
                LOG.warn("Security: {}", detail);
                security.report("login-refused", "", detail);
            }
        };
    }

    public DeploymentRegion region() {
        return region;
    }

    /** The watchdog of the statement timeouts of the tenants whose own databases are on this server. */
    public StatementWatchdog ownPoolWatchdog() {
        return ownPoolWatchdog;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The application role, absent on a dedicated server. */
    public Optional<String> appRole() {
        return Optional.ofNullable(app).map(DatabaseCredentials::user);
    }

    /** The tenant a dedicated server is reserved for. */
    public Optional<TenantId> dedicatedTo() {
        return Optional.ofNullable(dedicatedTo);
    }

    /** An administrator connection to the endpoint's database. */
    public Connection adminConnection() throws SQLException {
        return adminConnection(null);
    }

    /**
     * An administrator connection to {@code database} on the endpoint's server (null: the endpoint's database), with
     * the administrator's password of this moment (asked for on every call: a rotated password is used at once).
     *
     * @throws SQLException also (SQLSTATE 08001) when the credentials source has no password
     */
    public Connection adminConnection(String database) throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        if (database != null) {
            ds.setDatabaseName(database);
        }
        return ds.getConnection(admin.user(), SessionDataSource.password(admin, "endpoint '" + name + "'"));
    }

    public void install(byte[] key) {
        try (Connection c = adminConnection()) {
            ControlPlane.install(c, app == null ? null : app.user(), key);
        } catch (SQLException e) {
            throw new IsolationException("Cannot install the isolation control plane on endpoint '" + name
                    + "' (" + e.getMessage() + "). Its administrator role must be able to create roles, schemas"
                    + " and the pgcrypto extension.", e);
        }
    }

    public void protectTable(String table) {
        if (app == null) {
            return;
        }
        try (Connection c = adminConnection()) {
            ControlPlane.protectTable(c, table, app.user());
        } catch (SQLException e) {
            throw new IsolationException("Cannot protect table " + table + " on endpoint '" + name + "': "
                    + e.getMessage(), e);
        }
    }

    /**
     * The schemas of tenants placed here whose provisioning did not finish (placement PROVISIONING): not
     * routable, reported, and left out of the self-check's schema findings, so that one half-made tenant never
     * stops the endpoint for every other (provisioning it again finishes it).
     */
    private Set<String> quarantined() {
        Set<String> locations = new TreeSet<>();
        // A move's ENHANCED target whose creation may not have finished (journal still at STARTED) likewise: its
        // schema exists before the placement names it. (A source frozen by a move, MOVING, was READY: all secured.)
        try (Connection c = adminConnection(); PreparedStatement ps = c.prepareStatement("SELECT tenant, location"
                + " FROM geo_control.tenant_placement WHERE endpoint = ? AND state = 'PROVISIONING'"
                + " AND level = 'ENHANCED' AND location IS NOT NULL"
                + " UNION SELECT tenant, target_location FROM geo_control.tenant_move WHERE target_endpoint = ?"
                + " AND target_level = 'ENHANCED' AND step = 'STARTED' ORDER BY 1")) {
            ps.setString(1, name);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    locations.add(rs.getString(2));
                    LOG.warn("Tenant {} on endpoint '{}' is quarantined: its provisioning did not finish, so its schema"
                            + " {} may hold tables not yet under its binding; it is not routable. Run provision for it"
                            + " to finish.", rs.getString(1), name, rs.getString(2));
                }
            }
            // Not routable is not unreachable: SQL on a borrowed connection could SET ROLE to the tenant's role and
            // use its unprotected tables. The application role gives the role up until provisioning grants it back.
            for (String location : locations) {
                try (PreparedStatement revoke = c.prepareStatement("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles"
                        + " WHERE rolname = " + SchemaTenants.literal(location) + ") THEN EXECUTE"
                        + " pg_catalog.format('REVOKE %I FROM %I', " + SchemaTenants.literal(location) + ", "
                        + SchemaTenants.literal(app.user()) + "); END IF; END $$")) {
                    revoke.execute();
                }
            }
        } catch (SQLException e) {
            throw new IsolationException("The isolation self-check could not read the placements on endpoint '" + name
                    + "': " + e.getMessage(), e);
        }
        return locations;
    }

    /** The self-check: the application role's view (shared endpoints), then the tenant databases' roles. */
    public List<Finding> selfCheck() {
        List<Finding> findings = new ArrayList<>();
        if (app != null) {
            Set<String> quarantined = quarantined();
            // A direct connection, not the pool's: a wrong password then fails at once with the server's
            // message, instead of after the pool's connection timeout.
            try (Connection c = appDataSource.getConnection()) {
                findings.addAll(SelfCheck.run(c, quarantined));
            } catch (SQLException e) {
                throw new IsolationException("The isolation self-check could not run on endpoint '" + name + "': "
                        + e.getMessage(), e);
            }
        }
        try (Connection c = adminConnection()) {
            findings.addAll(SelfCheck.tenantDatabases(c));
        } catch (SQLException e) {
            throw new IsolationException("The isolation self-check could not run on endpoint '" + name + "': "
                    + e.getMessage(), e);
        }
        return findings;
    }

    /** The self-check's advice for this endpoint's shared tables (see {@link SelfCheck#existenceOracles}). */
    public List<Finding> advice() {
        if (app == null) {
            return List.of();
        }
        try (Connection c = appDataSource.getConnection()) {
            return SelfCheck.existenceOracles(c);
        } catch (SQLException e) {
            throw new IsolationException("The isolation self-check could not run on endpoint '" + name + "': "
                    + e.getMessage(), e);
        }
    }

    /** The placements recorded on this endpoint. */
    public List<ControlPlane.PlacementRow> placements() {
        try (Connection c = adminConnection()) {
            return ControlPlane.placements(c).stream().filter(row -> row.endpoint().equals(name)).toList();
        } catch (SQLException e) {
            throw new IsolationException("Cannot read placements on endpoint '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * A pooled connection bound to {@code tenant}, with its statement timeout (0: none); a connection that cannot
     * be bound is evicted. The borrower first passes the pool's {@link FairShare} (waiting up to
     * {@code waitMillis}): a tenant that holds connections already leaves the reserve to tenants that hold none.
     * {@code cap} (the tenant's connection cap, acquired by the caller) is released once, when the host closes the
     * connection; on failure here, releasing it is the caller's business.
     *
     * @throws SQLTransientConnectionException if the fair share admitted no connection within {@code waitMillis}
     */
    public Connection borrow(TenantId tenant, long statementTimeoutMillis, BindingTokens tokens, TenantPermit cap,
            String shape, long waitMillis) throws SQLException {
        return borrow(tenant, statementTimeoutMillis, tokens, cap, shape, waitMillis, null);
    }

    /**
     * As {@link #borrow(TenantId, long, BindingTokens, TenantPermit, String, long)}, recording in {@code trace}
     * (null: nothing recorded) whether the session was switched and how long the borrow waited.
     */
    public Connection borrow(TenantId tenant, long statementTimeoutMillis, BindingTokens tokens, TenantPermit cap,
            String shape, long waitMillis, BorrowTrace trace) throws SQLException {
        if (pool == null) {
            throw new SQLException("Endpoint '" + name + "' is a dedicated server: it has no shared pool.", "08001");
        }
        long waited;
        // held() counts the permit the caller took for this borrow: the others are held() - 1
        int others = cap.held() - 1;
        try {
            waited = fairShare.acquire(others, FairShare.nanos(waitMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while waiting for a connection of endpoint '"
                    + name + "' for tenant '" + tenant + "'.", "08001", e);
        }
        if (waited < 0) {
            throw new SQLTransientConnectionException(others > 0
                    ? "Tenant '" + tenant + "' holds connections of endpoint '" + name + "' already, and the pool's"
                            + " last " + fairShare.reserve() + " free connection(s) are kept for tenants that hold none;"
                            + " none was returned within " + waitMillis + " ms. Close connections promptly, lower"
                            + " maxConnectionsPerTenant, or raise maximumPoolSize."
                    : "Every connection of endpoint '" + name + "' (" + fairShare.capacity() + ") is in use by other"
                            + " tenants and none was returned within " + waitMillis + " ms for tenant '" + tenant
                            + "'. Close connections promptly, or raise maximumPoolSize.", "08001");
        }
        if (waited > 0) {
            counters.waited(waited);
            if (trace != null) {
                trace.waited(waited);
            }
        }
        Lease lease = () -> {
            try {
                fairShare.release();
            } finally {
                cap.release();
            }
        };
        TenantBoundConnection.Preparation preparation = session -> {
            long start = System.nanoTime();
            if (session.prepareFor(tenant, statementTimeoutMillis, tokens, shape, name, security)) {
                counters.switched(System.nanoTime() - start);
                if (trace != null) {
                    trace.switched();
                }
            }
        };
        try {
            Connection bound;
            ParkedSessions.Parked own = parked == null ? null : parked.take(tenant);
            if (own != null) {
                // still bound to the tenant: prepareFor sends nothing unless its borrower changed the session
                bound = TenantBoundConnection.hand(pool, own.pooled, own.lentAt, tenant, lease, preparation, watchdog,
                        statementTimeoutMillis, parked);
            } else {
                // Room in HikariCP first: admitted borrowers (this one included) plus parked connections may not
                // exceed the pool, or this borrower would wait for a connection nobody is using.
                while (parked != null && fairShare.inUse() + parked.count() > fairShare.capacity()
                        && parked.giveBackOldest()) {
                    // gave one back
                }
                long asked = trace == null ? 0 : System.nanoTime();
                Connection pooled = pool.getConnection();
                if (trace != null) {
                    trace.waited(System.nanoTime() - asked);
                }
                bound = TenantBoundConnection.hand(pool, pooled, System.nanoTime(), tenant, lease, preparation,
                        watchdog, statementTimeoutMillis, parked);
            }
            counters.borrowed();
            return bound;
        } catch (SQLException | RuntimeException e) {
            fairShare.release();
            throw e;
        }
    }

    /** This endpoint's counters. */
    public EndpointCounters counters() {
        return counters;
    }

    /**
     * The shared pool's connections now: in use by hosts, idle, total, threads waiting, and parked for their tenant;
     * zeros on a dedicated server.
     */
    public int[] connections() {
        if (pool == null || pool.getHikariPoolMXBean() == null) {
            return new int[5];
        }
        var bean = pool.getHikariPoolMXBean();
        int kept = parked == null ? 0 : parked.count();
        return new int[] {Math.max(0, bean.getActiveConnections() - kept), bean.getIdleConnections(),
            bean.getTotalConnections(), bean.getThreadsAwaitingConnection(), kept};
    }

    @Override
    public void close() {
        if (parked != null) {
            parked.close();
        }
        ownPoolWatchdog.close();
        if (watchdog != null) {
            watchdog.close();
        }
        if (pool != null) {
            pool.close();
        }
    }
}
