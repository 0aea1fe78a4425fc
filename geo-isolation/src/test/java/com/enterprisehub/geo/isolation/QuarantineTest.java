package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.internal.SchemaTenants;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A process killed inside an ENHANCED tenant's provisioning (its migration committed, its tables not yet under the
 * binding, its placement still PROVISIONING) leaves one half-made tenant. That tenant is quarantined (never routable,
 * reported in the log) and every other tenant of the endpoint goes on: a new data source starts, and provisioning
 * the half-made tenant again finishes it.
 */
class QuarantineTest {
    private static final SchemaMigrations LISTINGS = SchemaMigrations.of(List.of(new Migration(1, "listings",
            "CREATE TABLE listings (id bigserial PRIMARY KEY, title text NOT NULL)")));

    @Test
    void aHalfProvisionedTenantIsQuarantinedAndDoesNotStopTheEndpoint() throws Exception {
        String db = PostgresFixture.newDatabase("quarantine");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)");
        }
        DatabaseEndpoint endpoint = IsolationFixture.endpoint("q", DeploymentRegion.US_WEST, db);
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Tenant steady = TenantWork.active(tenants, "steady", "us-ca", IsolationLevel.ENHANCED);
        Tenant halfMade = TenantWork.active(tenants, "half-made", "us-ca", IsolationLevel.ENHANCED);
        try (TenantDataSource first = IsolationFixture.builder(tenants, endpoint).protectTable("listings")
                .migrations(LISTINGS).build()) {
            first.provision(steady.id());
            first.provision(halfMade.id());
        }
        // What the process left when it died after the migration and before securing the tables:
        try (Connection admin = PostgresFixture.admin(db)) {
            String schema = first(admin, "SELECT location FROM geo_control.tenant_placement WHERE tenant = 'half-made'");
            exec(admin, "DROP POLICY " + SchemaTenants.SCHEMA_POLICY + " ON " + schema + ".listings;"
                    + " ALTER TABLE " + schema + ".listings NO FORCE ROW LEVEL SECURITY;"
                    + " ALTER TABLE " + schema + ".listings DISABLE ROW LEVEL SECURITY;"
                    + " UPDATE geo_control.tenant_placement SET state = 'PROVISIONING' WHERE tenant = 'half-made'");
        }
        try (TenantDataSource next = IsolationFixture.builder(tenants, endpoint).protectTable("listings")
                .migrations(LISTINGS).build()) {
            assertThat(next.selfCheck().get("q")).isEmpty();
            assertThat(insertAndCount(next, steady)).isEqualTo("1");
            assertThatThrownBy(() -> insertAndCount(next, halfMade)).isInstanceOf(SQLException.class)
                    .hasRootCauseInstanceOf(TenantNotPlacedException.class);

            String halfMadeRole;
            try (Connection admin = PostgresFixture.admin(db)) {
                halfMadeRole = first(admin, "SELECT location FROM geo_control.tenant_placement WHERE tenant = 'half-made'");
            }
            as(steady, () -> {                   // not routable must mean unreachable too: no SET ROLE into it
                try (Connection c = next.getConnection()) {
                    assertThatThrownBy(() -> exec(c, "SET ROLE " + halfMadeRole)).isInstanceOf(SQLException.class)
                            .hasMessageContaining("permission denied");
                }
                return null;
            });

            next.provision(halfMade.id());      // the resume finishes it
            assertThat(insertAndCount(next, halfMade)).isEqualTo("1");
            try (Connection admin = PostgresFixture.admin(db)) {
                assertThat(first(admin, "SELECT c.relforcerowsecurity FROM pg_class c JOIN geo_control.tenant_placement p"
                        + " ON c.relnamespace = p.location::regnamespace WHERE p.tenant = 'half-made'"
                        + " AND c.relname = 'listings'")).isEqualTo("t");
            }
        }
    }

    private static String insertAndCount(TenantDataSource ds, Tenant tenant) throws SQLException {
        return as(tenant, () -> {
            try (Connection c = ds.getConnection()) {
                exec(c, "INSERT INTO listings (title) VALUES ('" + tenant.id() + "')");
                return first(c, "SELECT count(*) FROM listings");
            }
        });
    }
}
