package com.enterprisehub.geo.core.tenant;

import java.util.Optional;

/**
 * Finds a tenant by id: all that {@link TenantResolver} and {@link TenantContext#open(TenantSnapshot, TenantLookup)}
 * need from where tenants are stored. Every {@code TenantCatalog} (geo-spi) is one; a host may give
 * {@code id -> Optional.ofNullable(map.get(id))}. Implementations are thread-safe.
 */
@FunctionalInterface
public interface TenantLookup {
    /** The tenant with this id, if there is one. */
    Optional<Tenant> find(TenantId id);
}
