package com.enterprisehub.geo.spi.cloud;

/**
 * Master keys that never leave the key-management system, used to wrap data keys (envelope
 * encryption). Each tenant gets its own master key, so destroying it makes every copy of the tenant's
 * wrapped data key — in backups too — impossible to open (crypto-shredding). Implementations must be
 * thread-safe and pass {@code com.enterprisehub.geo.test.KeyManagementContract} (geo-test). geo-cloud-local
 * provides a directory-backed one and {@code InMemoryKeyManagement}.
 */
public interface KeyManagement {

    /** Creates a master key for {@code alias} (a lowercase slug), or returns the id of the one it has. */
    String createKey(String alias);

    /**
     * Encrypts {@code dataKey} under master key {@code keyId}. {@code context} is bound to the result:
     * unwrapping needs the same context (use the tenant id).
     */
    byte[] wrap(String keyId, byte[] dataKey, String context);

    /**
     * The data key inside {@code wrapped}.
     *
     * @throws com.enterprisehub.geo.core.GeoException if the master key does not exist (never created, or
     *     destroyed), or {@code wrapped} was not made with it and this context
     */
    byte[] unwrap(String keyId, byte[] wrapped, String context);

    /** Destroys a master key for good; what it wrapped can never be unwrapped again. Idempotent. */
    void destroyKey(String keyId);

}
