package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.internal.BindingTokens;
import com.enterprisehub.geo.isolation.internal.BorrowTrace;
import com.enterprisehub.geo.isolation.internal.EndpointPool;
import com.enterprisehub.geo.isolation.internal.TenantPermit;
import com.enterprisehub.geo.isolation.internal.TenantPools;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLTransientConnectionException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The data path of a {@link TenantDataSource}: routes the current thread's tenant to a connection, from its
 * endpoint's shared pool (under the tenant's connection cap) or from its own pool. Owns the route table the
 * administrative jobs write ({@link #place}, {@link #reshape}, {@link #forget}) and the tenants' own pools.
 * Thread-safe: a borrow reads the route table and the connection caps without locking, and routing adds no
 * allocation of its own to it. Not part of the API.
 */
final class TenantRouter implements AutoCloseable {
    private final TenantCatalog tenants;
    private final MarketCatalog markets;
    private final ResidencyGuard residency;
    private final BindingTokens tokens;
    private final ConcurrentHashMap<TenantId, Route> routes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TenantId, TenantPermit> permits = new ConcurrentHashMap<>();
    private final TenantPools tenantPools;
    private final int maxConnectionsPerTenant;
    private final long connectionTimeoutMillis;
    private final long defaultStatementTimeoutMillis;
    /** The host's connection observers; null when there are none. */
    private final ObservedConnections observers;
    /** Refusals by {@link RefusalCause#ordinal()}. */
    private final LongAdder[] refusals = new LongAdder[RefusalCause.values().length];

    TenantRouter(TenantCatalog tenants, MarketCatalog markets, ResidencyGuard residency, BindingTokens tokens,
            int maxConnectionsPerTenant, long connectionTimeoutMillis, long defaultStatementTimeoutMillis,
            TenantPools tenantPools, ObservedConnections observers) {
        this.tenants = tenants;
        this.markets = markets;
        this.residency = residency;
        this.tokens = tokens;
        this.maxConnectionsPerTenant = maxConnectionsPerTenant;
        this.connectionTimeoutMillis = connectionTimeoutMillis;
        this.defaultStatementTimeoutMillis = defaultStatementTimeoutMillis;
        this.tenantPools = tenantPools;
        this.observers = observers;
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    /**
     * See {@link TenantDataSource#getConnection()}. Every refusal goes through {@link #refuse} (counted and
     * observed once); with no observer, observing costs one field read.
     */
    Connection getConnection() throws SQLException {
        ObservedConnections observed = observers;
        long start = observed == null ? 0 : System.nanoTime();
        BorrowTrace trace = observed == null ? null : new BorrowTrace();
        Tenant bound = TenantContext.current().orElse(null);
        if (bound == null) {
            throw refused(new NoTenantBoundException("TenantDataSource.getConnection()"), null);
        }
        Route route;
        Tenant current;
        try {
            current = tenants.find(bound.id()).orElse(null);
            if (current == null) {
                throw new UnknownTenantException(bound.id());
            }
            current.requireActive();
            if (frozenCount != 0) {
                awaitThaw(current.id());
            }
            route = route(current);
        } catch (GeoException e) {
            throw refused(e, bound.id());
        }
        Connection connection;
        try {
            connection = borrow(current, route, trace);
        } catch (SQLException e) {
            Route fresh;
            try {
                fresh = stale(current, route, e);
            } catch (GeoException e2) {
                e2.addSuppressed(e);
                throw refused(e2, current.id());
            }
            if (fresh == null) {
                throw busy(e, current.id());
            }
            route = fresh;
            if (trace != null) {
                trace.retry();
            }
            try {
                connection = borrow(current, fresh, trace);
            } catch (SQLException again) {
                throw busy(again, current.id());
            }
        }
        if (observed != null) {
            try {
                observed.borrowed(current, route.endpoint().name(), System.nanoTime() - start, trace.wasSwitched(),
                        trace.waitNanos());
            } catch (Error e) {
                // only a JVM error gets here (observers' own failures are caught): do not leak the connection
                try {
                    connection.close();
                } catch (SQLException | RuntimeException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
        }
        return connection;
    }

    /**
     * {@code e}, thrown by a borrow that got no connection; counted (and observed) as {@link RefusalCause#POOL_BUSY}
     * when it is a timeout of a cap, the fair share or a pool, not when it is the database's failure or an interrupt.
     */
    private SQLException busy(SQLException e, TenantId id) {
        if (e instanceof SQLTransientConnectionException && !(e.getCause() instanceof InterruptedException)) {
            refuse(RefusalCause.POOL_BUSY, id);
        }
        return e;
    }

    /**
     * After a borrow failed: the tenant's route, read again from the control planes, if it differs from the one that
     * failed (another instance moved the tenant); null if the failure is not about where the tenant is. A shared
     * pool's binding refuses a tenant being moved or moved away (SQLSTATE 55000); a tenant's own database refuses
     * connections once it was moved away. While the recorded placement is MOVING this waits, up to the connection
     * timeout, for the move to switch it.
     */
    private Route stale(Tenant tenant, Route failed, SQLException e) throws SQLException {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (e instanceof SQLTransientConnectionException && failed instanceof Route.Shared) {
            // a timeout of the tenant's cap or the pool's fair share (or HikariCP's): a refusal, not a lost session;
            // taking another would wait as long again and count the refusal twice
            return null;
        }
        if (failed instanceof Route.Shared && (state.startsWith("08") || state.startsWith("57P0"))) {
            // a pooled session ended under us (a move ends the sessions bound to the tenant it freezes, of
            // whichever instance): the pool evicted it; another one is taken, once
            return failed;
        }
        java.util.function.Function<TenantId, Route> reload = reloader;
        if (reload == null || (failed instanceof Route.Shared && !"55000".equals(state))) {
            return null;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectionTimeoutMillis);
        while (true) {
            Route fresh;
            try {
                fresh = reload.apply(tenant.id());
            } catch (RuntimeException reloadFailed) {
                e.addSuppressed(reloadFailed);
                return null;
            }
            if (fresh != null && fresh.placement().ready()) {
                if (fresh.placement().equals(failed.placement())) {
                    // the same place, routable again: a move's freeze refused the borrow (55000) and has ended since
                    // (its lease ran out between the refusal and this read, or the move gave up): once more there
                    if ("55000".equals(state) && failed instanceof Route.OwnPool) {
                        // a database of its own may still be sealed by a mover that stopped before its switch
                        releaseAbandonedSeal(tenant.id(), e);
                    }
                    return "55000".equals(state) ? failed : null;
                }
                place(fresh);
                return route(tenant);
            }
            if (fresh == null || System.nanoTime() > deadline) {
                return null;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private Connection borrow(Tenant current, Route route, BorrowTrace trace) throws SQLException {
        if (route instanceof Route.OwnPool own) {
            long asked = trace == null ? 0 : System.nanoTime();
            Connection c = tenantPools.borrow(current.id(), own.target(), statementTimeoutMillis(current));
            if (trace != null) {
                trace.waited(System.nanoTime() - asked);
            }
            return c;
        }
        Route.Shared shared = (Route.Shared) route;
        EndpointPool endpoint = shared.endpoint();
        TenantPermit cap = permits.get(current.id()); // a plain read on the hot path; create only on first use
        if (cap == null) {
            cap = permits.computeIfAbsent(current.id(), id -> new TenantPermit(maxConnectionsPerTenant));
        }
        long start = 0;
        if (!cap.tryAcquire()) {
            start = System.nanoTime();
            try {
                if (!cap.tryAcquire(connectionTimeoutMillis, TimeUnit.MILLISECONDS)) {
                    throw new SQLTransientConnectionException("Tenant '" + current.id() + "' already holds its limit"
                            + " of " + maxConnectionsPerTenant + " concurrent connections and none was returned within "
                            + connectionTimeoutMillis + " ms. Close connections promptly, or raise"
                            + " maxConnectionsPerTenant.", "08001");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLTransientConnectionException("Interrupted while waiting for a connection for tenant '"
                        + current.id() + "'.", "08001", e);
            }
        }
        try {
            long remaining = connectionTimeoutMillis;
            if (start != 0) {
                long waited = System.nanoTime() - start;
                endpoint.counters().waited(waited);
                if (trace != null) {
                    trace.waited(waited);
                }
                remaining = Math.max(1, remaining - TimeUnit.NANOSECONDS.toMillis(waited));
            }
            return endpoint.borrow(current.id(), statementTimeoutMillis(current), tokens, cap, shared.shape(),
                    remaining, trace);
        } catch (SQLException | RuntimeException e) {
            cap.release();
            throw e;
        }
    }

    /**
     * Waits while a move in this instance has the tenant's writes frozen, up to the connection timeout.
     *
     * @throws SQLTransientConnectionException if the move did not switch the tenant within the timeout
     */
    private void awaitThaw(TenantId id) throws SQLException {
        CountDownLatch latch = frozen.get(id);
        if (latch == null) {
            return;
        }
        try {
            if (!latch.await(connectionTimeoutMillis, TimeUnit.MILLISECONDS)) {
                refuse(RefusalCause.POOL_BUSY, id);
                throw new SQLTransientConnectionException("Tenant '" + id + "' is being moved and its data is frozen"
                        + " for the switch; it did not finish within " + connectionTimeoutMillis + " ms. Retry; if it"
                        + " persists, resume the move with TenantDataSource.move.", "08001");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while tenant '" + id + "' is being moved.", "08001",
                    e);
        }
    }

    // ---------- moves ----------

    /** Tenants whose borrows wait for a move of this instance to switch them; a latch each, opened by {@link #thaw}. */
    private final ConcurrentHashMap<TenantId, CountDownLatch> frozen = new ConcurrentHashMap<>();
    /** How many tenants are frozen: a borrow looks at {@link #frozen} only when this is not 0. */
    private volatile int frozenCount;
    /** Reads a tenant's placement again from the control planes (null: it is placed nowhere). */
    private volatile java.util.function.Function<TenantId, Route> reloader;

    /** Sets how a tenant's route is read again when a borrow finds it stale. */
    void reloader(java.util.function.Function<TenantId, Route> reload) {
        this.reloader = reload;
    }

    /** Releases the seal a stopped mover left on a tenant's own database (true: it did); see {@link #stale}. */
    private volatile java.util.function.Predicate<TenantId> sealReleaser;

    /** Sets how a seal left by a mover that stopped before its switch is released. */
    void sealReleaser(java.util.function.Predicate<TenantId> releaser) {
        this.sealReleaser = releaser;
    }

    /** When ({@link System#nanoTime()}) a seal's release was last tried per tenant: at most one try per back-off. */
    private final ConcurrentHashMap<TenantId, Long> sealReleaseTried = new ConcurrentHashMap<>();
    /** How long a tenant's next try to release a seal waits after one that released nothing. */
    private static final long SEAL_RELEASE_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TenantDataSource.class);

    private void releaseAbandonedSeal(TenantId id, SQLException refusal) {
        java.util.function.Predicate<TenantId> releaser = sealReleaser;
        if (releaser == null) {
            return;
        }
        long now = System.nanoTime();
        Long last = sealReleaseTried.get(id);
        // every refused borrow of every thread would try (each try opens administrator connections and takes the
        // move lock for a moment): one try per tenant and back-off, taken by whichever thread swaps the time first
        if (last != null && now - last < SEAL_RELEASE_BACKOFF_NANOS) {
            return;
        }
        boolean mine = last == null ? sealReleaseTried.putIfAbsent(id, now) == null
                : sealReleaseTried.replace(id, last, now);
        if (!mine) {
            return;
        }
        try {
            if (releaser.test(id)) {
                sealReleaseTried.remove(id);
            }
        } catch (RuntimeException failed) {
            refusal.addSuppressed(failed);
            LOG.warn("Releasing the seal a stopped move left on tenant {}'s database failed: {}", id,
                    failed.getMessage());
        }
    }

    /** Makes the tenant's new borrows wait (see {@link #awaitThaw}) until {@link #thaw}. */
    synchronized void freeze(TenantId id) {
        if (frozen.putIfAbsent(id, new CountDownLatch(1)) == null) {
            frozenCount++;
        }
    }

    /** Lets the tenant's borrows go on, to whatever route it has now. */
    synchronized void thaw(TenantId id) {
        CountDownLatch latch = frozen.remove(id);
        if (latch != null) {
            frozenCount--;
            latch.countDown();
        }
    }

    /** How many connections of the shared pools the tenant holds now in this instance (its connection cap's count). */
    int sharedInUse(TenantId id) {
        TenantPermit cap = permits.get(id);
        return cap == null ? 0 : cap.held();
    }

    /** The refusals so far, by cause. */
    Map<RefusalCause, Long> refusals() {
        Map<RefusalCause, Long> counted = new EnumMap<>(RefusalCause.class);
        for (RefusalCause cause : RefusalCause.values()) {
            counted.put(cause, refusals[cause.ordinal()].sum());
        }
        return counted;
    }

    /**
     * The tenant's statement timeout in milliseconds (0: none): its configuration key
     * {@value TenantDataSource#STATEMENT_TIMEOUT_KEY} if set, else the data source's default.
     */
    private long statementTimeoutMillis(Tenant tenant) {
        Object configured = tenant.configuration().get(TenantDataSource.STATEMENT_TIMEOUT_KEY);
        if (configured instanceof Number n && n.longValue() >= 0) {
            return n.longValue();
        }
        return defaultStatementTimeoutMillis;
    }

    /** The tenant's route if it is ready and its endpoint is still in a region its market allows. */
    private Route route(Tenant tenant) {
        TenantId id = tenant.id();
        Route route = routes.get(id);
        if (route == null || !route.placement().ready()) {
            throw new TenantNotPlacedException(id, tenant.state());
        }
        EndpointPool pool = route.endpoint();
        Market market = markets.require(tenant.market());
        if (!market.dataResidency().permits(pool.region())) {
            throw residency.violation(id, "tenant is placed on endpoint '" + pool.name() + "' in "
                    + pool.region() + ", outside the regions market '" + market.id() + "' now allows ("
                    + market.dataResidency().allowedRegions() + ")");
        }
        return route;
    }

    /** The refusal {@code cause} for the tenant {@code id} (null: none bound), counted and observed. */
    private SQLException refused(GeoException cause, TenantId id) {
        RefusalCause counted;
        if (cause instanceof NoTenantBoundException) {
            counted = RefusalCause.NO_TENANT;
        } else if (cause instanceof UnknownTenantException) {
            counted = RefusalCause.UNKNOWN_TENANT;
        } else if (cause instanceof TenantNotPlacedException) {
            counted = RefusalCause.NOT_PLACED;
        } else if (cause instanceof ResidencyViolationException) {
            counted = RefusalCause.RESIDENCY;
        } else {
            counted = RefusalCause.TENANT_UNAVAILABLE;
        }
        refuse(counted, id);
        return new SQLInvalidAuthorizationSpecException(cause.getMessage(), "28000", cause);
    }

    /** Counts a refusal and tells the observers: the one place both happen, so they always agree. */
    private void refuse(RefusalCause cause, TenantId id) {
        refusals[cause.ordinal()].increment();
        ObservedConnections observed = observers;
        if (observed != null) {
            observed.refused(cause, id);
        }
    }

    // ---------- the route table, for the administrative jobs ----------

    /** The tenant's route, ready or not; null if it is not placed. */
    Route find(TenantId id) {
        return routes.get(Objects.requireNonNull(id, "id"));
    }

    /**
     * The tenant's route, ready or not.
     *
     * @throws IsolationException if it is not placed: there is nothing to {@code what}
     */
    Route placed(TenantId id, String what) {
        Route route = find(id);
        if (route == null) {
            throw new IsolationException("Tenant '" + id + "' is not placed on any endpoint; there is nothing to "
                    + what + ".");
        }
        return route;
    }

    /** Every placed tenant's route (a live view). */
    Collection<Route> routes() {
        return routes.values();
    }

    /**
     * Makes {@code route} the tenant's route (replacing any). A pool of the tenant's own that reaches another database
     * than the new route (it was moved) is closed, so that no borrow reuses it.
     */
    void place(Route route) {
        TenantId id = route.placement().tenant();
        Route previous = routes.put(id, route);
        if (previous instanceof Route.OwnPool old && !(route instanceof Route.OwnPool now
                && now.target().jdbcUrl().equals(old.target().jdbcUrl())
                && now.target().database().equals(old.target().database()))) {
            tenantPools.close(id);
        }
    }

    /**
     * As {@link #place}, only if the tenant's route is still {@code expected} (null: it has none): for placements read
     * from a control plane while a move or a provisioning of this instance may change the route meanwhile, whose newer
     * route must win.
     *
     * @return whether {@code route} was placed
     */
    boolean placeIfUnchanged(Route expected, Route route) {
        TenantId id = route.placement().tenant();
        boolean placed = expected == null ? routes.putIfAbsent(id, route) == null : routes.replace(id, expected, route);
        if (placed && expected instanceof Route.OwnPool old && !(route instanceof Route.OwnPool now
                && now.target().jdbcUrl().equals(old.target().jdbcUrl())
                && now.target().database().equals(old.target().database()))) {
            tenantPools.close(id);
        }
        return placed;
    }

    /** Records that an ENHANCED tenant's tables now have {@code shape} (no-op if it is gone meanwhile). */
    void reshape(TenantId id, String shape) {
        routes.computeIfPresent(id, (k, r) -> r instanceof Route.Shared s ? s.reshaped(shape) : r);
    }

    /** Forgets an erased tenant: no route, no connection cap. */
    void forget(TenantId id) {
        routes.remove(id);
        permits.remove(id);
    }

    /** The pools of MAXIMUM and REGULATORY tenants. */
    TenantPools tenantPools() {
        return tenantPools;
    }

    /** Closes the tenants' own pools (the endpoints' pools belong to {@link Endpoints}). */
    @Override
    public void close() {
        tenantPools.close();
    }
}
