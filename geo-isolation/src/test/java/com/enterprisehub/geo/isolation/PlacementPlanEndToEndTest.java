package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.DataResidency;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scale-out end to end: tenants fill one endpoint, a second endpoint is registered, the planner proposes moves from
 * the tenants' measured sizes, the moves run online, and every tenant ends where the plan put it with all its rows.
 */
class PlacementPlanEndToEndTest {
    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "listings",
            "CREATE TABLE listings (id bigserial PRIMARY KEY, title text NOT NULL)"));
    private static final DataResidency US = DataResidency.within(Set.of(DeploymentRegion.US_WEST,
            DeploymentRegion.US_EAST), "test: United States only");

    @Test
    void aNewEndpointIsFilledByThePlanAndEveryTenantKeepsItsRows() throws Exception {
        String main = PostgresFixture.newDatabase("plan_main");
        String spare = PostgresFixture.newDatabase("plan_spare");
        for (String db : List.of(main, spare)) {
            try (Connection c = PostgresFixture.admin(db)) {
                exec(c, "CREATE TABLE listings (tenant_id text NOT NULL, id bigserial, title text NOT NULL,"
                        + " PRIMARY KEY (tenant_id, id))");
            }
        }
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Map<Tenant, Integer> rows = new LinkedHashMap<>();
        rows.put(TenantWork.active(tenants, "alder", "us-ca", IsolationLevel.BASIC), 60);
        rows.put(TenantWork.active(tenants, "birch", "us-ca", IsolationLevel.ENHANCED), 30);
        rows.put(TenantWork.active(tenants, "cedar", "us-ca", IsolationLevel.BASIC), 20);
        rows.put(TenantWork.active(tenants, "dogwood", "us-ny", IsolationLevel.MAXIMUM), 10);

        // One endpoint, filled.
        try (TenantDataSource one = builder(tenants, main).build()) {
            for (Map.Entry<Tenant, Integer> e : rows.entrySet()) {
                one.provision(e.getKey().id(), "main");
                insert(one, e.getKey(), e.getValue());
            }
        }
        // A second endpoint registered (every instance restarts with it), then planned and moved.
        try (TenantDataSource two = builder(tenants, main)
                .endpoint(IsolationFixture.endpoint("spare", DeploymentRegion.US_EAST, spare)).build()) {
            PlacementPlanner.Builder planner = PlacementPlanner.builder()
                    .endpoint("main", DeploymentRegion.US_WEST, 200).endpoint("spare", DeploymentRegion.US_EAST, 200);
            for (Tenant t : rows.keySet()) {
                planner.tenant(t.id(), count(two, t), two.placement(t.id()).orElseThrow().endpoint(), US);
            }
            PlacementPlan plan = planner.build().plan();
            assertThat(plan.utilizationBefore()).containsEntry("main", 0.6).containsEntry("spare", 0.0);
            assertThat(plan.moves()).isNotEmpty();
            for (PlacementPlan.Move move : plan.moves()) {
                IsolationLevel level = tenants.require(move.tenant()).isolationLevel();
                MoveResult result = two.move(move.tenant(), level, move.to());
                assertThat(result.to().endpoint()).isEqualTo(move.to());
            }
            Map<String, Long> load = new LinkedHashMap<>(Map.of("main", 0L, "spare", 0L));
            for (Map.Entry<Tenant, Integer> e : rows.entrySet()) {
                Tenant t = e.getKey();
                String planned = plan.moves().stream().filter(m -> m.tenant().equals(t.id()))
                        .map(PlacementPlan.Move::to).findFirst().orElse("main");
                assertThat(two.placement(t.id()).orElseThrow().endpoint()).as(t.id().value()).isEqualTo(planned);
                assertThat(count(two, t)).as("rows of " + t.id()).isEqualTo(e.getValue().longValue());
                load.merge(planned, (long) e.getValue(), Long::sum);
            }
            assertThat(plan.utilizationAfter()).containsEntry("main", load.get("main") / 200.0)
                    .containsEntry("spare", load.get("spare") / 200.0);
            assertThat(plan.spreadAfter()).isLessThan(plan.spreadBefore());
        }
    }

    private static TenantDataSource.Builder builder(TenantCatalog tenants, String db) {
        return IsolationFixture.builder(tenants, IsolationFixture.endpoint("main", DeploymentRegion.US_WEST, db))
                .migrations(SchemaMigrations.of(MIGRATIONS)).protectTable("listings").maximumPoolSize(4);
    }

    private static void insert(TenantDataSource ds, Tenant tenant, int n) throws SQLException {
        as(tenant, () -> {
            try (Connection c = ds.getConnection()) {
                exec(c, "INSERT INTO listings (title) SELECT 'listing ' || g FROM generate_series(1, " + n + ") g");
            }
            return null;
        });
    }

    private static long count(TenantDataSource ds, Tenant tenant) throws SQLException {
        return as(tenant, () -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM listings")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
