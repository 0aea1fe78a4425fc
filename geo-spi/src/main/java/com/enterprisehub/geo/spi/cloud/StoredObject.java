package com.enterprisehub.geo.spi.cloud;

import com.enterprisehub.geo.core.GeoValidationException;
import java.util.Objects;

/**
 * An object in {@link ObjectStorage}.
 *
 * @param key its key
 * @param size its length in bytes
 * @param sha256 the SHA-256 of its content (the plaintext, also for an object under a master key, and readable
 *     without that key: see {@link ObjectStorage}), lowercase hex
 */
public record StoredObject(String key, long size, String sha256) {
    /**
     * Checks the description.
     *
     * @throws GeoValidationException if the size is negative (a provider read a damaged description)
     */
    public StoredObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new GeoValidationException("The object '" + key + "' is described with a negative size (" + size
                    + "): its stored description is damaged; delete the object and store it again.");
        }
    }
}
