package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.internal.ControlPlane;
import com.enterprisehub.geo.isolation.internal.DatabaseTenants;
import com.enterprisehub.geo.isolation.internal.EndpointPool;
import com.enterprisehub.geo.isolation.internal.SchemaTenants;
import com.enterprisehub.geo.isolation.migration.MigrationResult;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link TenantDataSource}'s {@link TenantDataSource.Builder#migrations migrations} to a tenant's
 * schema (ENHANCED) or database (MAXIMUM, REGULATORY) and secures what they created: one tenant as it is
 * provisioned, or every placed tenant at once. Thread-safe (tenants are migrated under the migrations' own
 * advisory locks). Not part of the API.
 */
final class TenantMigrator {
    private final SchemaMigrations migrations;
    private final TenantRouter router;

    TenantMigrator(SchemaMigrations migrations, TenantRouter router) {
        this.migrations = migrations;
        this.router = router;
    }

    /** Migrates an ENHANCED tenant's schema and secures every table in it. */
    void finishSchema(TenantId id, String location, Connection admin) throws SQLException {
        migrate(id, admin, location);
        SchemaTenants.secure(admin, id.value(), location);
    }

    /** Migrates a MAXIMUM or REGULATORY tenant's database and grants its role what was created. */
    void finishDatabase(TenantId id, String location, Connection tenantAdmin) throws SQLException {
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

    /** See {@link TenantDataSource#migrateTenants(int)}. */
    List<MigrationResult> migrateTenants(int parallelism) {
        List<SchemaMigrations.Target> targets = new ArrayList<>();
        for (Route route : router.routes()) {
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
            Route route = router.find(id);
            if (route == null) {
                return; // erased meanwhile
            }
            String location = route.placement().location();
            if (route.placement().level() == IsolationLevel.ENHANCED) {
                SchemaTenants.secure(connection, name, location);
                String shape = shape(connection, location); // a round trip: not under the route table's bin lock
                router.reshape(id, shape);
            } else {
                DatabaseTenants.secure(connection, location);
                router.tenantPools().refresh(id);
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
}
