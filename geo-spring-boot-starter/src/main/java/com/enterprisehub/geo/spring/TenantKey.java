package com.enterprisehub.geo.spring;

import java.io.Serializable;
import java.util.Objects;

/**
 * A cache key that belongs to one tenant: equal only to the same key of the same tenant. Its string form,
 * {@code tenant::key}, is unambiguous (tenant ids hold no colon), for caches that key by string (Redis).
 *
 * @param tenant the tenant's id
 * @param key the key the application computed
 */
public record TenantKey(String tenant, Object key) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Checks both parts. */
    public TenantKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
        return tenant + "::" + key;
    }
}
