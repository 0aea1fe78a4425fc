package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.spi.KeyManagement;
import com.enterprisehub.geo.core.spi.TenantCatalog;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.internal.BindingTokens;
import com.enterprisehub.geo.isolation.internal.ControlPlane;
import com.enterprisehub.geo.isolation.internal.EndpointPool;
import com.enterprisehub.geo.isolation.internal.SelfCheck;
import com.enterprisehub.geo.isolation.internal.TenantData;
import com.enterprisehub.geo.isolation.internal.TenantKeys;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * A {@link DataSource} whose every connection is bound to the tenant of the current
 * {@link TenantContext}. Hand it to JDBC, JPA or jOOQ code unchanged.
 *
 * <p><strong>Available in this version: {@link IsolationLevel#BASIC}</strong> — shared tables with a
 * {@code tenant_id} column under forced row-level security. A connection is bound by
 * {@code geo_control.bind(tenant, nonce, token)}: the nonce is one the server chose for that session
 * and revealed only to the pool, the token an HMAC of tenant and nonce under a key only the control
 * plane's owner can read; SQL run on a borrowed connection cannot bind it to another tenant. Tenants at other levels are refused at
 * provisioning with an {@link IsolationException} until those levels are built. See
 * {@code docs/isolation.md} for the threat model.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>fail closed: with no tenant bound, {@link #getConnection()} throws an {@link SQLException} whose
 *       cause is a {@link NoTenantBoundException}; unknown, suspended or unprovisioned tenants are
 *       refused likewise (cause: the matching {@link GeoException}); a session with no binding sees no
 *       tenant rows;</li>
 *   <li>residency: a tenant is never placed on or routed to an endpoint outside its market's allowed
 *       regions ({@link ResidencyViolationException} and a {@link SecurityEvent});</li>
 *   <li>hand-over: a transaction left open by the previous borrower is rolled back; a connection already
 *       bound to the requesting tenant is handed over with no SQL sent; switching tenant costs one round
 *       trip;</li>
 *   <li>a connection refuses to create statements once its thread works for another tenant (or none),
 *       so a tenant switch inside a transaction is an error, never silently ignored;</li>
 *   <li>bounded: each tenant may hold at most {@link Builder#maxConnectionsPerTenant} connections of an
 *       endpoint's pool at once (default half the pool), and may get a statement timeout, so one busy
 *       tenant cannot starve the others; a leaked SQL-level transaction is rolled back when the
 *       connection is returned, so idle pooled connections hold no locks;</li>
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
    private final ConcurrentHashMap<TenantId, TenantPlacement> placements = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TenantId, Semaphore> permits = new ConcurrentHashMap<>();
    private final int maxConnectionsPerTenant;
    private final long connectionTimeoutMillis;
    private final Duration defaultStatementTimeout;
    private final KeyManagement keyManagement;
    private final ConcurrentHashMap<TenantId, TenantCipher> ciphers = new ConcurrentHashMap<>();

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
        this.defaultStatementTimeout = b.statementTimeout;
        this.keyManagement = b.keyManagement;
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
        EndpointPool pool;
        Tenant current;
        try {
            current = tenants.find(bound.id()).orElse(null);
            if (current == null) {
                throw new UnknownTenantException(bound.id());
            }
            current.requireActive();
            pool = route(current);
        } catch (GeoException e) {
            throw refused(e);
        }
        Semaphore cap = permits.get(current.id()); // a plain read on the hot path; create only on first use
        if (cap == null) {
            cap = permits.computeIfAbsent(current.id(), id -> new Semaphore(maxConnectionsPerTenant, true));
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
            return pool.borrow(current.id(), statementTimeoutMillis(current), tokens, cap);
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
        return defaultStatementTimeout.toMillis();
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
     * Places a tenant (which must be in the tenant catalog) on an endpoint its market's residency rule
     * allows, preferring the market's own deployment region, and makes it routable. Idempotent.
     *
     * @return the placement
     * @throws ResidencyViolationException if no endpoint is in an allowed region
     * @throws IsolationException if the tenant's isolation level is not available in this version
     */
    public TenantPlacement provision(TenantId id) {
        Tenant tenant = tenants.require(id);
        Market market = markets.require(tenant.market());
        List<EndpointPool> allowed = pools.values().stream()
                .filter(p -> market.dataResidency().permits(p.endpoint().region())).toList();
        if (allowed.isEmpty()) {
            throw residencyViolation(id, "no endpoint is in a region market '" + market.id() + "' allows ("
                    + market.dataResidency().allowedRegions() + "); registered: " + describeEndpoints());
        }
        EndpointPool chosen = allowed.stream().filter(p -> p.endpoint().region() == market.region()).findFirst()
                .orElse(allowed.get(0));
        return provision(id, chosen.endpoint().name());
    }

    /**
     * Places a tenant on a named endpoint and makes it routable. Idempotent.
     *
     * @throws ResidencyViolationException if the endpoint is outside the regions the tenant's market allows
     */
    public TenantPlacement provision(TenantId id, String endpointName) {
        Tenant tenant = tenants.require(id);
        Market market = markets.require(tenant.market());
        EndpointPool pool = endpoint(endpointName);
        if (!market.dataResidency().permits(pool.endpoint().region())) {
            throw residencyViolation(id, "endpoint '" + endpointName + "' is in " + pool.endpoint().region()
                    + ", outside the regions market '" + market.id() + "' allows ("
                    + market.dataResidency().allowedRegions() + ")");
        }
        if (tenant.isolationLevel() != IsolationLevel.BASIC) {
            throw new IsolationException("Tenant '" + id + "' asks for " + tenant.isolationLevel() + " isolation,"
                    + " which this version does not provide yet (only BASIC is available). Provision it at BASIC,"
                    + " or wait for the release that adds " + tenant.isolationLevel() + ".");
        }
        TenantPlacement existing = placements.get(id);
        if (existing != null && !existing.endpoint().equals(endpointName)) {
            throw new IsolationException("Tenant '" + id + "' is already placed on endpoint '" + existing.endpoint()
                    + "'; moving tenants between endpoints is not supported.");
        }
        try (Connection admin = pool.adminConnection()) {
            if (keyManagement != null) {
                TenantKeys.ensure(admin, keyManagement, id.value());
            }
            ControlPlane.recordPlacement(admin, id.value(), IsolationLevel.BASIC.name(), endpointName, "READY");
        } catch (SQLException e) {
            throw new IsolationException("Provisioning tenant '" + id + "' on endpoint '" + endpointName
                    + "' failed: " + e.getMessage(), e);
        }
        TenantPlacement placement = new TenantPlacement(id, IsolationLevel.BASIC, endpointName, true);
        placements.put(id, placement);
        LOG.info("Tenant {} placed on endpoint {} at {}", id, endpointName, IsolationLevel.BASIC);
        return placement;
    }

    /**
     * Writes every row of a tenant, from every tenant table of its endpoint, as JSON Lines
     * ({@code {"table":"public.listings","row":{...}}}), from one consistent snapshot. The endpoint's
     * administrator must bypass row-level security (a superuser or a BYPASSRLS role).
     *
     * @return rows written per table
     * @throws IsolationException if the tenant is not placed or the export fails
     */
    public Map<String, Long> export(TenantId id, Writer out) {
        Objects.requireNonNull(out, "out");
        TenantPlacement placement = placement(id).orElseThrow(() -> new IsolationException("Tenant '" + id
                + "' is not placed on any endpoint; there is nothing to export."));
        try (Connection admin = endpoint(placement.endpoint()).adminConnection()) {
            return TenantData.export(admin, id.value(), out);
        } catch (SQLException e) {
            throw new IsolationException("Exporting tenant '" + id + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * Destroys the tenant's master key (when key management is configured: its encrypted values, in
     * backups too, become unreadable), deletes every row of the tenant from every tenant table of its
     * endpoint in one transaction, checks that none remains, and removes its placement, so it is no longer
     * routable. Only a tenant being offboarded
     * may be erased: export it first, then move it to OFFBOARDING.
     *
     * @return rows deleted per table
     * @throws IsolationException if the tenant is not OFFBOARDING, not placed, or the erase fails (then
     *     nothing is erased)
     */
    public Map<String, Long> erase(TenantId id) {
        Tenant tenant = tenants.require(id);
        if (tenant.state() != TenantState.OFFBOARDING) {
            throw new IsolationException("Tenant '" + id + "' is " + tenant.state() + "; only a tenant in "
                    + TenantState.OFFBOARDING + " can be erased. Export it, move it to OFFBOARDING, then erase.");
        }
        TenantPlacement placement = placement(id).orElseThrow(() -> new IsolationException("Tenant '" + id
                + "' is not placed on any endpoint; there is nothing to erase."));
        Map<String, Long> counts;
        try (Connection admin = endpoint(placement.endpoint()).adminConnection()) {
            // The key first: destroying it cannot be undone, the row deletes can; if the erase then fails,
            // running it again finishes it (the placement is removed last).
            if (keyManagement != null) {
                TenantKeys.destroy(admin, keyManagement, id.value());
            }
            counts = TenantData.erase(admin, id.value());
        } catch (SQLException e) {
            throw new IsolationException("Erasing tenant '" + id + "' failed (" + e.getMessage() + "). Its rows"
                    + " are erased in one transaction, so they are either all gone or all there; its key may already"
                    + " be destroyed. Run erase again to finish.", e);
        }
        placements.remove(id);
        permits.remove(id);
        ciphers.remove(id);
        LOG.info("Tenant {} erased from endpoint {}: {}", id, placement.endpoint(), counts);
        return counts;
    }

    /**
     * The cipher of the current thread's tenant, for its sensitive values (envelope encryption: the tenant's
     * data key, wrapped by the configured {@link Builder#keyManagement key management}, is unwrapped once and
     * cached).
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
            key = TenantKeys.load(admin, keyManagement, tenant.id().value()).orElseThrow(() -> new IsolationException(
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

    /** Where a tenant is placed, if it is. */
    public Optional<TenantPlacement> placement(TenantId id) {
        return Optional.ofNullable(placements.get(Objects.requireNonNull(id, "id")));
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
            findings.put(pool.endpoint().name(), pool.selfCheck());
        }
        return findings;
    }

    private EndpointPool route(Tenant tenant) {
        TenantId id = tenant.id();
        TenantPlacement placement = placements.get(id);
        if (placement == null || !placement.ready()) {
            throw new TenantNotPlacedException(id, tenant.state());
        }
        EndpointPool pool = pools.get(placement.endpoint());
        Market market = markets.require(tenant.market());
        if (!market.dataResidency().permits(pool.endpoint().region())) {
            throw residencyViolation(id, "tenant is placed on endpoint '" + pool.endpoint().name() + "' in "
                    + pool.endpoint().region() + ", outside the regions market '" + market.id() + "' now allows ("
                    + market.dataResidency().allowedRegions() + ")");
        }
        return pool;
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
        pools.values().forEach(p -> names.add(p.endpoint().name() + " (" + p.endpoint().region() + ")"));
        return names.toString();
    }

    private static SQLException refused(GeoException cause) {
        return new SQLInvalidAuthorizationSpecException(cause.getMessage(), "28000", cause);
    }

    /** Closes every pool. Connections in use are closed when returned. */
    @Override
    public void close() {
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
        private final List<String> protectedTables = new ArrayList<>();
        private int maximumPoolSize = 10;
        private int maxConnectionsPerTenant;
        private Duration connectionTimeout = Duration.ofSeconds(30);
        private Duration statementTimeout = Duration.ZERO;
        private KeyManagement keyManagement;
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

        /** Registers a database endpoint; names must be unique. */
        public Builder endpoint(DatabaseEndpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (endpoints.putIfAbsent(endpoint.name(), endpoint) != null) {
                throw new GeoValidationException("Endpoint '" + endpoint.name() + "' is registered twice.");
            }
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
            this.keyManagement = Objects.requireNonNull(keyManagement, "keyManagement");
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
            if (endpoints.isEmpty()) {
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
            try {
                for (DatabaseEndpoint endpoint : endpoints.values()) {
                    EndpointPool pool = new EndpointPool(endpoint, maximumPoolSize);
                    pools.put(endpoint.name(), pool);
                    pool.install(tokens.keyBytes());
                    protectedTables.forEach(pool::protectTable);
                    List<SelfCheckException.Finding> findings = pool.selfCheck();
                    if (!findings.isEmpty()) {
                        throw new SelfCheckException(endpoint.name(), findings);
                    }
                }
                TenantDataSource source = new TenantDataSource(this, Map.copyOf(pools));
                for (EndpointPool pool : pools.values()) {
                    pool.loadPlacements(source.placements);
                }
                return source;
            } catch (RuntimeException e) {
                pools.values().forEach(EndpointPool::close);
                throw e;
            }
        }
    }
}
