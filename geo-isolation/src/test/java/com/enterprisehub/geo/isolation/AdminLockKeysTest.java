package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A tenant's session cannot take the advisory locks administrators take for another tenant (advisory locks are open
 * to every role): with keys computable from the tenant id, a hostile tenant could refuse every move of its victim,
 * or stall every move's change capture and every migration of a schema.
 */
class AdminLockKeysTest {
    @Test
    void aTenantHoldingTheLocksItCanComputeStallsNeitherAnotherTenantsMoveNorItsMigrations() throws Exception {
        String db = PostgresFixture.newDatabase("adminlocks");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (tenant_id text NOT NULL, id bigint NOT NULL, title text NOT NULL,"
                    + " price numeric(12,2), PRIMARY KEY (tenant_id, id))");
        }
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Tenant mallory = TenantWork.active(tenants, "mallory", "us-ca", IsolationLevel.BASIC);
        Tenant victim = TenantWork.active(tenants, "victim", "us-ca", IsolationLevel.BASIC);
        try (TenantDataSource ds = IsolationFixture.builder(tenants,
                IsolationFixture.endpoint("main", DeploymentRegion.US_WEST, db)).protectTable("listings")
                .migrations(SchemaMigrations.of(List.of(new Migration(1, "listings",
                        "CREATE TABLE listings (id bigint PRIMARY KEY, title text NOT NULL, price numeric(12,2))"))))
                .build()) {
            ds.provision(mallory.id());
            ds.provision(victim.id());
            Churner writer = new Churner(ds, victim, 21);
            writer.seed(20);
            as(mallory, () -> {
                try (Connection c = ds.getConnection()) {
                    // the keys the first versions used: the move lock and change capture's lock
                    first(c, "SELECT pg_advisory_lock(hashtext('geo-move:victim'))");
                    first(c, "SELECT pg_advisory_lock(hashtext('geo-move-capture'))");
                    MoveResult result = CompletableFuture.supplyAsync(
                            () -> ds.move(victim.id(), IsolationLevel.ENHANCED, "main")).get(60, TimeUnit.SECONDS);
                    assertThat(result.to().level()).isEqualTo(IsolationLevel.ENHANCED);
                    assertThat(ds.moveJournal().lastVerification()).isEqualTo("changes");
                    // and the migration lock of the victim's schema (its name is in pg_namespace for all to see)
                    String schema = result.to().location();
                    first(c, "SELECT pg_advisory_lock(hashtext('geo_schema_history'), hashtext('" + schema + "'))");
                    List<com.enterprisehub.geo.isolation.migration.MigrationResult> migrated = CompletableFuture
                            .supplyAsync(() -> ds.migrateTenants(1)).get(60, TimeUnit.SECONDS);
                    assertThat(migrated).extracting(r -> r.failure().orElse("")).containsOnly("");
                }
                return null;
            });
            writer.assertExactlyItsRows();
        }
    }
}
