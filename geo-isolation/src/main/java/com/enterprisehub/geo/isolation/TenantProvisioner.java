package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.internal.BindingTokens;
import com.enterprisehub.geo.isolation.internal.ControlPlane;
import com.enterprisehub.geo.isolation.internal.DatabaseTenants;
import com.enterprisehub.geo.isolation.internal.EndpointPool;
import com.enterprisehub.geo.isolation.internal.SchemaTenants;
import com.enterprisehub.geo.isolation.internal.TenantPools;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places tenants: chooses an endpoint its market's residency rule allows, creates what the tenant's level
 * needs there (and its keys), records the placement PROVISIONING first and READY last, and makes it routable;
 * at start-up, makes the placements recorded on each endpoint routable again. Thread-safe: it keeps no state of
 * its own; what it changes lives in the database (recorded idempotently) and the route table. Not part of the API.
 */
final class TenantProvisioner {
    /** The category hosts already configure: these messages came from TenantDataSource before it was split. */
    private static final Logger LOG = LoggerFactory.getLogger(TenantDataSource.class);

    private final TenantCatalog tenants;
    private final MarketCatalog markets;
    private final BindingTokens tokens;
    private final Endpoints endpoints;
    private final TenantRouter router;
    private final ResidencyGuard residency;
    private final TenantMigrator migrator;
    private final TenantCiphers ciphers;

    TenantProvisioner(TenantCatalog tenants, MarketCatalog markets, BindingTokens tokens, Endpoints endpoints,
            TenantRouter router, ResidencyGuard residency, TenantMigrator migrator, TenantCiphers ciphers) {
        this.tenants = tenants;
        this.markets = markets;
        this.tokens = tokens;
        this.endpoints = endpoints;
        this.router = router;
        this.residency = residency;
        this.migrator = migrator;
        this.ciphers = ciphers;
    }

    /** See {@link TenantDataSource#provision(TenantId)}. */
    TenantPlacement provision(TenantId id) {
        Tenant tenant = tenants.require(id);
        Market market = markets.require(tenant.market());
        if (tenant.isolationLevel() == IsolationLevel.REGULATORY) {
            EndpointPool dedicated = endpoints.dedicatedTo(id)
                    .orElseThrow(() -> new IsolationException("Tenant '" + id + "' is REGULATORY: register a"
                            + " DedicatedServer for it in " + market.region() + " (market '" + market.id()
                            + "') with TenantDataSource.Builder.dedicatedServer(...)."));
            return provision(id, dedicated.name());
        }
        List<EndpointPool> allowed = endpoints.shared(market.dataResidency()::permits);
        if (allowed.isEmpty()) {
            throw residency.violation(id, "no endpoint is in a region market '" + market.id() + "' allows ("
                    + market.dataResidency().allowedRegions() + "); registered: " + endpoints.describe());
        }
        // Registration order decides among several: the first of the market's own region, else the first allowed.
        EndpointPool chosen = allowed.stream().filter(p -> p.region() == market.region()).findFirst()
                .orElse(allowed.get(0));
        return provision(id, chosen.name());
    }

    /** See {@link TenantDataSource#provision(TenantId, String)}. */
    TenantPlacement provision(TenantId id, String endpointName) {
        Tenant tenant = tenants.require(id);
        EndpointPool pool = endpoints.require(endpointName);
        IsolationLevel level = tenant.isolationLevel();
        checkPlacement(tenant, level, pool);
        Route existing = router.find(id);
        if (existing != null && !existing.placement().endpoint().equals(endpointName)) {
            throw new IsolationException("Tenant '" + id + "' is already placed on endpoint '"
                    + existing.placement().endpoint() + "'; move it with TenantDataSource.move instead.");
        }
        if (existing != null && existing.placement().level() != level) {
            throw new IsolationException("Tenant '" + id + "' is placed at " + existing.placement().level()
                    + " but now asks for " + level + "; change its level with TenantDataSource.move.");
        }
        return provisionChecked(id, tenant, level, pool, endpointName);
    }

