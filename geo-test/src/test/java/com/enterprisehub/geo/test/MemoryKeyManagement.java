package com.enterprisehub.geo.test;

import com.enterprisehub.geo.core.ConfigKeys;
import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.crypto.AesGcm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A correct key management for the kit's own tests (geo-cloud-local's cannot be used here: it depends on geo-test).
 * Its protected methods are what the broken variants override. Thread-safe.
 */
class MemoryKeyManagement implements KeyManagement {
    private static final SecureRandom RANDOM = new SecureRandom();
    protected final String prefix;

    MemoryKeyManagement() {
        this("mem/");
    }

    MemoryKeyManagement(String prefix) {
        this.prefix = prefix;
    }

    /** The keys by id; a method so a variant can keep them elsewhere. */
    protected Map<String, SecretKey> keys() {
        return keys;
    }

    private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();

    protected static SecretKey newKey() {
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        return new SecretKeySpec(material, "AES");
    }

    protected String checkAlias(String alias) {
        return ConfigKeys.check(alias, "master key alias");
    }

    @Override
    public String createKey(String alias) {
        String id = prefix + checkAlias(alias);
        keys().computeIfAbsent(id, k -> newKey());
        return id;
    }

    protected SecretKey key(String keyId) {
        SecretKey key = keys().get(Objects.requireNonNull(keyId, "keyId"));
        if (key == null) {
            throw new GeoException("Master key '" + keyId + "' does not exist.");
        }
        return key;
    }

    protected byte[] aad(String context) {
        return Objects.requireNonNull(context, "context").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] wrap(String keyId, byte[] dataKey, String context) {
        try {
            return AesGcm.seal(key(keyId), dataKey, aad(context));
        } catch (GeneralSecurityException e) {
            throw new GeoException("Wrapping failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped, String context) {
        SecretKey key = key(keyId);
        if (!AesGcm.isSealed(wrapped)) {
            throw new GeoException("Not a wrapped key.");
        }
        try {
            return AesGcm.open(key, wrapped, aad(context));
        } catch (GeneralSecurityException e) {
            throw new GeoException("This wrapped key does not open with '" + keyId + "' and this context.", e);
        }
    }

    @Override
    public void destroyKey(String keyId) {
        keys().remove(Objects.requireNonNull(keyId, "keyId"));
    }
}
