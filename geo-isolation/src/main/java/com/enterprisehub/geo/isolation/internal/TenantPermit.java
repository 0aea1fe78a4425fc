package com.enterprisehub.geo.isolation.internal;

import java.util.concurrent.Semaphore;

/** A tenant's cap on concurrent connections from a shared pool; each connection holds one permit. */
public final class TenantPermit extends Semaphore implements Lease {
    private static final long serialVersionUID = 1L;

    private final int permits;

    public TenantPermit(int permits) {
        super(permits, true);
        this.permits = permits;
    }

    /** How many connections the tenant holds now (an instant's reading). */
    public int held() {
        return Math.max(0, permits - availablePermits());
    }
}
