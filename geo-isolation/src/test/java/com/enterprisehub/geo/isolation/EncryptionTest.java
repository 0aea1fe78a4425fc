package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.cloud.local.InMemoryKeyManagement;
import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Per-tenant envelope encryption: a tenant's values open only with its key, and erasing shreds the key. */
class EncryptionTest {

    @Test
    void sensitiveValuesOpenOnlyForTheirTenantAndNeverAgainAfterErase() throws Exception {
        String db = PostgresFixture.newDatabase("crypto");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE leads (id bigserial PRIMARY KEY, tenant_id text NOT NULL, phone_enc text NOT NULL)");
        }
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Tenant acme = tenants.create(Tenant.builder("acme").market("us-ca").organization("Acme")
                .state(TenantState.ACTIVE).build());
        Tenant bay = tenants.create(Tenant.builder("bayview").market("us-ca").organization("Bayview")
                .state(TenantState.ACTIVE).build());
        KeyManagement kms = new InMemoryKeyManagement();
        try (TenantDataSource ds = IsolationFixture.builder(tenants,
                IsolationFixture.endpoint("main", DeploymentRegion.US_WEST, db)).protectTable("leads")
                .keyManagement(kms).build()) {
            ds.provision(acme.id());
            ds.provision(acme.id()); // idempotent: the same key
            ds.provision(bay.id());

            String stored = TenantContext.call(acme, () -> {
                String enc = ds.cipher().encryptText("+1 415 555 0100");
                try (Connection c = ds.getConnection();
                        PreparedStatement ps = c.prepareStatement("INSERT INTO leads (phone_enc) VALUES (?)")) {
                    ps.setString(1, enc);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return enc;
            });
            assertThat(stored).doesNotContain("555");
            assertThat(TenantContext.call(acme, () -> ds.cipher().decryptText(readPhone(ds))))
                    .isEqualTo("+1 415 555 0100");
            assertThatThrownBy(() -> TenantContext.call(bay, () -> ds.cipher().decryptText(stored)))
                    .isInstanceOf(IsolationException.class).hasMessageContaining("another tenant");

            // The wrapped keys are the administrator's: the application role cannot read them.
            try (Connection raw = java.sql.DriverManager.getConnection(PostgresFixture.jdbcUrl(db),
                    PostgresFixture.APP_ROLE, "app")) {
                assertThatThrownBy(() -> exec(raw, "SELECT wrapped FROM geo_control.tenant_key"))
                        .hasMessageContaining("permission denied");
            }
            // Keep what a backup would keep: the wrapped data key and the ciphertext.
            byte[] wrappedInBackup;
            String masterKeyId;
            try (Connection admin = ds.controlPlaneConnection("main");
                    PreparedStatement ps = admin.prepareStatement(
                            "SELECT master_key_id, wrapped FROM geo_control.tenant_key WHERE tenant = 'acme'");
                    ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                masterKeyId = rs.getString(1);
                wrappedInBackup = rs.getBytes(2);
            }

            tenants.transition(acme.id(), TenantState.OFFBOARDING);
            ds.erase(acme.id());

            assertThatThrownBy(() -> kms.unwrap(masterKeyId, wrappedInBackup, "tenant:acme"))
                    .isInstanceOf(GeoException.class).hasMessageContaining("destroyed");
            assertThatThrownBy(() -> TenantContext.call(acme, ds::cipher)).isInstanceOf(IsolationException.class);
            assertThat(TenantContext.call(bay, () -> ds.cipher().decryptText(ds.cipher().encryptText("still here"))))
                    .isEqualTo("still here");
        }
    }

    private static String readPhone(TenantDataSource ds) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT phone_enc FROM leads");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
