package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.cloud.local.InMemoryKeyManagement;
import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tenant's data key follows it across regions: with regional key management its master key is re-created in the
 * target region, the data key re-wrapped there and the former master key destroyed once the source is erased (data
 * encrypted before the move still decrypts); with one key management for the tenant, the wrapped key is copied and its
 * master key kept.
 */
class KeyFollowsMoveTest {
    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "contacts",
            "CREATE TABLE contacts (id bigint PRIMARY KEY, phone text NOT NULL)"));

    @Test
    void withRegionalKeyManagementAMoveToAnotherRegionReWrapsTheDataKeyAndDestroysTheFormerMasterKey()
            throws Exception {
        InMemoryKeyManagement westKeys = new InMemoryKeyManagement();
        InMemoryKeyManagement eastKeys = new InMemoryKeyManagement();
        String west = database();
        String east = database();
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Tenant vault = TenantWork.active(tenants, "vault", "us-ca", IsolationLevel.BASIC);
        try (TenantDataSource ds = builder(tenants, west, east)
                .regionalKeyManagement((tenant, region) -> region == DeploymentRegion.US_WEST ? westKeys : eastKeys)
                .build()) {
            ds.provision(vault.id(), "west");
            String stored = write(ds, vault, "+1 415 555 0100");
            String[] before = key(ds, "west");
            assertThat(before[0]).isNotNull();

            MoveResult moved = ds.move(vault.id(), IsolationLevel.MAXIMUM, "east");
            assertThat(moved.to().region()).isEqualTo(DeploymentRegion.US_EAST);
            assertThat(TenantContext.call(vault, () -> ds.cipher().decryptText(stored)))
                    .as("the data key did not change, so what was encrypted before the move decrypts")
                    .isEqualTo("+1 415 555 0100");
            assertThat(key(ds, "west")[0]).as("the source's key row is gone").isNull();
            String[] after = key(ds, "east");
            assertThat(after[1]).as("re-wrapped: not the bytes the west control plane held").isNotEqualTo(before[1]);
            assertThat(eastKeys.unwrap(after[0], java.util.HexFormat.of().parseHex(after[1]), "tenant:vault"))
                    .as("wrapped under the east master key").hasSize(32);
            assertThatThrownBy(() -> westKeys.unwrap(before[0], java.util.HexFormat.of().parseHex(before[1]),
                    "tenant:vault")).as("the west master key was destroyed with the source")
                    .isInstanceOf(GeoException.class).hasMessageContaining("destroyed");

            ds.move(vault.id(), IsolationLevel.ENHANCED, "west"); // and back: a new west master key
            assertThat(TenantContext.call(vault, () -> ds.cipher().decryptText(stored))).isEqualTo("+1 415 555 0100");
            assertThat(key(ds, "east")[0]).isNull();
            assertThat(key(ds, "west")[0]).isNotNull();
        }
    }

    @Test
    void withOneKeyManagementForTheTenantAMoveToAnotherRegionCopiesTheWrappedKeyAndKeepsItsMasterKey()
            throws Exception {
        InMemoryKeyManagement keys = new InMemoryKeyManagement();
        String west = database();
        String east = database();
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Tenant ledger = TenantWork.active(tenants, "ledger", "us-ca", IsolationLevel.BASIC);
        try (TenantDataSource ds = builder(tenants, west, east).keyManagement(tenant -> keys).build()) {
            ds.provision(ledger.id(), "west");
            String stored = write(ds, ledger, "secret");
            String[] before = key(ds, "west");
            ds.move(ledger.id(), IsolationLevel.BASIC, "east");
            assertThat(key(ds, "east")).as("the same master key and wrapped bytes").containsExactly(before);
            assertThat(TenantContext.call(ledger, () -> ds.cipher().decryptText(stored))).isEqualTo("secret");
            assertThat(keys.unwrap(before[0], java.util.HexFormat.of().parseHex(before[1]), "tenant:ledger"))
                    .as("its master key is kept").hasSize(32);
        }
    }

    @Test
    void keyManagersThatAreNotEqualButShareOneKeyStoreKeepTheTenantsOnlyMasterKey() throws Exception {
        InMemoryKeyManagement store = new InMemoryKeyManagement();
        String west = database();
        String east = database();
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Tenant shared = TenantWork.active(tenants, "shared-store", "us-ca", IsolationLevel.BASIC);
        // a client built per call, as hosts do: never equal, one store behind them
        try (TenantDataSource ds = builder(tenants, west, east)
                .regionalKeyManagement((tenant, region) -> new KeyManagement() {
                    @Override
                    public String createKey(String alias) {
                        return store.createKey(alias);
                    }

                    @Override
                    public byte[] wrap(String keyId, byte[] dataKey, String context) {
                        return store.wrap(keyId, dataKey, context);
                    }

                    @Override
                    public byte[] unwrap(String keyId, byte[] wrapped, String context) {
                        return store.unwrap(keyId, wrapped, context);
                    }

                    @Override
                    public void destroyKey(String keyId) {
                        store.destroyKey(keyId);
                    }
                }).build()) {
            ds.provision(shared.id(), "west");
            String stored = write(ds, shared, "kept");
            ds.move(shared.id(), IsolationLevel.MAXIMUM, "east");
            assertThat(TenantContext.call(shared, () -> ds.cipher().decryptText(stored)))
                    .as("its one master key was not destroyed with the source").isEqualTo("kept");
        }
    }

    private static String database() throws SQLException {
        String db = PostgresFixture.newDatabase("keymove");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE contacts (tenant_id text NOT NULL, id bigint NOT NULL, phone text NOT NULL,"
                    + " PRIMARY KEY (tenant_id, id))");
        }
        return db;
    }

    private static TenantDataSource.Builder builder(TenantCatalog tenants, String west, String east) {
        return IsolationFixture.builder(tenants, IsolationFixture.endpoint("west", DeploymentRegion.US_WEST, west))
                .endpoint(IsolationFixture.endpoint("east", DeploymentRegion.US_EAST, east))
                .migrations(SchemaMigrations.of(MIGRATIONS)).protectTable("contacts");
    }

    /** Encrypts and stores a value as the tenant; returns the ciphertext. */
    private static String write(TenantDataSource ds, Tenant tenant, String value) throws Exception {
        return TenantWork.as(tenant, () -> {
            String encrypted = ds.cipher().encryptText(value);
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO contacts (id, phone) VALUES (1, ?)")) {
                ps.setString(1, encrypted);
                ps.executeUpdate();
            }
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT phone FROM contacts WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    /** The tenant's key row on an endpoint's control plane: master key id and wrapped bytes (hex), or nulls. */
    private static String[] key(TenantDataSource ds, String endpoint) throws SQLException {
        try (Connection admin = ds.controlPlaneConnection(endpoint)) {
            List<String> id = TenantWork.column(admin, "SELECT master_key_id FROM geo_control.tenant_key");
            List<String> wrapped = TenantWork.column(admin, "SELECT encode(wrapped, 'hex') FROM geo_control.tenant_key");
            return id.isEmpty() ? new String[] {null, null} : new String[] {id.get(0), wrapped.get(0)};
        }
    }
}
