package com.enterprisehub.geo.core.tenant;

import com.enterprisehub.geo.core.market.MarketId;
import java.io.Serializable;
import java.util.Objects;

/**
 * The tenant bound to a context, reduced to what a job queue can carry: the tenant's and market's
 * ids. Serializable (Java serialization, or as two strings). On a worker, restore it with
 * {@link TenantContext#open(TenantSnapshot, TenantLookup)}, which
 * looks the tenant up again so that a tenant suspended since the job was queued is refused.
 *
 * @param tenant the tenant's id
 * @param market the id of the tenant's market when the snapshot was taken
 */
public record TenantSnapshot(TenantId tenant, MarketId market) implements Serializable {
    private static final long serialVersionUID = 1L;

    public TenantSnapshot {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(market, "market");
    }

    /** The snapshot of {@code tenant}. */
    public static TenantSnapshot of(Tenant tenant) {
        return new TenantSnapshot(tenant.id(), tenant.market());
    }
}
