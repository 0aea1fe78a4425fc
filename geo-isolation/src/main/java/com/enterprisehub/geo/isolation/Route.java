package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.isolation.internal.EndpointPool;
import com.enterprisehub.geo.isolation.internal.TenantPools;
import java.util.Objects;

/**
 * What {@link TenantDataSource#getConnection()} needs of a placed tenant, computed once (at provisioning, at
 * start-up from the recorded placements, after a migration) so that a borrow only reads it. One kind per way
 * a tenant's connections are made; every field is set. Immutable, so thread-safe. Not part of the API.
 */
sealed interface Route permits Route.Shared, Route.OwnPool {
    /** Where the tenant is placed. */
    TenantPlacement placement();

    /** The endpoint (or dedicated server) holding the tenant's data. */
    EndpointPool endpoint();

    /**
     * BASIC and ENHANCED: connections of the endpoint's shared pool, bound to the tenant on each borrow.
     *
     * @param shape the digest of the tenant's tables ({@link EndpointPool#SHARED_TABLES_SHAPE} for BASIC): a
     *     connection moving to a tenant of another shape drops the driver's prepared statements
     */
    record Shared(TenantPlacement placement, EndpointPool endpoint, String shape) implements Route {
        public Shared {
            Objects.requireNonNull(placement, "placement");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(shape, "shape");
        }

        /** The same route with the tenant's tables now of {@code newShape} (after a migration). */
        Shared reshaped(String newShape) {
            return new Shared(placement, endpoint, newShape);
        }
    }

    /**
     * MAXIMUM and REGULATORY: connections of the tenant's own small pool, to its own database.
     *
     * @param target where that pool connects, and as whom
     */
    record OwnPool(TenantPlacement placement, EndpointPool endpoint, TenantPools.Target target) implements Route {
        public OwnPool {
            Objects.requireNonNull(placement, "placement");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(target, "target");
        }
    }
}
