package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.Objects;

/**
 * Where a tenant's data lives.
 *
 * @param tenant the tenant
 * @param level its isolation level
 * @param endpoint the name of the {@link DatabaseEndpoint} or {@link DedicatedServer} holding its data
 * @param region the region of that endpoint: where its data is kept
 * @param location its schema (ENHANCED; its role has the same name) or database (MAXIMUM, REGULATORY; its
 *     login role has the same name), {@code geo_t<database oid>_<opaque>} (after a {@link TenantDataSource#move
 *     move} possibly with {@code _2} appended); empty for BASIC,
 *     whose rows live in the shared tables
 * @param ready whether provisioning finished; a tenant is routable only when ready
 */
public record TenantPlacement(TenantId tenant, IsolationLevel level, String endpoint, DeploymentRegion region,
        String location, boolean ready) {
    public TenantPlacement {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(location, "location");
    }
}
