package com.enterprisehub.geo.spi.cloud;

import java.util.Optional;

/**
 * Named secrets (credentials of listing feeds, database passwords). Names are lowercase paths of
 * letters, digits, '.', '_' and '-' separated by '/' ({@code mls/crmls/api-key}). Values are never logged.
 * Implementations are thread-safe.
 */
public interface SecretStore {

    /** The secret called {@code name}, if there is one. */
    Optional<String> get(String name);

    /** Stores (or replaces) a secret. */
    void put(String name, String value);

    /** Removes a secret; idempotent. */
    void delete(String name);
}
