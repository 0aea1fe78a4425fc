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
    /** Refusals by {@link RefusalCause#ordinal()}. */
    private final LongAdder[] refusals = new LongAdder[RefusalCause.values().length];

    TenantRouter(TenantCatalog tenants, MarketCatalog markets, ResidencyGuard residency, BindingTokens tokens,
            int maxConnectionsPerTenant, long connectionTimeoutMillis, long defaultStatementTimeoutMillis,
            TenantPools tenantPools) {
        this.tenants = tenants;
        this.markets = markets;
        this.residency = residency;
        this.tokens = tokens;
        this.maxConnectionsPerTenant = maxConnectionsPerTenant;
        this.connectionTimeoutMillis = connectionTimeoutMillis;
        this.defaultStatementTimeoutMillis = defaultStatementTimeoutMillis;
        this.tenantPools = tenantPools;
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    /** See {@link TenantDataSource#getConnection()}. */
    Connection getConnection() throws SQLException {
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
        if (route instanceof Route.OwnPool own) {
            return tenantPools.borrow(current.id(), own.target(), statementTimeoutMillis(current));
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
                    refusals[RefusalCause.POOL_BUSY.ordinal()].increment();
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
                remaining = Math.max(1, remaining - TimeUnit.NANOSECONDS.toMillis(waited));
            }
            return endpoint.borrow(current.id(), statementTimeoutMillis(current), tokens, cap, shared.shape(),
                    remaining);
        } catch (SQLTransientConnectionException e) {
            refusals[RefusalCause.POOL_BUSY.ordinal()].increment();
            cap.release();
            throw e;
        } catch (SQLException | RuntimeException e) {
            cap.release();
            throw e;
        }
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

    private SQLException refused(GeoException cause) {
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
        refusals[counted.ordinal()].increment();
        return new SQLInvalidAuthorizationSpecException(cause.getMessage(), "28000", cause);
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

    /** Makes {@code route} the tenant's route (replacing any). */
    void place(Route route) {
        routes.put(route.placement().tenant(), route);
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
