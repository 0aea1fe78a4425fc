package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.internal.BindingTokens;
import com.enterprisehub.geo.isolation.internal.ControlPlane;
import com.enterprisehub.geo.isolation.internal.EndpointCounters;
import com.enterprisehub.geo.isolation.internal.EndpointPool;
import com.enterprisehub.geo.isolation.internal.FairShare;
import com.enterprisehub.geo.isolation.internal.TenantPools;
import com.enterprisehub.geo.isolation.migration.MigrationResult;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import java.io.PrintWriter;
import java.io.Writer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.sql.DataSource;

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

    // The façade over one object per job (HikariDataSource over HikariPool is the model): the data path
    // (router), the endpoints, and the administrative jobs, which change routing through the router only.
    private final TenantRouter router;
    private final Endpoints endpoints;
    private final TenantProvisioner provisioner;
    private final TenantMigrator migrator;
    private final TenantOffboarder offboarder;
    private final TenantCiphers ciphers;
    private final TenantMover mover;

    private final SecurityEvents security;

    private TenantDataSource(Builder b, Endpoints endpoints, SecurityEvents security) {
        int maxConnectionsPerTenant = b.maxConnectionsPerTenant == 0 ? Math.max(1, b.maximumPoolSize / 2)
                : b.maxConnectionsPerTenant;
        long connectionTimeoutMillis = b.connectionTimeout.toMillis();
        ResidencyGuard residency = new ResidencyGuard(security);
        this.security = security;
        this.endpoints = endpoints;
        this.router = new TenantRouter(b.tenants, b.markets, residency, b.tokens, maxConnectionsPerTenant,
                connectionTimeoutMillis, b.statementTimeout.toMillis(),
                new TenantPools(b.maxTenantPools, b.tenantPoolSize, connectionTimeoutMillis),
                ObservedConnections.of(b.observers));
        this.ciphers = new TenantCiphers(b.keyManagement, router, endpoints);
        this.migrator = new TenantMigrator(b.migrations, router);
        this.provisioner = new TenantProvisioner(b.tenants, b.markets, b.tokens, endpoints, router, residency, migrator,
                ciphers);
        this.offboarder = new TenantOffboarder(b.tenants, router, ciphers);
        this.mover = new TenantMover(b.tenants, endpoints, router, provisioner, migrator, b.tokens, ciphers,
                b.moveNiceRatio);
        router.reloader(provisioner::reload);
        router.sealReleaser(mover::releaseAbandonedSeal);
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
        return router.getConnection();
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
        return endpoints.require(endpoint).adminConnection();
    }

    /**
     * Places a tenant (which must be in the tenant catalog) and makes it routable. Idempotent. A REGULATORY
     * tenant goes to its {@link DedicatedServer}; the others to a shared endpoint its market's residency
     * rule allows: the first registered one in the market's own deployment region, else the first registered
     * one in any region the rule allows (registration order: the order of {@link Builder#endpoint} calls,
     * the same on every start).
     *
     * @return the placement
     * @throws ResidencyViolationException if no endpoint is in an allowed region
     * @throws IsolationException if a REGULATORY tenant has no dedicated server, or provisioning fails (run
     *     it again to finish; the tenant is not routable until it succeeds)
     */
    public TenantPlacement provision(TenantId id) {
        return provisioner.provision(id);
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
        return provisioner.provision(id, endpointName);
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
        return migrator.migrateTenants(parallelism);
    }

    /**
     * Moves a placed tenant to another isolation level, another endpoint, or both (BASIC, ENHANCED and MAXIMUM in any
     * direction; REGULATORY not yet), online. Each step is journaled in the endpoint's control plane, and a move that
     * stopped (an error, a crash) resumes where it stopped when {@code move} is called again with the same target:
     * <ol>
     *   <li>the target is created as provisioning would create it, with the {@link Builder#migrations migrations}
     *       applied (its tables must have the same columns as the source's, {@code tenant_id} aside, and a primary
     *       key);</li>
     *   <li>the tenant's rows are copied from one consistent snapshot of the source while it keeps working;</li>
     *   <li>the tenant's writes are frozen on every instance: its new connections here wait (up to
     *       {@link Builder#connectionTimeout}), its placement is marked MOVING so no pool anywhere binds it, and every
     *       session still serving it is ended (a transaction in flight is rolled back); other tenants go on;</li>
     *   <li>rows changed since the snapshot are caught up and every table is verified: row counts and checksums of
     *       the same canonical row form, computed in SQL on both sides;</li>
     *   <li>the placement is switched to the target in one control-plane transaction (between endpoints: the
     *       target's placement READY first, the source's left MOVING for good, so the source refuses the tenant);
     *       connections here go to the target at once, and another instance looks the placement up again when the
     *       source refuses it;</li>
     *   <li>the tenant catalog records the new level, then the source is erased.</li>
     * </ol>
     * A failure before the switch leaves the tenant on its source with its data untouched and routable again; after
     * the switch, only the verified target serves it and calling {@code move} again finishes the erase. Moving a
     * tenant to where it is does nothing. The endpoint's administrator must be a superuser (rows are copied with
     * row-level security bypassed and foreign keys checked on the source, not again on the target).
     *
     * @param id the tenant
     * @param level the isolation level to move it to
     * @param endpoint the endpoint to move it to (its own, or another in a region its market allows; a tenant with a
     *     data key stays in its endpoint's region for now)
     * @return what was moved, the rows per table, and how long its writes paused
     * @throws ResidencyViolationException if the endpoint is outside the regions the tenant's market allows
     * @throws IsolationException if the tenant is not placed, the move is not supported (to or from REGULATORY, a
     *     data key to another region: not built yet), the tables do not match, another move of it is running or unfinished
     *     with another target, or a step fails (the message says whether to call move again)
     */
    public MoveResult move(TenantId id, IsolationLevel level, String endpoint) {
        return mover.move(id, level, endpoint);
    }

    /**
     * Gives up the tenant's unfinished {@link #move move} (one that failed, or whose process died) instead of resuming
     * it: the tenant goes back to its source, routable and untouched, the freeze is lifted, and the target (its schema
     * or database, or its rows and placement on another endpoint) is erased. A move that already switched cannot be
     * cancelled: call {@code move} again to finish it.
     *
     * <p>While a move runs, the tenant's freeze is a lease in the control plane that the mover renews; if the mover
     * dies, the lease runs out (30 s) and every instance serves the tenant on its source again until the move is
     * resumed (call {@code move} again) or cancelled here. A database of the tenant's own that the mover sealed just
     * before its switch (no login of the tenant's role passes the seal, lease or not) is released by the first borrow
     * refused there once the lease ran out, if no move or cancel of the tenant runs then.
     *
     * @return true if a journaled move was cancelled, false if the tenant had none
     * @throws IsolationException if the move already switched, is running in another process, or a step fails (the
     *     message says whether to call {@code cancelMove} again)
     */
    public boolean cancelMove(TenantId id) {
        return mover.cancelMove(id);
    }

    /** The journal of this data source's moves, for the tests' failure hook. Not part of the API. */
    com.enterprisehub.geo.isolation.internal.MoveJournal moveJournal() {
        return mover.journal();
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
        return offboarder.export(id, out);
    }

    /**
     * Imports an {@link #export export} (of this or another tenant, from any level) into a tenant that was just
     * provisioned and has no rows yet, at its own level: each row goes to the table of the same name (BASIC: with this
     * tenant's {@code tenant_id}; the exported one is ignored), in one transaction, verified table by table (row counts
     * and checksums of the same canonical row form as {@link #move}) before it commits. A malformed line, a table the
     * tenant lacks, a value its column refuses or a failed verification rolls everything back. The export carries no
     * signature: a line altered but still well formed is imported as it reads.
     *
     * @return rows imported per table
     * @throws IsolationException if the tenant is not placed, already has rows, or the export is refused (nothing was
     *     imported)
     */
    public Map<String, Long> restore(TenantId id, java.io.Reader export) {
        return offboarder.restore(id, export);
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
        return offboarder.erase(id);
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
        return ciphers.cipher();
    }

    /**
     * Registers another shared endpoint while this data source runs, with no restart: the endpoint goes through what
     * {@link Builder#build()} does to every endpoint (its control plane installed, every {@link Builder#protectTable
     * protected table} protected, the self-check run) before it is visible; then at once, for every caller, it takes
     * new tenants ({@link #provision(TenantId, String)}, and {@link #provision(TenantId)} after the endpoints
     * registered before it), is a target of {@link #move}, appears in {@link #sharedEndpoints()} (a
     * {@link PlacementPlanner}'s input), {@link #statistics()} and the observers, and is closed with this data
     * source. Its shared pool starts lazily, as the others. Placements its control plane records already (another
     * instance moved or provisioned tenants there) become routable here, as at start-up.
     *
     * <p>Thread-safe: borrows and moves never wait for it and never fail because of it (a borrow does not read the
     * set of endpoints; a move sees it before or after the endpoint is added, never half). Other instances learn of
     * the endpoint only when they add it too or are restarted with it: register it after the endpoints it follows
     * here (the same order everywhere, as {@link #provision(TenantId)} chooses by it). A tenant moved to it by this
     * instance is served by another instance only once that instance has it too (until then, that instance's borrows
     * of the tenant fail after waiting up to the {@link Builder#connectionTimeout connection timeout}): add it on
     * every instance before moving tenants to it. Micrometer meters ({@code IsolationMetrics}) are registered when
     * bound: bind them again to add the new endpoint's.
     *
     * @param endpoint the endpoint; its name must not be registered here yet (endpoint or dedicated server)
     * @throws SelfCheckException if the endpoint is set up so that isolation could be bypassed: nothing is added (the
     *     control plane installed for the check stays on its database, as after a refused start); fix what the
     *     findings say and add it again
     * @throws IsolationException if the name is already registered (or being added by another call), this data
     *     source is closed, or the endpoint cannot be prepared or its placements read: nothing is added in the first
     *     cases; if only its recorded placements could not be read, it is added and the message says so
     */
    public void addEndpoint(DatabaseEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        EndpointPool pool = endpoints.add(endpoint);
        synchronized (selfCheckLock) {
            lastSelfCheck = null; // a cached self-check run does not cover the new endpoint
        }
        loadRecorded(pool);
    }

    /**
     * Makes the placements recorded on an endpoint added at run time routable, as start-up does: a READY one, or a
     * not-READY one of a tenant this instance has no route for (so that provisioning it again finishes it); never a
     * tombstone over a ready route. A route this instance changed meanwhile (a move, a provisioning) is kept.
     */
    private void loadRecorded(EndpointPool pool) {
        try (Connection admin = pool.adminConnection()) {
            for (ControlPlane.PlacementRow row : ControlPlane.placements(admin)) {
                if (!row.endpoint().equals(pool.name())) {
                    continue;
                }
                TenantId id = TenantId.of(row.tenant());
                TenantPlacement placement = new TenantPlacement(id, IsolationLevel.valueOf(row.level()), pool.name(),
                        pool.region(), row.location(), "READY".equals(row.state()));
                Route known = router.find(id);
                if (!placement.ready() && known != null) {
                    continue;
                }
                router.placeIfUnchanged(known, provisioner.routeOf(placement, pool, admin));
            }
        } catch (SQLException | RuntimeException e) {
            throw new IsolationException("Endpoint '" + pool.name() + "' was added, but the placements recorded in its"
                    + " control plane could not be read (" + e.getMessage() + "): tenants placed there by other"
                    + " instances are not routable here until this data source is restarted.", e);
        }
    }

    /**
     * The shared endpoints (not dedicated servers) and their regions, by name, in registration order: where
     * BASIC, ENHANCED and MAXIMUM tenants can be placed.
     */
    public Map<String, DeploymentRegion> sharedEndpoints() {
        return endpoints.sharedRegions();
    }

    /** Where a tenant is placed, if it is. */
    public Optional<TenantPlacement> placement(TenantId id) {
        return Optional.ofNullable(router.find(id)).map(Route::placement);
    }

    /**
     * How many MAXIMUM and REGULATORY tenant pools are open now (at most {@link Builder#maxTenantPools}).
     */
    public int openTenantPools() {
        return router.tenantPools().openPools();
    }

    /**
     * A reading of this data source's counters: per endpoint (borrows, tenant switches and their time, waits for a
     * tenant's cap or the pool's fair share, the shared pool's connections now), refusals by cause, and security
     * events by kind. Cheap (sums of striped counters, no database round trip): a metrics scrape may call it every
     * few seconds. {@code com.enterprisehub.geo.isolation.micrometer.IsolationMetrics} publishes it to Micrometer.
     */
    public IsolationStatistics statistics() {
        List<EndpointStatistics> perEndpoint = new ArrayList<>();
        for (EndpointPool pool : endpoints.all()) {
            EndpointCounters c = pool.counters();
            int[] connections = pool.connections();
            perEndpoint.add(new EndpointStatistics(pool.name(), c.borrows(), c.switches(),
                    Duration.ofNanos(c.switchNanos()), c.waits(), Duration.ofNanos(c.waitNanos()), connections[0],
                    connections[1], connections[4], connections[3]));
        }
        return new IsolationStatistics(perEndpoint, router.refusals(), security.counts(), openTenantPools());
    }

    /**
     * Puts a table, on every endpoint, under tenant row-level security (see
     * {@link Builder#protectTable(String)}). Idempotent.
     */
    public void protectTable(String table) {
        endpoints.protectTable(table);
    }

    /**
     * The self-check's findings, run again only when the last run is older than {@code maxAge}: for health checks
     * that a probe calls every few seconds (a full run costs several catalog queries per endpoint). Concurrent
     * callers share one run. A run that fails is not kept: the next call runs again.
     */
    public Map<String, List<SelfCheckException.Finding>> selfCheck(Duration maxAge) {
        Objects.requireNonNull(maxAge, "maxAge");
        synchronized (selfCheckLock) {
            CheckedAt last = lastSelfCheck;
            long now = System.nanoTime();
            if (last != null && now - last.nanos < maxAge.toNanos()) {
                return last.findings;
            }
            Map<String, List<SelfCheckException.Finding>> findings = new LinkedHashMap<>();
            selfCheck().forEach((endpoint, found) -> findings.put(endpoint, List.copyOf(found)));
            CheckedAt checked = new CheckedAt(now, Collections.unmodifiableMap(findings));
            lastSelfCheck = checked;
            return checked.findings;
        }
    }

    private record CheckedAt(long nanos, Map<String, List<SelfCheckException.Finding>> findings) {
    }

    private final Object selfCheckLock = new Object();
    private CheckedAt lastSelfCheck;

    /**
     * Runs the self-check on every endpoint now; returns the findings (empty when all is well). A finding not
     * reported by the previous run is published as a {@link SecurityEvent} of kind {@code self-check} (a set-up
     * changed since start-up so that isolation could be bypassed: a grant, a role membership, a table owner).
     */
    public Map<String, List<SelfCheckException.Finding>> selfCheck() {
        Map<String, List<SelfCheckException.Finding>> findings = endpoints.selfCheck();
        java.util.Set<String> now = new java.util.HashSet<>();
        findings.forEach((endpoint, found) -> found.forEach(f -> now.add("endpoint '" + endpoint + "': " + f.problem())));
        synchronized (reportedFindings) {
            for (String finding : now) {
                if (!reportedFindings.contains(finding)) {
                    security.report("self-check", "", finding);
                }
            }
            reportedFindings.clear();
            reportedFindings.addAll(now);
        }
        return findings;
    }

    /** The findings the last self-check run reported, so that each is published once while it lasts. */
    private final java.util.Set<String> reportedFindings = new java.util.HashSet<>();

    /**
     * What the self-check advises but does not refuse, by endpoint: unique constraints and foreign keys of the
     * shared tenant tables that leave {@code tenant_id} out. Row-level security hides rows, not their existence: a
     * duplicate-key error, or a reference that succeeds, tells a tenant that another tenant's key exists. Each
     * finding has the statement that scopes the constraint to the tenant. Empty lists when there is nothing to
     * advise.
     */
    public Map<String, List<SelfCheckException.Finding>> selfCheckAdvice() {
        return endpoints.advice();
    }

    /** Closes every pool. Connections in use are closed when returned. */
    @Override
    public void close() {
        router.close();
        endpoints.close();
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
        private int reservedConnections = -1;
        private boolean tenantAffinity;
        private double moveNiceRatio;
        private Duration connectionTimeout = Duration.ofSeconds(30);
        private Duration statementTimeout = Duration.ZERO;
        private BiFunction<? super Tenant, DeploymentRegion, ? extends KeyManagement> keyManagement;
        private PlatformEvents events = PlatformEvents.create();
        private Clock clock = Clock.systemUTC();
        private final List<ConnectionObserver> observers = new ArrayList<>();

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

        /**
         * How many connections of each endpoint's shared pool a tenant that already holds one must leave free, so
         * that tenants holding none always find one (fair share: busy tenants at their caps cannot make a quiet
         * tenant wait for their connections). Default: a quarter of {@link #maximumPoolSize} (at least 1; none for
         * a pool of 1). 0 turns the reserve off; it must be less than the pool size.
         */
        public Builder reservedConnections(int reserved) {
            if (reserved < 0) {
                throw new GeoValidationException("reservedConnections must be 0 or more; got " + reserved + ".");
            }
            this.reservedConnections = reserved;
            return this;
        }

        /**
         * Whether a connection a host closes is kept, still bound to its tenant, for that tenant's next borrower
         * (for at most half a second), so that a tenant's next borrow needs no switch; default <b>off</b>. A
         * connection is kept only when the host left it as HikariCP would hand it out, never while someone waits
         * for a connection, and a borrower of another tenant takes it back from the tenant rather than wait. Off by
         * default because it was measured slower on a realistic mix (Zipf over 200 tenants, 4 threads, pool 8: BASIC
         * 0.36x of bare with it, 0.45x without; docs/benchmarks.md) and why is not known yet; turn it on for a few
         * busy tenants per pool only after measuring your own workload.
         */
        public Builder tenantAffinity(boolean on) {
            this.tenantAffinity = on;
            return this;
        }

        /**
         * How gently a {@linkplain TenantDataSource#move move} runs its bulk phases, the snapshot copy and the erase of
         * a source in shared tables: after every stretch of such work (5 ms or more) the mover sleeps {@code ratio}
         * times as long (gh-ost's "nice ratio"). Default 0, full speed. With 1 those phases take twice as long and
         * load the servers half as much; with 4, a fifth as much. A catch-up pass is followed by a sleep of up to
         * {@code ratio} times its work, cut short so that the next pass still finds at most half as many changes (the
         * passes converge whatever the tenant's write rate), and none after the last; the freeze always runs at full
         * speed. A slower copy holds its source snapshot longer, which keeps {@code VACUUM} from removing rows deleted
         * meanwhile on the source's database, and leaves its target transaction idle while it sleeps (a server
         * {@code idle_in_transaction_session_timeout} shorter than the sleeps fails the move; call it again).
         * Measured in docs/benchmarks.md (a 1,000,000-row move and the other tenants' write rate).
         *
         * @throws GeoValidationException if {@code ratio} is negative, not finite, or above 100
         */
        public Builder moveNiceRatio(double ratio) {
            if (!(ratio >= 0 && ratio <= 100)) {
                throw new GeoValidationException("moveNiceRatio must be between 0 (full speed) and 100; got " + ratio
                        + ".");
            }
            this.moveNiceRatio = ratio;
            return this;
        }

        /** How long getConnection() waits for a tenant's connection cap and the pool's fair share; default 30 s. */
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
            this.keyManagement = (tenant, region) -> keyManagement;
            return this;
        }

        /**
         * Like {@link #keyManagement(KeyManagement)}, with each tenant's master key in the key management
         * {@code perTenant} chooses for it — the one of its market's region, so key material stays where the
         * market's residency rule allows (see {@code Platform.regionalKeys} in geo-platform). It must choose the
         * same one for a tenant every time: the key is created, used and destroyed there.
         */
        public Builder keyManagement(Function<? super Tenant, ? extends KeyManagement> perTenant) {
            Objects.requireNonNull(perTenant, "perTenant");
            this.keyManagement = (tenant, region) -> perTenant.apply(tenant);
            return this;
        }

        /**
         * Like {@link #keyManagement(Function)}, with each tenant's master key in the key management chosen for the
         * tenant and the region of the endpoint (or dedicated server) that holds its data, so that key material
         * moves with the data. A {@linkplain TenantDataSource#move move} to an endpoint in another region, when the
         * key management chosen there is another one ({@code equals}), creates the tenant's master key there and
         * re-wraps its data key under it (the data key itself does not change, so data encrypted before the move
         * still decrypts); the former master key is destroyed once the source is erased, the new one if the move is
         * cancelled. With the other forms the tenant's master key stays where it is and a move copies the wrapped
         * data key. It must choose the same key management for a tenant and region every time.
         */
        public Builder regionalKeyManagement(
                BiFunction<? super Tenant, DeploymentRegion, ? extends KeyManagement> perTenantAndRegion) {
            this.keyManagement = Objects.requireNonNull(perTenantAndRegion, "perTenantAndRegion");
            return this;
        }

        /** Where security events go; default: a dispatcher with no listeners. */
        public Builder events(PlatformEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /**
         * Adds an observer of every connection handed out and every one refused (see {@link ConnectionObserver}:
         * called on the borrowing thread, it must be fast and must not throw). Observers are called in the order
         * they were added; each one's failure is caught and logged, and the next is still called. Default: none (a
         * borrow then allocates nothing for observing).
         */
        public Builder observer(ConnectionObserver observer) {
            observers.add(Objects.requireNonNull(observer, "observer"));
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
            if (reservedConnections >= maximumPoolSize) {
                throw new GeoValidationException("reservedConnections (" + reservedConnections + ") must be less than"
                        + " maximumPoolSize (" + maximumPoolSize + ").");
            }
            SecurityEvents security = new SecurityEvents(events, clock);
            Endpoints opened = Endpoints.open(endpoints.values(), dedicatedServers.values(), maximumPoolSize,
                    reservedConnections < 0 ? FairShare.defaultReserve(maximumPoolSize) : reservedConnections,
                    tenantAffinity, tokens, protectedTables, security);
            TenantDataSource source = null;
            try {
                source = new TenantDataSource(this, opened, security);
                source.provisioner.loadRecorded();
                return source;
            } catch (RuntimeException e) {
                if (source != null) {
                    source.close();
                } else {
                    opened.close();
                }
                throw e;
            }
        }
    }
}
