package com.example.geo.memory;

import com.enterprisehub.geo.core.ConfigKeys;
import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.crypto.AesGcm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;

/**
 * One region's master keys: random AES-256 keys held in memory, by alias. A data key is wrapped as an
 * {@link AesGcm} value with the context as associated data. Key ids name the cloud's provider and the region
 * ({@code memory/us_west/tenant-acme}), so a key id of another region is refused, not taken for a missing key.
 * Destroying a key overwrites its material; creating its alias again makes another key. Thread-safe.
 */
final class MemoryKeys implements KeyManagement {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;
    private final String where;
    private final Lifecycle lifecycle;
    private final ConcurrentHashMap<String, MasterKey> keys = new ConcurrentHashMap<>();

    /**
     * @param prefix what every key id of this region starts with ({@code memory/us_west/})
     * @param where the region, for messages ("US_WEST")
     */
    MemoryKeys(String prefix, String where, Lifecycle lifecycle) {
        this.prefix = prefix;
        this.where = where;
        this.lifecycle = lifecycle;
    }

    @Override
    public String createKey(String alias) {
        String checked = ConfigKeys.check(alias, "master key alias");
        return lifecycle.whileOpen(() -> {
            keys.computeIfAbsent(checked, a -> MasterKey.random());
            return prefix + checked;
        });
    }

    @Override
    public byte[] wrap(String keyId, byte[] dataKey, String context) {
        Objects.requireNonNull(dataKey, "dataKey");
        byte[] aad = aad(context);
        return lifecycle.whileOpen(() -> {
            try {
                return AesGcm.seal(key(keyId), dataKey, aad);
            } catch (GeneralSecurityException e) {
                throw new GeoException("Wrapping a data key with master key '" + keyId + "' failed: " + e.getMessage(),
                        e);
            }
        });
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped, String context) {
        Objects.requireNonNull(wrapped, "wrapped");
        byte[] aad = aad(context);
        return lifecycle.whileOpen(() -> {
            SecretKeySpec key = key(keyId);
            if (!AesGcm.isSealed(wrapped)) {
                throw new GeoException("This wrapped key is not an AES-GCM value of the SDK's format (it was not made"
                        + " by a memory cloud's wrap, or it was cut short): it cannot be opened with master key '"
                        + keyId + "'.");
            }
            try {
                return AesGcm.open(key, wrapped, aad);
            } catch (AEADBadTagException e) {
                throw new GeoException("This wrapped key does not open with master key '" + keyId + "' and context '"
                        + context + "': it was made with another key (another memory cloud's, perhaps: they keep"
                        + " nothing across restarts) or another context, or it was altered.", e);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new GeoException("Unwrapping a data key with master key '" + keyId + "' failed: "
                        + e.getMessage(), e);
            }
        });
    }

    @Override
    public void destroyKey(String keyId) {
        String alias = alias(keyId);
        lifecycle.whileOpen(() -> {
            MasterKey key = keys.remove(alias);
            if (key != null) {
                key.destroy();
            }
        });
    }

    /** Whether {@code keyId} has the form of a key id of this region (it may not exist, or exist no more). */
    boolean issued(String keyId) {
        return keyId.startsWith(prefix);
    }

    /** Destroys every key; when the cloud closes. */
    void release() {
        keys.values().forEach(MasterKey::destroy);
        keys.clear();
    }

    private SecretKeySpec key(String keyId) {
        String alias = alias(keyId);
        MasterKey key = keys.get(alias);
        SecretKeySpec spec = key == null ? null : key.spec();
        if (spec == null) {
            throw new GeoException("Master key '" + keyId + "' does not exist in the memory cloud's " + where
                    + " key management: it was never created here, or it was destroyed (then what it wrapped can no"
                    + " longer be opened). A memory cloud keeps its keys only while it is open in this JVM.");
        }
        return spec;
    }

    /** The alias of a key id of this region; refuses ids of other key managers. */
    private String alias(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        if (!keyId.startsWith(prefix)) {
            throw new GeoException("Master key '" + keyId + "' is not a key of the memory cloud's " + where
                    + " key management (its ids start with '" + prefix + "'): use the key management of the region"
                    + " and cloud that created it.");
        }
        return keyId.substring(prefix.length());
    }

    private static byte[] aad(String context) {
        return Objects.requireNonNull(context, "context").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "MemoryKeys(" + where + ", " + keys.size() + " key(s))"; // never key material
    }

    /**
     * AES-256 key material. Destroying it overwrites the material; a wrap that obtained the key before that finished
     * used the whole key, never a half-overwritten one (both hold the monitor). Thread-safe.
     */
    private static final class MasterKey {
        private final byte[] material;
        private boolean destroyed;

        private MasterKey(byte[] material) {
            this.material = material;
        }

        static MasterKey random() {
            byte[] material = new byte[32];
            RANDOM.nextBytes(material);
            return new MasterKey(material);
        }

        /** The key, or null once destroyed. */
        synchronized SecretKeySpec spec() {
            return destroyed ? null : new SecretKeySpec(material, "AES");
        }

        synchronized void destroy() {
            Arrays.fill(material, (byte) 0);
            destroyed = true;
        }
    }
}