    /**
     * Refuses to place {@code tenant} at {@code level} on {@code pool} where provisioning would refuse it: outside
     * its market's residency regions, on a server dedicated to another tenant, a REGULATORY tenant anywhere but on
     * its dedicated server in its market's own region. Provisioning and moves both check through here.
     *
     * @throws ResidencyViolationException if the endpoint is outside the regions the tenant's market allows
     * @throws IsolationException if the endpoint does not suit the level
     */
    void checkPlacement(Tenant tenant, IsolationLevel level, EndpointPool pool) {
        TenantId id = tenant.id();
        String endpointName = pool.name();
        Market market = markets.require(tenant.market());
        if (!market.dataResidency().permits(pool.region())) {
            throw residency.violation(id, "endpoint '" + endpointName + "' is in " + pool.region()
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
    }

    private TenantPlacement provisionChecked(TenantId id, Tenant tenant, IsolationLevel level, EndpointPool pool,
            String endpointName) {
        Route route;
        try (Connection admin = pool.adminConnection()) {
            // The name recorded for the tenant wins (another instance, or a version that named it after the id,
            // may have recorded it); a new one only for a tenant never recorded here.
            String location = "";
            if (level != IsolationLevel.BASIC) {
                String recorded = ControlPlane.recordedLocation(admin, id.value()).orElse("");
                location = recorded.isEmpty() ? ControlPlane.location(admin, id.value(), tokens) : recorded;
            }
            ControlPlane.recordPlacement(admin, id.value(), level.name(), endpointName, "PROVISIONING", location);
            ciphers.createKeys(admin, tenants.require(id), pool.region());
            TenantPlacement placement = new TenantPlacement(id, level, pool.name(), pool.region(), location, true);
            route = switch (level) {
                case BASIC -> new Route.Shared(placement, pool, EndpointPool.SHARED_TABLES_SHAPE);
                case ENHANCED -> {
                    SchemaTenants.create(admin, pool.appRole().orElseThrow(), location);
                    migrator.finishSchema(id, location, admin);
                    yield new Route.Shared(placement, pool, ControlPlane.schemaShape(admin, location));
                }
                case MAXIMUM, REGULATORY -> {
                    DatabaseTenants.create(admin, location, tokens.loginPassword(location));
                    try (Connection tenantAdmin = pool.adminConnection(location)) {
                        DatabaseTenants.prepare(tenantAdmin, location);
                        migrator.finishDatabase(id, location, tenantAdmin);
                    }
                    yield new Route.OwnPool(placement, pool, target(pool, location));
                }
            };
            ControlPlane.recordPlacement(admin, id.value(), level.name(), endpointName, "READY", location);
        } catch (SQLException e) {
            throw new IsolationException("Provisioning tenant '" + id + "' on endpoint '" + endpointName
                    + "' failed: " + e.getMessage() + ". It is not routable; run provision again to finish.", e);
        }
        router.place(route);
        LOG.info("Tenant {} placed on endpoint {} at {}", id, endpointName, level);
        return route.placement();
    }

    /**
     * The route of a placement on {@code pool}; {@code admin} (a connection to the endpoint's database) reads an
     * ENHANCED tenant's table shape.
     */
    Route routeOf(TenantPlacement placement, EndpointPool pool, Connection admin) throws SQLException {
        return switch (placement.level()) {
            case BASIC -> new Route.Shared(placement, pool, EndpointPool.SHARED_TABLES_SHAPE);
            case ENHANCED -> new Route.Shared(placement, pool, ControlPlane.schemaShape(admin, placement.location()));
            case MAXIMUM, REGULATORY -> new Route.OwnPool(placement, pool, target(pool, placement.location()));
        };
    }

    /**
     * The tenant's placement as the control planes record it now, as a route (not ready while PROVISIONING or
     * MOVING); null if no endpoint records it. For routes found stale after another instance moved the tenant.
     */
    Route reload(TenantId id) {
        Route notReady = null;
        for (EndpointPool pool : endpoints.all()) {
            try (Connection admin = pool.adminConnection()) {
                for (ControlPlane.PlacementRow row : ControlPlane.placements(admin)) {
                    if (!row.tenant().equals(id.value()) || !row.endpoint().equals(pool.name())) {
                        continue;
                    }
                    TenantPlacement placement = new TenantPlacement(id, IsolationLevel.valueOf(row.level()),
                            pool.name(), pool.region(), row.location(), "READY".equals(row.state()));
                    Route route = routeOf(placement, pool, admin);
                    if (placement.ready()) {
                        return route;
                    }
                    notReady = route;
                }
            } catch (SQLException e) {
                throw new IsolationException("Cannot read the placement of tenant '" + id + "' on endpoint '"
                        + pool.name() + "': " + e.getMessage(), e);
            }
        }
        return notReady;
    }

    private TenantPools.Target target(EndpointPool pool, String location) {
        return new TenantPools.Target(pool.jdbcUrl(), location, tokens.loginPassword(location), pool.ownPoolWatchdog());
    }

    /** Makes the placements recorded on every endpoint routable (those that finished provisioning), in registration order. */
    void loadRecorded() {
        for (EndpointPool pool : endpoints.all()) {
            load(pool);
        }
    }

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
            Route known = router.find(id);
            if (!placement.ready() && known != null && known.placement().ready()) {
                continue; // a tombstone a move left on the endpoint it moved the tenant from
            }
            router.place(switch (level) {
                case BASIC -> new Route.Shared(placement, pool, EndpointPool.SHARED_TABLES_SHAPE);
                case ENHANCED -> new Route.Shared(placement, pool, shapes.getOrDefault(row.location(), "schema:missing"));
                case MAXIMUM, REGULATORY -> new Route.OwnPool(placement, pool, target(pool, row.location()));
            });
        }
    }
}
