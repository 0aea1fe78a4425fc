package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A rolling deploy: an instance starts while another serves tenants. Installing the control plane and protecting
 * the shared tables again must not lock what tenants use when nothing changed (an {@code ALTER TABLE} waits for
 * every open transaction on the table and blocks every statement queued behind it; re-creating the binding view or
 * the policies did the same, and could deadlock with a writer).
 */
class RollingStartTest {
    @Test
    void aSecondInstanceStartsWhileATenantHoldsAWriteTransactionOpenAndAnEditedPolicyOrLoginTriggerIsPutBack() throws Exception {
        String db = PostgresFixture.newDatabase("rolling");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (tenant_id text NOT NULL, id bigserial, title text,"
                    + " PRIMARY KEY (tenant_id, id))");
        }
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Tenant t = TenantWork.active(tenants, "rolling", "us-ca", IsolationLevel.BASIC);
        DatabaseEndpoint endpoint = IsolationFixture.endpoint("main", DeploymentRegion.US_WEST, db);
        try (TenantDataSource first = IsolationFixture.builder(tenants, endpoint).protectTable("listings").build()) {
            first.provision(t.id());
            try (TenantContext.Scope scope = TenantContext.open(t);
                    Connection open = first.getConnection()) {
                open.setAutoCommit(false);
                try (PreparedStatement ps = open.prepareStatement("INSERT INTO listings (title) VALUES ('open')")) {
                    ps.executeUpdate(); // a write transaction left open while the second instance starts
                }
                CompletableFuture<TenantDataSource> second = CompletableFuture.supplyAsync(
                        () -> IsolationFixture.builder(tenants, endpoint).protectTable("listings").build());
                TenantDataSource started;
                try {
                    started = second.get(30, TimeUnit.SECONDS);
                } finally {
                    open.commit();
                }
                started.close();
            }
            // a policy edited by hand and the login trigger disabled are put back by the next start (the catalog's
            // state, not only the SDK's version, decides whether anything is applied again)
            try (Connection c = PostgresFixture.admin(db)) {
                exec(c, "ALTER EVENT TRIGGER geo_session_reset DISABLE"); // the login trigger that clears stale bindings
                exec(c, "ALTER POLICY " + com.enterprisehub.geo.isolation.internal.ControlPlane.PERMISSIVE_POLICY
                        + " ON listings USING (true) WITH CHECK (true)");
            }
            IsolationFixture.builder(tenants, endpoint).protectTable("listings").build().close();
            try (Connection c = PostgresFixture.admin(db)) {
                assertThat(first(c, "SELECT pg_get_expr(polqual, polrelid) FROM pg_policy WHERE polname = '"
                        + com.enterprisehub.geo.isolation.internal.ControlPlane.PERMISSIVE_POLICY + "'"))
                        .contains("bound_tenant");
                assertThat(first(c, "SELECT evtenabled FROM pg_event_trigger WHERE evtname = 'geo_session_reset'"))
                        .as("the login trigger enabled again").isEqualTo("O");
                // and, alone, a column of the binding key granted to every role (the HMAC key: any token forged)
                exec(c, "GRANT SELECT (key) ON geo_control.binding_key TO PUBLIC");
            }
            IsolationFixture.builder(tenants, endpoint).protectTable("listings").build().close();
            try (Connection c = PostgresFixture.admin(db)) {
                assertThat(first(c, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'geo_control.binding_key'::regclass"
                        + " AND attacl IS NOT NULL")).as("the column grant on the binding key taken back").isEqualTo("0");
            }
        }
    }
}
