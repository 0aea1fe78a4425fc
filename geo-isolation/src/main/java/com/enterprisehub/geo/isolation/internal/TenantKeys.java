package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.spi.cloud.KeyManagement;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Per-tenant data keys in {@code geo_control.tenant_key}, wrapped by a {@link KeyManagement}. The
 * wrapping context is {@code tenant:<id>}, so a wrapped key copied to another tenant's row does not
 * open. Not part of the API.
 */
public final class TenantKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TenantKeys() {
    }

    /**
     * Creates the tenant's own master key in the key manager and its data key wrapped under it, unless
     * the tenant has them. Idempotent.
     */
    public static void ensure(Connection admin, KeyManagement kms, String tenant) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM geo_control.tenant_key WHERE tenant = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        String masterKeyId = kms.createKey("tenant-" + tenant);
        try (PreparedStatement ps = admin.prepareStatement("INSERT INTO geo_control.tenant_key (tenant, master_key_id,"
                + " wrapped) VALUES (?, ?, ?) ON CONFLICT (tenant) DO NOTHING")) {
            ps.setString(1, tenant);
            ps.setString(2, masterKeyId);
            ps.setBytes(3, kms.wrap(masterKeyId, dataKey, context(tenant)));
            ps.executeUpdate();
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** The tenant's data key, if it has one (it has none once erased). */
    public static Optional<byte[]> load(Connection admin, KeyManagement kms, String tenant) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT master_key_id, wrapped FROM geo_control.tenant_key WHERE tenant = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(kms.unwrap(rs.getString(1), rs.getBytes(2), context(tenant)));
            }
        }
    }

    /**
     * Destroys the tenant's master key in the key manager (crypto-shredding: copies of the wrapped data key
     * in backups can no longer be opened), then deletes the wrapped key's row.
     */
    public static void destroy(Connection admin, KeyManagement kms, String tenant) throws SQLException {
        String masterKeyId;
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT master_key_id FROM geo_control.tenant_key WHERE tenant = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                masterKeyId = rs.getString(1);
            }
        }
        // The key first: if destroying it fails, the row still names it, so a second erase retries it.
        kms.destroyKey(masterKeyId);
        try (PreparedStatement ps = admin.prepareStatement("DELETE FROM geo_control.tenant_key WHERE tenant = ?")) {
            ps.setString(1, tenant);
            ps.executeUpdate();
        }
    }

    /**
     * Gives the target control plane the tenant's data key, for a move between endpoints: the wrapped key as it is
     * when {@code to} is {@code from} (the master key stays where it is), else unwrapped with {@code from} and wrapped
     * under the tenant's master key in {@code to} (created there unless it exists). Nothing when the source has no key
     * or the target already has one (a resumed move).
     *
     * @param from the key management of the tenant's current master key, null when encryption is off
     * @param to the key management for the target, null when encryption is off
     */
    public static void follow(Connection source, Connection target, KeyManagement from, KeyManagement to,
            String tenant) throws SQLException {
        String masterKeyId;
        byte[] wrapped;
        try (PreparedStatement ps = source.prepareStatement(
                "SELECT master_key_id, wrapped FROM geo_control.tenant_key WHERE tenant = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                masterKeyId = rs.getString(1);
                wrapped = rs.getBytes(2);
            }
        }
        try (PreparedStatement ps = target.prepareStatement("SELECT 1 FROM geo_control.tenant_key WHERE tenant = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        if (from != null && to != null && !from.equals(to)) {
            byte[] dataKey = from.unwrap(masterKeyId, wrapped, context(tenant));
            try {
                String targetKeyId = to.createKey("tenant-" + tenant);
                // the same key behind another instance (a client built per call): nothing to re-wrap
                if (!(targetKeyId.equals(masterKeyId) && opens(to, targetKeyId, wrapped, tenant))) {
                    wrapped = to.wrap(targetKeyId, dataKey, context(tenant));
                    masterKeyId = targetKeyId;
                }
            } finally {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
        try (PreparedStatement ps = target.prepareStatement("INSERT INTO geo_control.tenant_key (tenant, master_key_id,"
                + " wrapped) VALUES (?, ?, ?) ON CONFLICT (tenant) DO NOTHING")) {
            ps.setString(1, tenant);
            ps.setString(2, masterKeyId);
            ps.setBytes(3, wrapped);
            ps.executeUpdate();
        }
    }

    /**
     * Removes the tenant's key row from one side of a finished (or cancelled) move between endpoints: with its master
     * key destroyed when the other side's key management differs and the other side's row names another master key
     * (the data key was re-wrapped there), else the row alone (the master key still serves the other side).
     * Idempotent.
     */
    public static void leave(Connection admin, Connection otherAdmin, KeyManagement here, KeyManagement other,
            String tenant) throws SQLException {
        Optional<String> mine = masterKeyId(admin, tenant);
        Optional<byte[]> wrapped = wrappedKey(admin, tenant);
        // only a master key the other side does not use: two key managers that differ by equals may still be one key
        // store (a client built per call), where the same alias gives the same key (it then opens this side's bytes)
        if (here != null && other != null && !here.equals(other) && mine.isPresent() && wrapped.isPresent()
                && masterKeyId(otherAdmin, tenant).isPresent()
                && !(mine.equals(masterKeyId(otherAdmin, tenant)) && opens(other, mine.get(), wrapped.get(), tenant))) {
            destroy(admin, here, tenant);
            return;
        }
        try (PreparedStatement ps = admin.prepareStatement("DELETE FROM geo_control.tenant_key WHERE tenant = ?")) {
            ps.setString(1, tenant);
            ps.executeUpdate();
        }
    }

    /** Whether {@code kms} opens {@code wrapped} with {@code keyId} (the same master key). */
    private static boolean opens(KeyManagement kms, String keyId, byte[] wrapped, String tenant) {
        try {
            Arrays.fill(kms.unwrap(keyId, wrapped, context(tenant)), (byte) 0);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Optional<byte[]> wrappedKey(Connection admin, String tenant) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT wrapped FROM geo_control.tenant_key WHERE tenant = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    private static Optional<String> masterKeyId(Connection admin, String tenant) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT master_key_id FROM geo_control.tenant_key WHERE tenant = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static String context(String tenant) {
        return "tenant:" + tenant;
    }
}
