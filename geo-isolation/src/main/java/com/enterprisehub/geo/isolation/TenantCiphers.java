package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.internal.TenantKeys;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of a {@link TenantDataSource}: which key management holds each tenant's master key, and
 * the tenants' ciphers (data key unwrapped once, then cached). Provisioning creates the keys
 * ({@link #createKeys}), erasure destroys them ({@link #destroyKeys}). Off unless a key management was
 * configured. Thread-safe. Not part of the API.
 */
final class TenantCiphers {
    /** The key management of each tenant's master key; null when envelope encryption is off. */
    private final BiFunction<? super Tenant, DeploymentRegion, ? extends KeyManagement> keyManagement;
    private final TenantRouter router;
    private final Endpoints endpoints;
    private final ConcurrentHashMap<TenantId, TenantCipher> ciphers = new ConcurrentHashMap<>();

    TenantCiphers(BiFunction<? super Tenant, DeploymentRegion, ? extends KeyManagement> keyManagement,
            TenantRouter router,
            Endpoints endpoints) {
        this.keyManagement = keyManagement;
        this.router = router;
        this.endpoints = endpoints;
    }

    /** Gives the tenant its master key and wrapped data key unless it has them; nothing when encryption is off. */
    void createKeys(Connection admin, Tenant tenant, DeploymentRegion region) throws SQLException {
        if (keyManagement != null) {
            TenantKeys.ensure(admin, keys(tenant, region), tenant.id().value());
        }
    }

    /** Destroys the tenant's master key, then its wrapped data key's row; nothing when encryption is off. */
    void destroyKeys(Connection admin, Tenant tenant, DeploymentRegion region) throws SQLException {
        if (keyManagement != null) {
            TenantKeys.destroy(admin, keys(tenant, region), tenant.id().value());
        }
    }

    /**
     * A move between endpoints: the target's control plane gets the tenant's data key, re-wrapped under a master key
     * of the target region's key management when that differs (see {@code Builder.regionalKeyManagement}).
     */
    void follow(Connection source, Connection target, Tenant tenant, DeploymentRegion from, DeploymentRegion to)
            throws SQLException {
        TenantKeys.follow(source, target, keysOrNull(tenant, from), keysOrNull(tenant, to), tenant.id().value());
    }

    /**
     * One side of a move between endpoints no longer holds the tenant (its source erased, or its target cancelled):
     * its key row goes, with its master key when the other side's key management differs.
     */
    void leave(Connection admin, Connection otherAdmin, Tenant tenant, DeploymentRegion here, DeploymentRegion other)
            throws SQLException {
        TenantKeys.leave(admin, otherAdmin, keysOrNull(tenant, here), keysOrNull(tenant, other), tenant.id().value());
        ciphers.remove(tenant.id());
    }

    private KeyManagement keysOrNull(Tenant tenant, DeploymentRegion region) {
        return keyManagement == null ? null : keys(tenant, region);
    }

    /** Drops the cached cipher of an erased tenant. */
    void forget(TenantId id) {
        ciphers.remove(id);
    }

    /**
     * See {@link TenantDataSource#cipher()}.
     *
     * @throws NoTenantBoundException if no tenant is bound
     */
    TenantCipher cipher() {
        Tenant tenant = TenantContext.require("TenantDataSource.cipher()");
        if (keyManagement == null) {
            throw new IsolationException("No key management is configured; set TenantDataSource.Builder"
                    + ".keyManagement(...) to encrypt tenant data.");
        }
        TenantCipher cached = ciphers.get(tenant.id());
        if (cached != null) {
            return cached;
        }
        Route route = router.find(tenant.id());
        if (route == null) {
            throw new IsolationException("Tenant '" + tenant.id() + "' is not placed on any endpoint, so it has no"
                    + " data key (erased tenants have none).");
        }
        byte[] key;
        try (Connection admin = endpoints.require(route.placement().endpoint()).adminConnection()) {
            key = TenantKeys.load(admin, keys(tenant, route.placement().region()), tenant.id().value()).orElseThrow(() -> new IsolationException(
                    "Tenant '" + tenant.id() + "' has no data key: provision it with key management configured."));
        } catch (SQLException e) {
            throw new IsolationException("Loading the data key of tenant '" + tenant.id() + "' failed: "
                    + e.getMessage(), e);
        }
        TenantCipher cipher = new TenantCipher(tenant.id(), new SecretKeySpec(key, "AES"));
        Arrays.fill(key, (byte) 0);
        TenantCipher raced = ciphers.putIfAbsent(tenant.id(), cipher);
        return raced != null ? raced : cipher;
    }

    /** The key management of {@code tenant}'s master key for its data in {@code region}. */
    private KeyManagement keys(Tenant tenant, DeploymentRegion region) {
        return Objects.requireNonNull(keyManagement.apply(tenant, region),
                () -> "no key management for tenant " + tenant.id() + " in " + region);
    }
}
