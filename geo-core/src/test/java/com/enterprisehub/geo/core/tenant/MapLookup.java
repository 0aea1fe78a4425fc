package com.enterprisehub.geo.core.tenant;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** The simplest {@link TenantLookup}: a map the test changes directly (catalogs live in geo-spi, above core). */
final class MapLookup implements TenantLookup {
    private final Map<TenantId, Tenant> tenants = new ConcurrentHashMap<>();

    Tenant put(Tenant tenant) {
        tenants.put(tenant.id(), tenant);
        return tenant;
    }

    void change(TenantId id, UnaryOperator<Tenant> change) {
        tenants.computeIfPresent(id, (k, tenant) -> change.apply(tenant));
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
        return Optional.ofNullable(tenants.get(id));
    }
}
