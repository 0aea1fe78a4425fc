package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.Objects;

/**
 * Where a tenant's data lives.
 *
 * @param tenant the tenant
 * @param level its isolation level
 * @param endpoint the name of the {@link DatabaseEndpoint} holding its data
 * @param ready whether provisioning finished; a tenant is routable only when ready
 */
public record TenantPlacement(TenantId tenant, IsolationLevel level, String endpoint, boolean ready) {
    public TenantPlacement {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(endpoint, "endpoint");
    }
}
