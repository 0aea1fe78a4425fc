package com.enterprisehub.geo.spi.cloud;

import com.enterprisehub.geo.core.GeoValidationException;

/**
 * What protects an object at rest in {@link ObjectStorage}: the provider's default protection, or a master key of
 * the same region's {@link KeyManagement} (a tenant's key, so that destroying that key makes the tenant's objects
 * unreadable too, and one tenant's objects never open under another tenant's key).
 *
 * <p>Given to a write, it says how to protect the object; given to a read, it says what the caller expects, and a
 * storage refuses (with a {@link com.enterprisehub.geo.core.GeoException}) an object protected otherwise: stored
 * under another master key, or without one. The key must be one the storage's own region issued
 * ({@code cloud.requireRegion(r).keys().createKey(alias)}): a key of another region is refused, so a tenant's objects
 * are always encrypted by a key kept where they are.
 *
 * <pre>{@code
 * CloudRegion services = cloud.requireRegion(market.region());
 * ObjectProtection acme = ObjectProtection.masterKey(services.keys().createKey("tenant-acme"));
 * services.objects().put("exports/acme/rows.jsonl", rows, acme);
 * byte[] back = services.objects().get("exports/acme/rows.jsonl", acme).orElseThrow();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface ObjectProtection permits ObjectProtection.ProviderDefault, ObjectProtection.MasterKey {

    /** The provider's default protection at rest (what {@code put(key, content)} applies). */
    static ObjectProtection providerDefault() {
        return ProviderDefault.INSTANCE;
    }

    /**
     * Protection by master key {@code keyId}, an id the same region's {@link KeyManagement#createKey} returned.
     *
     * @throws GeoValidationException if {@code keyId} is null or blank
     */
    static ObjectProtection masterKey(String keyId) {
        return new MasterKey(keyId);
    }

    /** The provider's default protection at rest. Use {@link ObjectProtection#providerDefault()}. */
    record ProviderDefault() implements ObjectProtection {
        private static final ProviderDefault INSTANCE = new ProviderDefault();

        @Override
        public String toString() {
            return "provider default";
        }
    }

    /**
     * Protection by a master key of the storage's region.
     *
     * @param keyId the id {@link KeyManagement#createKey} returned in the storage's region
     */
    record MasterKey(String keyId) implements ObjectProtection {
        /**
         * Checks the key id.
         *
         * @throws GeoValidationException if {@code keyId} is null or blank
         */
        public MasterKey {
            if (keyId == null || keyId.isBlank()) {
                throw new GeoValidationException("A master key id is " + (keyId == null ? "missing" : "blank")
                        + ": give the id KeyManagement.createKey returned in the object storage's region.");
            }
        }

        @Override
        public String toString() {
            return "master key " + keyId;
        }
    }
}
