package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Export a tenant's rows as JSON Lines, erase them, and prove nothing of it remains and others are intact. */
class OffboardingTest {

    @Test
    void exportThenEraseLeavesNothingOfTheTenantAndEveryOtherTenantIntact() throws Exception {
        String db = PostgresFixture.newDatabase("offboard");
        try (Connection c = PostgresFixture.admin(db)) {
            // 'agents' sorts before 'listings', which references it: the erase must retry agents after listings.
            exec(c, "CREATE TABLE agents (id bigserial PRIMARY KEY, tenant_id text NOT NULL, name text NOT NULL)");
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL,"
                    + " agent_id bigint REFERENCES agents (id), details jsonb)");
        }
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Tenant acme = tenants.create(Tenant.builder("acme").market("us-ca").organization("Acme")
                .state(TenantState.ACTIVE).build());
        Tenant bay = tenants.create(Tenant.builder("bayview").market("us-ca").organization("Bayview")
                .state(TenantState.ACTIVE).build());
        try (TenantDataSource ds = IsolationFixture.builder(tenants,
                IsolationFixture.endpoint("main", DeploymentRegion.US_WEST, db)).protectTable("agents").protectTable("listings").build()) {
            ds.provision(acme.id());
            ds.provision(bay.id());
            load(ds, acme, 3, 5);
            load(ds, bay, 2, 4);

            StringWriter out = new StringWriter();
            Map<String, Long> exported = ds.export(acme.id(), out);
            assertThat(exported).containsEntry("public.agents", 3L).containsEntry("public.listings", 5L);
            List<JsonNode> lines = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : out.toString().split("\n")) {
                lines.add(json.readTree(line));
            }
            assertThat(lines).hasSize(8).allSatisfy(l -> assertThat(l.at("/row/tenant_id").asText()).isEqualTo("acme"));
            assertThat(lines).filteredOn(l -> l.get("table").asText().equals("public.listings"))
                    .allSatisfy(l -> assertThat(l.at("/row/details/rooms").isInt()).isTrue());

            assertThatThrownBy(() -> ds.erase(acme.id())).isInstanceOf(IsolationException.class)
                    .hasMessageContaining("only a tenant in OFFBOARDING");

            tenants.transition(acme.id(), TenantState.OFFBOARDING);
            Map<String, Long> erased = ds.erase(acme.id());
            assertThat(erased).containsEntry("public.agents", 3L).containsEntry("public.listings", 5L);

            try (Connection admin = ds.controlPlaneConnection("main")) {
                assertThat(count(admin, "SELECT count(*) FROM agents WHERE tenant_id = 'acme'")
                        + count(admin, "SELECT count(*) FROM listings WHERE tenant_id = 'acme'")).isZero();
                assertThat(count(admin, "SELECT count(*) FROM listings WHERE tenant_id = 'bayview'")).isEqualTo(4);
                assertThat(count(admin, "SELECT count(*) FROM agents WHERE tenant_id = 'bayview'")).isEqualTo(2);
                assertThat(count(admin, "SELECT count(*) FROM geo_control.tenant_placement WHERE tenant = 'acme'"))
                        .isZero();
            }
            assertThat(ds.placement(acme.id())).isEmpty();
            assertThatThrownBy(() -> TenantContext.call(acme, () -> {
                try {
                    return ds.getConnection();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            })).hasRootCauseInstanceOf(TenantUnavailableException.class);
            // Erasing again finds nothing to erase.
            assertThatThrownBy(() -> ds.erase(acme.id())).hasMessageContaining("not placed");
        }
    }

    private static void load(TenantDataSource ds, Tenant tenant, int agents, int listings) throws SQLException {
        try (TenantContext.Scope scope = TenantContext.open(tenant); Connection c = ds.getConnection()) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO agents (name) VALUES (?) RETURNING id")) {
                    ps.setString(1, "agent " + i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        ids.add(rs.getLong(1));
                    }
                }
            }
            for (int i = 0; i < listings; i++) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO listings (title, agent_id, details) VALUES (?, ?, ?::jsonb)")) {
                    ps.setString(1, "listing " + i);
                    ps.setLong(2, ids.get(i % ids.size()));
                    ps.setString(3, "{\"rooms\": " + (i + 1) + "}");
                    ps.executeUpdate();
                }
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
