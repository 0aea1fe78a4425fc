package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.internal.BindingTokens;
import com.enterprisehub.geo.isolation.internal.ControlPlane;
import com.enterprisehub.geo.isolation.internal.EndpointPool;
import com.enterprisehub.geo.isolation.internal.DatabaseTenants;
import com.enterprisehub.geo.isolation.internal.SchemaTenants;
import com.enterprisehub.geo.isolation.internal.TenantData;
import com.enterprisehub.geo.isolation.internal.TenantKeys;
import com.enterprisehub.geo.isolation.internal.TenantPermit;
import com.enterprisehub.geo.isolation.internal.TenantPools;
import com.enterprisehub.geo.isolation.migration.MigrationResult;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import java.io.PrintWriter;
import java.io.Writer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * A {@link DataSource} whose every connection is bound to the tenant of the current
 * {@link TenantContext}, at the tenant's {@link IsolationLevel}. Hand it to JDBC, JPA or jOOQ code unchanged.
 *
 * <ul>
 *   <li>{@link IsolationLevel#BASIC}: shared tables with a {@code tenant_id} column under forced row-level
 *       security. A connection is bound by {@code geo_control.bind(tenant, nonce, token)}: the nonce is one
 *       the server chose for that session and revealed only to the pool, the token an HMAC of tenant and
 *       nonce under a key only the control plane's owner can read; SQL run on a borrowed connection cannot
 *       bind it to another tenant.</li>
 *   <li>{@link IsolationLevel#ENHANCED}: a schema per tenant, and a role per tenant with rights on that
 *       schema only; binding takes the role and sets {@code search_path} to the schema, and every table of
 *       the schema also carries a policy checking the verified binding, so taking another tenant's role with
 *       SQL still shows nothing of it.</li>
 *   <li>{@link IsolationLevel#MAXIMUM}: a database per tenant on the endpoint's server, reached through a
 *       small pool of its own with a login role of its own that can connect to no other tenant's database;
 *       pools are opened on first use and the least recently used idle ones closed beyond
 *       {@link Builder#maxTenantPools}.</li>
 *   <li>{@link IsolationLevel#REGULATORY}: like MAXIMUM, on a {@link DedicatedServer} registered for the
 *       tenant in its market's region.</li>
 * </ul>
 * See {@code docs/isolation.md} for the threat model of each level.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>fail closed: with no tenant bound, {@link #getConnection()} throws an {@link SQLException} whose
 *       cause is a {@link NoTenantBoundException}; unknown, suspended or unprovisioned tenants are
 *       refused likewise (cause: the matching {@link GeoException}); a session with no binding sees no
 *       tenant rows;</li>
 *   <li>residency: a tenant is never placed on or routed to an endpoint outside its market's allowed
 *       regions ({@link ResidencyViolationException} and a {@link SecurityEvent});</li>
 *   <li>hand-over: a transaction left open by the previous borrower is rolled back; a shared connection
 *       already bound to the requesting tenant is handed over with no SQL sent; switching tenant costs one
 *       round trip, which also drops the driver's prepared statements when the new tenant's tables differ
 *       in shape (so no plan ever changes result type);</li>
 *   <li>a connection refuses to create statements once its thread works for another tenant (or none),
 *       so a tenant switch inside a transaction is an error, never silently ignored;</li>
 *   <li>bounded: each tenant may hold at most {@link Builder#maxConnectionsPerTenant} connections of an
 *       endpoint's shared pool at once (default half the pool), and may get a statement timeout, so one busy
 *       tenant cannot starve the others; at most {@link Builder#maxTenantPools} tenant pools of
 *       {@link Builder#tenantPoolSize} connections are open; a leaked SQL-level transaction is rolled back
 *       when the connection is returned, so idle pooled connections hold no locks;</li>
 *   <li>provisioning is idempotent and a tenant is routable only once it finished;</li>
 *   <li>start-up self-check: the data source refuses to start ({@link SelfCheckException}) if the
 *       application role could bypass the policies or a tenant table is unprotected.</li>
 * </ul>
 *
 * <p>Thread-safe. Close it to close its pools.
 */
public final class TenantDataSource implements DataSource, AutoCloseable {
    /**
     * The tenant configuration key that sets a tenant's statement timeout in milliseconds (a whole
     * number, 0 for none), overriding {@link Builder#statementTimeout(Duration)}.
     */
    public static final String STATEMENT_TIMEOUT_KEY = "isolation.statement-timeout-ms";

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(TenantDataSource.class);

    private final TenantCatalog tenants;
    private final MarketCatalog markets;
    private final PlatformEvents events;
    private final Clock clock;
    private final BindingTokens tokens;
    private final Map<String, EndpointPool> pools;
    private final ConcurrentHashMap<TenantId, Route> routes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TenantId, TenantPermit> permits = new ConcurrentHashMap<>();
    private final int maxConnectionsPerTenant;
    private final long connectionTimeoutMillis;
    private final long defaultStatementTimeoutMillis;
    /** The key management holding each tenant's master key; null when envelope encryption is off. */
    private final Function<? super Tenant, ? extends KeyManagement> keyManagement;
    private final SchemaMigrations migrations;
    private final TenantPools tenantPools;
    private final ConcurrentHashMap<TenantId, TenantCipher> ciphers = new ConcurrentHashMap<>();

    /**
     * What getConnection() needs of a placed tenant, computed once: its placement, endpoint, the shape of
     * its tables (BASIC and ENHANCED) and where its own pool connects (MAXIMUM and REGULATORY).
     */
    private record Route(TenantPlacement placement, EndpointPool endpoint, String shape, TenantPools.Target target) {
    }

    private TenantDataSource(Builder b, Map<String, EndpointPool> pools) {
        this.tenants = b.tenants;
        this.markets = b.markets;
        this.events = b.events;
        this.clock = b.clock;
        this.tokens = b.tokens;
        this.pools = pools;
        this.maxConnectionsPerTenant = b.maxConnectionsPerTenant == 0 ? Math.max(1, b.maximumPoolSize / 2)
                : b.maxConnectionsPerTenant;
        this.connectionTimeoutMillis = b.connectionTimeout.toMillis();
        this.defaultStatementTimeoutMillis = b.statementTimeout.toMillis();
        this.keyManagement = b.keyManagement;
        this.migrations = b.migrations;
        this.tenantPools = new TenantPools(b.maxTenantPools, b.tenantPoolSize, connectionTimeoutMillis);
    }

    /** A builder; see {@link Builder} for what is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A connection bound to the current thread's tenant.
     *
     * @throws SQLException with SQLState 28000 and as cause a {@link NoTenantBoundException} (no tenant
     *     bound), {@link UnknownTenantException}, {@link TenantUnavailableException} (suspended,
     *     provisioning, offboarding; {@link TenantNotPlacedException} when not provisioned for isolation) or
     *     {@link ResidencyViolationException}; or the driver's exception if the database fails
     */
    @Override
    public Connection getConnection() throws SQLException {
        Tenant bound = TenantContext.current().orElse(null);
        if (bound == null) {
            throw refused(new NoTenantBoundException("TenantDataSource.getConnection()"));
        }
        Route route;
        Tenant current;
        try {
            current = tenants.find(bound.id()).orElse(null);
            if (current == null) {
                throw new UnknownTenantException(bound.id());
            }
            current.requireActive();
            route = route(current);
        } catch (GeoException e) {
            throw refused(e);
        }
        if (route.target() != null) {
            return tenantPools.borrow(current.id(), route.target(), statementTimeoutMillis(current));
        }
        TenantPermit cap = permits.get(current.id()); // a plain read on the hot path; create only on first use
        if (cap == null) {
            cap = permits.computeIfAbsent(current.id(), id -> new TenantPermit(maxConnectionsPerTenant));
        }
        try {
            if (!cap.tryAcquire(connectionTimeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("Tenant '" + current.id() + "' already holds its limit of "
                        + maxConnectionsPerTenant + " concurrent connections and none was returned within "
                        + connectionTimeoutMillis + " ms. Close connections promptly, or raise"
                        + " maxConnectionsPerTenant.", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while waiting for a connection for tenant '"
                    + current.id() + "'.", "08001", e);
        }
        try {
            return route.endpoint().borrow(current.id(), statementTimeoutMillis(current), tokens, cap, route.shape());
        } catch (SQLException | RuntimeException e) {
            cap.release();
            throw e;
        }
    }

    /**
     * The tenant's statement timeout in milliseconds (0: none): its configuration key
     * {@value #STATEMENT_TIMEOUT_KEY} if set, else the data source's default.
     */
    private long statementTimeoutMillis(Tenant tenant) {
        Object configured = tenant.configuration().get(STATEMENT_TIMEOUT_KEY);
        if (configured instanceof Number n && n.longValue() >= 0) {
            return n.longValue();
        }
        return defaultStatementTimeoutMillis;
    }

    /** Not supported: tenant connections always use the endpoint's application role. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("A TenantDataSource uses each endpoint's application role; use"
                + " getConnection(), or controlPlaneConnection(endpoint) for administration.");
    }

    /**
     * An administrator connection to an endpoint, bound to no tenant, for migrations and operations. It
     * bypasses tenant isolation: never hand it to request-serving code. The caller closes it.
     */
    public Connection controlPlaneConnection(String endpoint) throws SQLException {
        return endpoint(endpoint).adminConnection();
    }

    /**
     * Places a tenant (which must be in the tenant catalog) and makes it routable. Idempotent. A REGULATORY
     * tenant goes to its {@link DedicatedServer}; the others to a shared endpoint its market's residency
     * rule allows, preferring the market's own deployment region.
     *
     * @return the placement
     * @throws ResidencyViolationException if no endpoint is in an allowed region
     * @throws IsolationException if a REGULATORY tenant has no dedicated server, or provisioning fails (run
     *     it again to finish; the tenant is not routable until it succeeds)
     */
    public TenantPlacement provision(TenantId id) {
        Tenant tenant = tenants.require(id);
        Market market = markets.require(tenant.market());
        if (tenant.isolationLevel() == IsolationLevel.REGULATORY) {
            EndpointPool dedicated = pools.values().stream()
                    .filter(p -> p.dedicatedTo().filter(id::equals).isPresent()).findFirst()
                    .orElseThrow(() -> new IsolationException("Tenant '" + id + "' is REGULATORY: register a"
                            + " DedicatedServer for it in " + market.region() + " (market '" + market.id()
                            + "') with TenantDataSource.Builder.dedicatedServer(...)."));
            return provision(id, dedicated.name());
        }
        List<EndpointPool> allowed = pools.values().stream().filter(p -> p.dedicatedTo().isEmpty())
                .filter(p -> market.dataResidency().permits(p.region())).toList();
        if (allowed.isEmpty()) {
            throw residencyViolation(id, "no endpoint is in a region market '" + market.id() + "' allows ("
                    + market.dataResidency().allowedRegions() + "); registered: " + describeEndpoints());
        }
        EndpointPool chosen = allowed.stream().filter(p -> p.region() == market.region()).findFirst()
                .orElse(allowed.get(0));
        return provision(id, chosen.name());
    }

    /**
     * Places a tenant on a named endpoint (or, for a REGULATORY tenant, its dedicated server) at its isolation
     * level and makes it routable. Idempotent: running it again changes nothing, or finishes what a failed
     * run left. BASIC: a placement record. ENHANCED: the tenant's role and schema, then the
     * {@link Builder#migrations migrations} and the policies on every table. MAXIMUM and REGULATORY: the
     * tenant's login role and database, then the migrations. The placement is recorded as PROVISIONING
     * first and READY last: the tenant is routable only after that.
     *
     * @throws ResidencyViolationException if the endpoint is outside the regions the tenant's market allows
     * @throws IsolationException if the endpoint does not suit the level, or provisioning fails
     */
    public TenantPlacement provision(TenantId id, String endpointName) {
        Tenant tenant = tenants.require(id);
        Market market = markets.require(tenant.market());
        EndpointPool pool = endpoint(endpointName);
        IsolationLevel level = tenant.isolationLevel();
        if (!market.dataResidency().permits(pool.region())) {
            throw residencyViolation(id, "endpoint '" + endpointName + "' is in " + pool.region()
                    + ", outside the regions market '" + market.id() + "' allows ("
                    + market.dataResidency().allowedRegions() + ")");
        }
        if (pool.dedicatedTo().isPresent() && !(pool.dedicatedTo().get().equals(id)
                && level == IsolationLevel.REGULATORY)) {
            throw new IsolationException("Endpoint '" + endpointName + "' is a server dedicated to REGULATORY tenant '"
                    + pool.dedicatedTo().get() + "'; tenant '" + id + "' (" + level + ") cannot be placed on it.");
        }
        if (level == IsolationLevel.REGULATORY) {
            if (pool.dedicatedTo().isEmpty()) {
                throw new IsolationException("Tenant '" + id + "' is REGULATORY: it goes on a DedicatedServer"
                        + " registered for it, not on shared endpoint '" + endpointName + "'.");
            }
            if (pool.region() != market.region()) {
                throw new IsolationException("Dedicated server '" + endpointName + "' is in " + pool.region()
                        + ", but REGULATORY tenant '" + id + "' must be served from its market's region, "
                        + market.region() + ". Register a dedicated server there.");
            }
        }
        Route existing = routes.get(id);
        if (existing != null && !existing.placement().endpoint().equals(endpointName)) {
            throw new IsolationException("Tenant '" + id + "' is already placed on endpoint '"
                    + existing.placement().endpoint() + "'; moving tenants between endpoints is not supported.");
        }
        if (existing != null && existing.placement().level() != level) {
            throw new IsolationException("Tenant '" + id + "' is placed at " + existing.placement().level()
                    + " but now asks for " + level + "; changing a tenant's level means exporting it, offboarding"
                    + " it and provisioning it again.");
        }
        Route route;
        try (Connection admin = pool.adminConnection()) {
            String location = level == IsolationLevel.BASIC ? "" : ControlPlane.location(admin, id.value());
            ControlPlane.recordPlacement(admin, id.value(), level.name(), endpointName, "PROVISIONING", location);
            if (keyManagement != null) {
                TenantKeys.ensure(admin, keys(tenants.require(id)), id.value());
            }
            route = switch (level) {
                case BASIC -> new Route(placement(id, level, pool, location), pool, EndpointPool.SHARED_TABLES_SHAPE,
                        null);
                case ENHANCED -> {
                    SchemaTenants.create(admin, pool.appRole().orElseThrow(), location);
                    finishSchema(id, location, admin);
                    yield new Route(placement(id, level, pool, location), pool,
                            ControlPlane.schemaShape(admin, location), null);
                }
                case MAXIMUM, REGULATORY -> {
                    DatabaseTenants.create(admin, location, tokens.loginPassword(location));
                    try (Connection tenantAdmin = pool.adminConnection(location)) {
                        DatabaseTenants.prepare(tenantAdmin, location);
                        finishDatabase(id, location, tenantAdmin);
                    }
                    yield new Route(placement(id, level, pool, location), pool, null, target(pool, location));
                }
            };
            ControlPlane.recordPlacement(admin, id.value(), level.name(), endpointName, "READY", location);
        } catch (SQLException e) {
            throw new IsolationException("Provisioning tenant '" + id + "' on endpoint '" + endpointName
                    + "' failed: " + e.getMessage() + ". It is not routable; run provision again to finish.", e);
        }
        routes.put(id, route);
        LOG.info("Tenant {} placed on endpoint {} at {}", id, endpointName, level);
        return route.placement();
    }

    private static TenantPlacement placement(TenantId id, IsolationLevel level, EndpointPool pool, String location) {
        return new TenantPlacement(id, level, pool.name(), pool.region(), location, true);
    }

    private TenantPools.Target target(EndpointPool pool, String location) {
        return new TenantPools.Target(pool.jdbcUrl(), location, tokens.loginPassword(location));
    }

    /** Migrates an ENHANCED tenant's schema and secures every table in it. */
    private void finishSchema(TenantId id, String location, Connection admin) throws SQLException {
        migrate(id, admin, location);
        SchemaTenants.secure(admin, id.value(), location);
    }

    /** Migrates a MAXIMUM or REGULATORY tenant's database and grants its role what was created. */
    private void finishDatabase(TenantId id, String location, Connection tenantAdmin) throws SQLException {
        migrate(id, tenantAdmin, "public");
        DatabaseTenants.secure(tenantAdmin, location);
    }

    private void migrate(TenantId id, Connection admin, String schema) {
        MigrationResult result = migrations.migrate(admin, schema);
        if (!result.succeeded()) {
            throw new IsolationException("Migrating tenant '" + id + "' failed: " + result.failure().orElseThrow()
                    + ". It is not routable; fix the migration and run provision again.");
        }
    }

    /**
     * Applies the {@link Builder#migrations migrations} to every ENHANCED, MAXIMUM and REGULATORY tenant
     * placed on this data source, at most {@code parallelism} at once, and secures each one afterwards (its
     * role's grants, the binding policy on every ENHANCED table, even when no migration was pending). A
     * failure is reported in its result and the others go on; running it again finishes what failed.
     * Prepared statements planned against a tenant's old tables are dropped before its next use.
     *
     * @return one result per tenant, named by tenant id
     */
    public List<MigrationResult> migrateTenants(int parallelism) {
        List<SchemaMigrations.Target> targets = new ArrayList<>();
        for (Route route : routes.values()) {
            TenantPlacement p = route.placement();
            if (p.level() == IsolationLevel.BASIC) {
                continue;
            }
            EndpointPool pool = route.endpoint();
            boolean schema = p.level() == IsolationLevel.ENHANCED;
            targets.add(new SchemaMigrations.Target(p.tenant().value(), schema ? p.location() : "public",
                    () -> schema ? pool.adminConnection() : pool.adminConnection(p.location())));
        }
        return migrations.migrateAll(targets, parallelism, (name, connection) -> {
            TenantId id = TenantId.of(name);
            Route route = routes.get(id);
            if (route == null) {
                return; // erased meanwhile
            }
            String location = route.placement().location();
            if (route.placement().level() == IsolationLevel.ENHANCED) {
                SchemaTenants.secure(connection, name, location);
                String shape = shape(connection, location); // a round trip: not under the map's bin lock
                routes.computeIfPresent(id, (k, r) -> new Route(r.placement(), r.endpoint(), shape, null));
            } else {
                DatabaseTenants.secure(connection, location);
                tenantPools.refresh(id);
            }
        });
    }

    private static String shape(Connection admin, String location) {
        try {
            return ControlPlane.schemaShape(admin, location);
        } catch (SQLException e) {
            throw new IsolationException("Reading the tables of schema " + location + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Writes every row of a tenant as JSON Lines ({@code {"table":"public.listings","row":{...}}}) from one
     * consistent snapshot: BASIC, its rows of every tenant table of its endpoint; ENHANCED, every table of its
     * schema; MAXIMUM and REGULATORY, every table of its database. The endpoint's administrator must bypass
     * row-level security (a superuser or a BYPASSRLS role).
     *
     * @return rows written per table
     * @throws IsolationException if the tenant is not placed or the export fails
     */
    public Map<String, Long> export(TenantId id, Writer out) {
        Objects.requireNonNull(out, "out");
        Route route = placedRoute(id, "export");
        TenantPlacement placement = route.placement();
        try {
            switch (placement.level()) {
                case BASIC -> {
                    try (Connection admin = route.endpoint().adminConnection()) {
                        return TenantData.export(admin, id.value(), out);
                    }
                }
                case ENHANCED -> {
                    try (Connection admin = route.endpoint().adminConnection()) {
                        return TenantData.export(admin, TenantData.tablesOf(admin, "^" + placement.location() + "$"),
                                null, out);
                    }
                }
                default -> {
                    try (Connection admin = route.endpoint().adminConnection(placement.location())) {
                        return TenantData.export(admin, TenantData.tablesOf(admin, USER_SCHEMAS), null, out);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IsolationException("Exporting tenant '" + id + "' failed: " + e.getMessage(), e);
        }
    }

    /** Every schema of a tenant database but the system ones. */
    private static final String USER_SCHEMAS = "^(?!pg_|information_schema$)";

    private Route placedRoute(TenantId id, String what) {
        Route route = routes.get(Objects.requireNonNull(id, "id"));
        if (route == null) {
            throw new IsolationException("Tenant '" + id + "' is not placed on any endpoint; there is nothing to "
                    + what + ".");
        }
        return route;
    }

    /**
     * Destroys the tenant's master key (when key management is configured: its encrypted values, in backups
     * too, become unreadable), then erases its data and checks that nothing remains: BASIC, its rows of every
     * tenant table in one transaction; ENHANCED, its schema and role; MAXIMUM and REGULATORY, its pool, its
     * database and login role. Its placement goes last, so it is no longer routable. Only a tenant being
     * offboarded may be erased: export it first, then move it to OFFBOARDING.
     *
     * @return rows erased per table
     * @throws IsolationException if the tenant is not OFFBOARDING, not placed, or the erase fails (run it
     *     again to finish)
     */
    public Map<String, Long> erase(TenantId id) {
        Tenant tenant = tenants.require(id);
        if (tenant.state() != TenantState.OFFBOARDING) {
            throw new IsolationException("Tenant '" + id + "' is " + tenant.state() + "; only a tenant in "
                    + TenantState.OFFBOARDING + " can be erased. Export it, move it to OFFBOARDING, then erase.");
        }
        Route route = placedRoute(id, "erase");
        TenantPlacement placement = route.placement();
        Map<String, Long> counts;
        try (Connection admin = route.endpoint().adminConnection()) {
            // The key first: destroying it cannot be undone, the rest can; if the erase then fails, running
            // it again finishes it (the placement is removed last).
            if (keyManagement != null) {
                TenantKeys.destroy(admin, keys(tenant), id.value());
            }
            String location = placement.location();
            switch (placement.level()) {
                case BASIC -> counts = TenantData.erase(admin, id.value());
                case ENHANCED -> {
                    counts = TenantData.count(admin, TenantData.tablesOf(admin, "^" + location + "$"));
                    SchemaTenants.drop(admin, location);
                    if (SchemaTenants.exists(admin, location)) {
                        throw new IsolationException("Schema or role " + location + " is still there after the"
                                + " erase.");
                    }
                    ControlPlane.removePlacement(admin, id.value());
                }
                default -> {
                    tenantPools.close(id);
                    counts = DatabaseTenants.exists(admin, location) ? countDatabase(route.endpoint(), location)
                            : Map.of();
                    DatabaseTenants.drop(admin, location);
                    if (DatabaseTenants.exists(admin, location)) {
                        throw new IsolationException("Database or role " + location + " is still there after the"
                                + " erase.");
                    }
                    ControlPlane.removePlacement(admin, id.value());
                }
            }
        } catch (SQLException e) {
            throw new IsolationException("Erasing tenant '" + id + "' failed (" + e.getMessage() + "). Its key may"
                    + " already be destroyed. Run erase again to finish.", e);
        }
        routes.remove(id);
        permits.remove(id);
        ciphers.remove(id);
        LOG.info("Tenant {} erased from endpoint {}: {}", id, placement.endpoint(), counts);
        return counts;
    }

    private static Map<String, Long> countDatabase(EndpointPool pool, String location) throws SQLException {
        try (Connection tenantAdmin = pool.adminConnection(location)) {
            return TenantData.count(tenantAdmin, TenantData.tablesOf(tenantAdmin, USER_SCHEMAS));
        }
    }

    /**
     * The cipher of the current thread's tenant, for its sensitive values (envelope encryption: the tenant's
     * data key, wrapped by the configured {@link Builder#keyManagement(KeyManagement) key management}, is
     * unwrapped once and cached).
     *
     * @throws NoTenantBoundException if no tenant is bound
     * @throws IsolationException if no key management is configured, or the tenant has no data key (it was
     *     never provisioned with one, or it was erased: its data can no longer be decrypted)
     */
    public TenantCipher cipher() {
        Tenant tenant = TenantContext.require("TenantDataSource.cipher()");
        if (keyManagement == null) {
            throw new IsolationException("No key management is configured; set TenantDataSource.Builder"
                    + ".keyManagement(...) to encrypt tenant data.");
        }
        TenantCipher cached = ciphers.get(tenant.id());
        if (cached != null) {
            return cached;
        }
        TenantPlacement placement = placement(tenant.id()).orElseThrow(() -> new IsolationException("Tenant '"
                + tenant.id() + "' is not placed on any endpoint, so it has no data key (erased tenants have none)."));
        byte[] key;
        try (Connection admin = endpoint(placement.endpoint()).adminConnection()) {
            key = TenantKeys.load(admin, keys(tenant), tenant.id().value()).orElseThrow(() -> new IsolationException(
                    "Tenant '" + tenant.id() + "' has no data key: provision it with key management configured."));
        } catch (SQLException e) {
            throw new IsolationException("Loading the data key of tenant '" + tenant.id() + "' failed: "
                    + e.getMessage(), e);
        }
        TenantCipher cipher = new TenantCipher(tenant.id(), new SecretKeySpec(key, "AES"));
        java.util.Arrays.fill(key, (byte) 0);
        TenantCipher raced = ciphers.putIfAbsent(tenant.id(), cipher);
        return raced != null ? raced : cipher;
    }

    /** The key management of {@code tenant}'s master key. */
    private KeyManagement keys(Tenant tenant) {
        return Objects.requireNonNull(keyManagement.apply(tenant), () -> "no key management for tenant " + tenant.id());
    }

    /** Makes the placements recorded on an endpoint routable (those that finished provisioning). */
    private void load(EndpointPool pool) {
        List<ControlPlane.PlacementRow> rows = pool.placements();
        Map<String, String> shapes = Map.of();
        if (rows.stream().anyMatch(r -> r.level().equals(IsolationLevel.ENHANCED.name()))) {
            try (Connection admin = pool.adminConnection()) {
                shapes = ControlPlane.schemaShapes(admin);
            } catch (SQLException e) {
                throw new IsolationException("Cannot read the tenant schemas of endpoint '" + pool.name() + "': "
                        + e.getMessage(), e);
            }
        }
        for (ControlPlane.PlacementRow row : rows) {
            TenantId id = TenantId.of(row.tenant());
            IsolationLevel level = IsolationLevel.valueOf(row.level());
            TenantPlacement placement = new TenantPlacement(id, level, pool.name(), pool.region(),
                    row.location(), "READY".equals(row.state()));
            routes.put(id, switch (level) {
                case BASIC -> new Route(placement, pool, EndpointPool.SHARED_TABLES_SHAPE, null);
                case ENHANCED -> new Route(placement, pool, shapes.getOrDefault(row.location(), "schema:missing"), null);
                case MAXIMUM, REGULATORY -> new Route(placement, pool, null, target(pool, row.location()));
            });
        }
    }

    /**
     * The shared endpoints (not dedicated servers) and their regions, by name, in registration order: where
     * BASIC, ENHANCED and MAXIMUM tenants can be placed.
     */
    public Map<String, com.enterprisehub.geo.core.market.DeploymentRegion> sharedEndpoints() {
        Map<String, com.enterprisehub.geo.core.market.DeploymentRegion> shared = new LinkedHashMap<>();
        pools.values().stream().filter(p -> p.dedicatedTo().isEmpty()).forEach(p -> shared.put(p.name(), p.region()));
        return java.util.Collections.unmodifiableMap(shared);
    }

    /** Where a tenant is placed, if it is. */
    public Optional<TenantPlacement> placement(TenantId id) {
        return Optional.ofNullable(routes.get(Objects.requireNonNull(id, "id"))).map(Route::placement);
    }

    /**
     * How many MAXIMUM and REGULATORY tenant pools are open now (at most {@link Builder#maxTenantPools}).
     */
    public int openTenantPools() {
        return tenantPools.openPools();
    }

    /**
     * Puts a table, on every endpoint, under tenant row-level security (see
     * {@link Builder#protectTable(String)}). Idempotent.
     */
    public void protectTable(String table) {
        for (EndpointPool pool : pools.values()) {
            pool.protectTable(table);
        }
    }

    /** Runs the self-check on every endpoint now; returns the findings (empty when all is well). */
    public Map<String, List<SelfCheckException.Finding>> selfCheck() {
        Map<String, List<SelfCheckException.Finding>> findings = new LinkedHashMap<>();
        for (EndpointPool pool : pools.values()) {
            findings.put(pool.name(), pool.selfCheck());
        }
        return findings;
    }

    private Route route(Tenant tenant) {
        TenantId id = tenant.id();
        Route route = routes.get(id);
        if (route == null || !route.placement().ready()) {
            throw new TenantNotPlacedException(id, tenant.state());
        }
        EndpointPool pool = route.endpoint();
        Market market = markets.require(tenant.market());
        if (!market.dataResidency().permits(pool.region())) {
            throw residencyViolation(id, "tenant is placed on endpoint '" + pool.name() + "' in "
                    + pool.region() + ", outside the regions market '" + market.id() + "' now allows ("
                    + market.dataResidency().allowedRegions() + ")");
        }
        return route;
    }

    private ResidencyViolationException residencyViolation(TenantId id, String detail) {
        events.publish(new SecurityEvent(clock.instant(), "residency-violation", id.value(), detail));
        LOG.warn("Residency violation refused for tenant {}: {}", id, detail);
        return new ResidencyViolationException("Refused for tenant '" + id + "': " + detail + ". Register an"
                + " endpoint in an allowed region, or correct the market's data-residency rule if it is wrong.");
    }

    private EndpointPool endpoint(String name) {
        EndpointPool pool = pools.get(Objects.requireNonNull(name, "name"));
        if (pool == null) {
            throw new GeoValidationException("No endpoint '" + name + "' is registered; registered: "
                    + describeEndpoints() + ".");
        }
        return pool;
    }

    private String describeEndpoints() {
        List<String> names = new ArrayList<>();
        pools.values().forEach(p -> names.add(p.name() + " (" + p.region() + (p.dedicatedTo().isPresent()
                ? ", dedicated to " + p.dedicatedTo().get() : "") + ")"));
        return names.toString();
    }

    private static SQLException refused(GeoException cause) {
        return new SQLInvalidAuthorizationSpecException(cause.getMessage(), "28000", cause);
    }

    /** Closes every pool. Connections in use are closed when returned. */
    @Override
    public void close() {
        tenantPools.close();
        pools.values().forEach(EndpointPool::close);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        throw new SQLFeatureNotSupportedException("Set timeouts per endpoint on the builder.");
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("EnterpriseHub Geo logs through SLF4J.");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("A TenantDataSource wraps no other DataSource a host may use directly.");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    /**
     * Configures a {@link TenantDataSource}. Required: {@link #tenants}, {@link #markets},
     * {@link #bindingKey} and at least one {@link #endpoint}. Not thread-safe.
     */
    public static final class Builder {
        private TenantCatalog tenants;
        private MarketCatalog markets;
        private BindingTokens tokens;
        private final Map<String, DatabaseEndpoint> endpoints = new LinkedHashMap<>();
        private final Map<String, DedicatedServer> dedicatedServers = new LinkedHashMap<>();
        private SchemaMigrations migrations = SchemaMigrations.of(List.of());
        private int maxTenantPools = 20;
        private int tenantPoolSize = 2;
        private final List<String> protectedTables = new ArrayList<>();
        private int maximumPoolSize = 10;
        private int maxConnectionsPerTenant;
        private Duration connectionTimeout = Duration.ofSeconds(30);
        private Duration statementTimeout = Duration.ZERO;
        private Function<? super Tenant, ? extends KeyManagement> keyManagement;
        private PlatformEvents events = PlatformEvents.create();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder tenants(TenantCatalog catalog) {
            this.tenants = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        public Builder markets(MarketCatalog catalog) {
            this.markets = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /**
         * The key binding tokens are made with: at least 32 random bytes, the same on every instance,
         * loaded from your secret store. The array is copied.
         */
        public Builder bindingKey(byte[] key) {
            this.tokens = new BindingTokens(key);
            return this;
        }

        /** Registers a database endpoint; names must be unique among endpoints and dedicated servers. */
        public Builder endpoint(DatabaseEndpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (dedicatedServers.containsKey(endpoint.name())
                    || endpoints.putIfAbsent(endpoint.name(), endpoint) != null) {
                throw new GeoValidationException("Endpoint '" + endpoint.name() + "' is registered twice.");
            }
            return this;
        }

        /**
         * Registers the dedicated server of a REGULATORY tenant; names must be unique among endpoints and
         * dedicated servers, and a tenant has at most one.
         */
        public Builder dedicatedServer(DedicatedServer server) {
            Objects.requireNonNull(server, "server");
            if (dedicatedServers.values().stream().anyMatch(d -> d.tenant().equals(server.tenant()))) {
                throw new GeoValidationException("Tenant '" + server.tenant() + "' already has a dedicated server.");
            }
            if (endpoints.containsKey(server.name()) || dedicatedServers.putIfAbsent(server.name(), server) != null) {
                throw new GeoValidationException("Endpoint '" + server.name() + "' is registered twice.");
            }
            return this;
        }

        /**
         * The versioned SQL applied to every ENHANCED tenant's schema and every MAXIMUM and REGULATORY
         * tenant's database when it is provisioned, and by {@link TenantDataSource#migrateTenants(int)};
         * default none.
         */
        public Builder migrations(SchemaMigrations migrations) {
            this.migrations = Objects.requireNonNull(migrations, "migrations");
            return this;
        }

        /**
         * The most MAXIMUM and REGULATORY tenant pools open at once; the least recently used idle pool is
         * closed to open another. Default 20.
         */
        public Builder maxTenantPools(int max) {
            if (max < 1 || max > 10_000) {
                throw new GeoValidationException("maxTenantPools must be 1 to 10000; got " + max + ".");
            }
            this.maxTenantPools = max;
            return this;
        }

        /** The most connections of one MAXIMUM or REGULATORY tenant's pool; default 2. */
        public Builder tenantPoolSize(int size) {
            if (size < 1 || size > 100) {
                throw new GeoValidationException("tenantPoolSize must be 1 to 100; got " + size + ".");
            }
            this.tenantPoolSize = size;
            return this;
        }

        /**
         * A table ({@code table} or {@code schema.table}) with a {@code tenant_id} text column to put under
         * tenant row-level security on every endpoint at start-up: NOT NULL and non-empty, defaulting to the
         * bound tenant, RLS enabled and forced, restrictive and permissive policies (USING and WITH CHECK),
         * an index, and DML granted to the application role.
         */
        public Builder protectTable(String table) {
            protectedTables.add(Objects.requireNonNull(table, "table"));
            return this;
        }

        /** The most connections of the application role per endpoint; default 10. */
        public Builder maximumPoolSize(int size) {
            if (size < 1 || size > 1000) {
                throw new GeoValidationException("maximumPoolSize must be 1 to 1000; got " + size + ".");
            }
            this.maximumPoolSize = size;
            return this;
        }

        /**
         * The most connections one tenant may hold at once from an endpoint's pool, so that one busy
         * tenant cannot starve the others; default: half of {@link #maximumPoolSize} (at least 1).
         */
        public Builder maxConnectionsPerTenant(int max) {
            if (max < 1) {
                throw new GeoValidationException("maxConnectionsPerTenant must be at least 1; got " + max + ".");
            }
            this.maxConnectionsPerTenant = max;
            return this;
        }

        /** How long getConnection() waits for a tenant's connection cap; default 30 s. */
        public Builder connectionTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new GeoValidationException("connectionTimeout must be positive; got " + timeout + ".");
            }
            this.connectionTimeout = timeout;
            return this;
        }

        /**
         * The statement timeout of every tenant's connections (PostgreSQL's {@code statement_timeout});
         * default none. A tenant's configuration key {@value TenantDataSource#STATEMENT_TIMEOUT_KEY}
         * overrides it.
         */
        public Builder statementTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new GeoValidationException("statementTimeout must be zero (none) or positive; got " + timeout
                        + ".");
            }
            this.statementTimeout = timeout;
            return this;
        }

        /**
         * Turns on envelope encryption: provisioning gives each tenant its own master key in
         * {@code keyManagement} and an AES-256 data key wrapped under it (stored in the control plane);
         * {@link TenantDataSource#cipher()} uses the data key; erasing the tenant destroys its master key.
         */
        public Builder keyManagement(KeyManagement keyManagement) {
            Objects.requireNonNull(keyManagement, "keyManagement");
            this.keyManagement = tenant -> keyManagement;
            return this;
        }

        /**
         * Like {@link #keyManagement(KeyManagement)}, with each tenant's master key in the key management
         * {@code perTenant} chooses for it — the one of its market's region, so key material stays where the
         * market's residency rule allows (see {@code Platform.regionalKeys} in geo-platform). It must choose the
         * same one for a tenant every time: the key is created, used and destroyed there.
         */
        public Builder keyManagement(Function<? super Tenant, ? extends KeyManagement> perTenant) {
            this.keyManagement = Objects.requireNonNull(perTenant, "perTenant");
            return this;
        }

        /** Where security events go; default: a dispatcher with no listeners. */
        public Builder events(PlatformEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Installs the control plane on every endpoint, protects the listed tables, loads recorded
         * placements, runs the self-check and starts the pools. On any failure, whatever was opened is
         * closed again.
         *
         * @throws SelfCheckException if an endpoint is set up so that isolation could be bypassed
         * @throws IsolationException if an endpoint cannot be prepared
         */
        public TenantDataSource build() {
            List<String> missing = new ArrayList<>();
            if (tenants == null) {
                missing.add("tenants");
            }
            if (markets == null) {
                missing.add("markets");
            }
            if (tokens == null) {
                missing.add("bindingKey");
            }
            if (endpoints.isEmpty() && dedicatedServers.isEmpty()) {
                missing.add("endpoint");
            }
            if (maxConnectionsPerTenant > maximumPoolSize) {
                throw new GeoValidationException("maxConnectionsPerTenant (" + maxConnectionsPerTenant
                        + ") cannot exceed maximumPoolSize (" + maximumPoolSize + ").");
            }
            if (!missing.isEmpty()) {
                throw new GeoValidationException("A TenantDataSource needs " + missing + ".");
            }
            Map<String, EndpointPool> pools = new LinkedHashMap<>();
            TenantDataSource source = null;
            try {
                for (DatabaseEndpoint endpoint : endpoints.values()) {
                    pools.put(endpoint.name(), new EndpointPool(endpoint.name(), endpoint.region(), endpoint.jdbcUrl(),
                            endpoint.admin(), endpoint.app(), null, maximumPoolSize));
                }
                for (DedicatedServer server : dedicatedServers.values()) {
                    pools.put(server.name(), new EndpointPool(server.name(), server.region(), server.jdbcUrl(),
                            server.admin(), null, server.tenant(), maximumPoolSize));
                }
                for (EndpointPool pool : pools.values()) {
                    pool.install(tokens.keyBytes());
                    protectedTables.forEach(pool::protectTable);
                    List<SelfCheckException.Finding> findings = pool.selfCheck();
                    if (!findings.isEmpty()) {
                        throw new SelfCheckException(pool.name(), findings);
                    }
                }
                // Registration order, which placement falls back on and sharedEndpoints() promises: not Map.copyOf,
                // whose iteration order is a hash order that changes from one JVM start to the next.
                source = new TenantDataSource(this, java.util.Collections.unmodifiableMap(pools));
                for (EndpointPool pool : pools.values()) {
                    source.load(pool);
                }
                return source;
            } catch (RuntimeException e) {
                if (source != null) {
                    source.close();
                } else {
                    pools.values().forEach(EndpointPool::close);
                }
                throw e;
            }
        }
    }
}
