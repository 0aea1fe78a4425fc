package com.enterprisehub.geo.cloud.local;

import com.enterprisehub.geo.core.ConfigKeys;
import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.crypto.AesGcm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key manager that holds random AES-256 master keys in this JVM's memory; wrapped keys are {@link AesGcm} values
 * with the context as associated data. For development and tests: its keys are gone when the JVM exits, and with
 * them everything they wrapped. Use a real key-management system in production. Thread-safe.
 */
public final class InMemoryKeyManagement implements KeyManagement {
    private final ConcurrentHashMap<String, SecretKeySpec> keys = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** A key manager with no keys yet. */
    public InMemoryKeyManagement() {
    }

    @Override
    public String createKey(String alias) {
        String id = "local/" + ConfigKeys.check(alias, "master key alias");
        keys.computeIfAbsent(id, k -> {
            byte[] material = new byte[32];
            random.nextBytes(material);
            return new SecretKeySpec(material, "AES");
        });
        return id;
    }

    @Override
    public byte[] wrap(String keyId, byte[] dataKey, String context) {
        return wrap(key(keyId), dataKey, context);
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped, String context) {
        return unwrap(key(keyId), keyId, wrapped, context);
    }

    /** Wraps {@code dataKey} under {@code master}, binding {@code context}: the format both local key managers use. */
    static byte[] wrap(SecretKeySpec master, byte[] dataKey, String context) {
        Objects.requireNonNull(dataKey, "dataKey");
        try {
            return AesGcm.seal(master, dataKey, aad(context));
        } catch (GeneralSecurityException e) {
            throw new GeoException("Wrapping a data key failed: " + e.getMessage(), e);
        }
    }

    /** The data key inside {@code wrapped}, made by {@link #wrap(SecretKeySpec, byte[], String)}. */
    static byte[] unwrap(SecretKeySpec master, String keyId, byte[] wrapped, String context) {
        if (!AesGcm.isSealed(wrapped)) {
            throw new GeoException("This wrapped key was not made by a local key manager (unknown format).");
        }
        try {
            return AesGcm.open(master, wrapped, aad(context));
        } catch (AEADBadTagException e) {
            throw new GeoException("This wrapped key does not open with master key '" + keyId + "' and context '"
                    + context + "': it was made with another key or context, or it was altered.", e);
        } catch (GeneralSecurityException e) {
            throw new GeoException("Unwrapping a data key failed: " + e.getMessage(), e);
        }
    }

    private static byte[] aad(String context) {
        return Objects.requireNonNull(context, "context").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void destroyKey(String keyId) {
        keys.remove(Objects.requireNonNull(keyId, "keyId"));
    }

    private SecretKeySpec key(String keyId) {
        SecretKeySpec key = keys.get(Objects.requireNonNull(keyId, "keyId"));
        if (key == null) {
            throw new GeoException("Master key '" + keyId + "' does not exist: it was never created, or it was"
                    + " destroyed (then what it wrapped can no longer be opened).");
        }
        return key;
    }
}
