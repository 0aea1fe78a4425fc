package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.internal.ControlPlane;
import com.enterprisehub.geo.isolation.internal.DatabaseTenants;
import com.enterprisehub.geo.isolation.internal.EndpointPool;
import com.enterprisehub.geo.isolation.internal.SchemaTenants;
import com.enterprisehub.geo.isolation.internal.TenantCopy;
import com.enterprisehub.geo.isolation.internal.TenantData;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import java.io.Writer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offboards tenants of a {@link TenantDataSource}: exports every row of a tenant from one snapshot, and erases
 * it (key first, then data, then its placement, so it is never routed again). Thread-safe: it keeps no state
 * of its own; what it changes lives in the database, the route table and the cipher cache. Not part of the API.
 */
final class TenantOffboarder {
    /** The category hosts already configure: these messages came from TenantDataSource before it was split. */
    private static final Logger LOG = LoggerFactory.getLogger(TenantDataSource.class);

    /** Every schema of a tenant database but the system ones. */
    private static final String USER_SCHEMAS = "^(?!pg_|information_schema$)";

    private final TenantCatalog tenants;
    private final TenantRouter router;
    private final TenantCiphers ciphers;

    TenantOffboarder(TenantCatalog tenants, TenantRouter router, TenantCiphers ciphers) {
        this.tenants = tenants;
        this.router = router;
        this.ciphers = ciphers;
    }

    /** See {@link TenantDataSource#export(TenantId, Writer)}. */
    Map<String, Long> export(TenantId id, Writer out) {
        Objects.requireNonNull(out, "out");
        Route route = router.placed(id, "export");
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

    /** See {@link TenantDataSource#restore(TenantId, Reader)}. */
    Map<String, Long> restore(TenantId id, java.io.Reader export) {
        Objects.requireNonNull(export, "export");
        Route route = router.placed(id, "restore into");
        TenantPlacement placement = route.placement();
        if (!placement.ready()) {
            throw new IsolationException("Tenant '" + id + "' has not finished provisioning; run provision again, then"
                    + " restore.");
        }
        TenantCopy.Side side = switch (placement.level()) {
            case BASIC -> TenantCopy.Side.sharedTables();
            case ENHANCED -> TenantCopy.Side.ownTables("^" + placement.location() + "$");
            case MAXIMUM, REGULATORY -> TenantCopy.Side.ownTables(USER_SCHEMAS);
        };
        boolean ownDatabase = placement.level() == IsolationLevel.MAXIMUM
                || placement.level() == IsolationLevel.REGULATORY;
        try (Connection control = route.endpoint().adminConnection();
                Connection admin = ownDatabase ? route.endpoint().adminConnection(placement.location())
                        : route.endpoint().adminConnection()) {
            // the move lock (the one a move of the tenant from this endpoint takes), held for the whole restore, and
            // no move journaled here: a restore never writes into a tenant being moved
            try (java.sql.PreparedStatement ps = control.prepareStatement("SELECT pg_try_advisory_lock("
                    + com.enterprisehub.geo.isolation.internal.AdminLocks.key(control) + ")")) {
                ps.setString(1, "geo-move:" + id.value());
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw new IsolationException("Tenant '" + id + "' is being moved right now; restore it after"
                                + " the move finished. Nothing was imported.");
                    }
                }
            }
            if (com.enterprisehub.geo.isolation.internal.MoveJournal.find(control, id.value()).isPresent()) {
                throw new IsolationException("Tenant '" + id + "' has an unfinished move journaled; finish it (call"
                        + " move again with the same target), then restore. Nothing was imported.");
            }
            Map<String, Long> imported = TenantCopy.restore(admin, side, id.value(),
                    export instanceof java.io.BufferedReader b ? b : new java.io.BufferedReader(export));
            LOG.info("Tenant {} restored from an export: {}", id, imported);
            return imported;
        } catch (SQLException e) {
            throw new IsolationException("Restoring tenant '" + id + "' failed: " + e.getMessage() + ". Nothing was"
                    + " imported.", e);
        } catch (java.io.IOException e) {
            throw new IsolationException("Reading the export for tenant '" + id + "' failed: " + e.getMessage()
                    + ". Nothing was imported.", e);
        }
    }

    /** See {@link TenantDataSource#erase(TenantId)}. */
    Map<String, Long> erase(TenantId id) {
        Tenant tenant = tenants.require(id);
        if (tenant.state() != TenantState.OFFBOARDING) {
            throw new IsolationException("Tenant '" + id + "' is " + tenant.state() + "; only a tenant in "
                    + TenantState.OFFBOARDING + " can be erased. Export it, move it to OFFBOARDING, then erase.");
        }
        Route route = router.placed(id, "erase");
        TenantPlacement placement = route.placement();
        Map<String, Long> counts;
        try (Connection admin = route.endpoint().adminConnection()) {
            // The key first: destroying it cannot be undone, the rest can; if the erase then fails, running
            // it again finishes it (the placement is removed last).
            ciphers.destroyKeys(admin, tenant, placement.region());
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
                    router.tenantPools().close(id);
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
        router.forget(id);
        ciphers.forget(id);
        LOG.info("Tenant {} erased from endpoint {}: {}", id, placement.endpoint(), counts);
        return counts;
    }

    private static Map<String, Long> countDatabase(EndpointPool pool, String location) throws SQLException {
        try (Connection tenantAdmin = pool.adminConnection(location)) {
            return TenantData.count(tenantAdmin, TenantData.tablesOf(tenantAdmin, USER_SCHEMAS));
        }
    }
}
