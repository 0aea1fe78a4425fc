package com.enterprisehub.geo.isolation;

import java.time.Duration;
import java.util.Objects;

/**
 * The counters of one endpoint of a {@link TenantDataSource} since it was built, and its shared pool's connections
 * at the moment of reading. Counters only grow; subtract two readings for a rate.
 *
 * @param endpoint the endpoint's (or dedicated server's) name
 * @param borrows connections handed to hosts from the endpoint's shared pool
 * @param switches borrows that had to switch the pooled session to another tenant (one round trip more)
 * @param switchTime the time those switches took, in total
 * @param waits borrows that had to wait for the tenant's connection cap or the pool's fair share
 * @param waitTime the time those waits took, in total
 * @param activeConnections shared-pool connections in use by hosts now
 * @param idleConnections shared-pool connections idle now
 * @param parkedConnections shared-pool connections returned by hosts and kept bound to their tenant for its next
 *     borrower now (tenant affinity; each is given back to the pool within half a second)
 * @param pendingThreads threads waiting for a shared-pool connection inside the pool now
 */
public record EndpointStatistics(String endpoint, long borrows, long switches, Duration switchTime, long waits,
        Duration waitTime, int activeConnections, int idleConnections, int parkedConnections, int pendingThreads) {
    public EndpointStatistics {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(switchTime, "switchTime");
        Objects.requireNonNull(waitTime, "waitTime");
    }

    /** The share of borrows that switched tenant, 0 to 1 (0 when nothing was borrowed). */
    public double switchShare() {
        return borrows == 0 ? 0 : (double) switches / borrows;
    }
}
