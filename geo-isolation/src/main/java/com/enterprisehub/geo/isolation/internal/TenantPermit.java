package com.enterprisehub.geo.isolation.internal;

import java.util.concurrent.Semaphore;

/** A tenant's cap on concurrent connections from a shared pool; each connection holds one permit. */
public final class TenantPermit extends Semaphore implements Lease {
    private static final long serialVersionUID = 1L;

    public TenantPermit(int permits) {
        super(permits, true);
    }
}
