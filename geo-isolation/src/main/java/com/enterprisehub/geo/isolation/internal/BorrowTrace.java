package com.enterprisehub.geo.isolation.internal;

/**
 * What one borrow did that its observers are told: whether the session was switched to the borrower's tenant, and
 * how long it waited for a connection. Created only when the data source has observers; used by one thread. Not part
 * of the API.
 */
public final class BorrowTrace {
    private boolean switched;
    private long waitNanos;

    /** The session served another tenant (or none) and was switched to the borrower's. */
    public void switched() {
        switched = true;
    }

    /** Adds {@code nanos} of waiting (for a cap, the fair share, a pooled connection). */
    public void waited(long nanos) {
        if (nanos > 0) {
            waitNanos += nanos;
        }
    }

    /** Forgets what an attempt that got no connection recorded as switched (its session was given up). */
    public void retry() {
        switched = false;
    }

    public boolean wasSwitched() {
        return switched;
    }

    public long waitNanos() {
        return waitNanos;
    }
}
