package com.enterprisehub.geo.isolation.internal;

/** What a tenant connection gives back when it is closed: a connection permit or a pin on a pool. */
public interface Lease {
    /** Gives it back; called exactly once per lease. */
    void release();
}
