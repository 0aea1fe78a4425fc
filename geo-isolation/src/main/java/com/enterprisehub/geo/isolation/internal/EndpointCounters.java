package com.enterprisehub.geo.isolation.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one endpoint, added to on the borrow path without locking. Thread-safe. Not part of the API.
 */
public final class EndpointCounters {
    private final LongAdder borrows = new LongAdder();
    private final LongAdder switches = new LongAdder();
    private final LongAdder switchNanos = new LongAdder();
    private final LongAdder waits = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();

    /** A connection was handed to a host. */
    public void borrowed() {
        borrows.increment();
    }

    /** A pooled session was switched from one tenant (or none) to another, which took {@code nanos}. */
    public void switched(long nanos) {
        switches.increment();
        switchNanos.add(nanos);
    }

    /** A borrower waited {@code nanos} for a tenant's cap or the pool's fair share. */
    public void waited(long nanos) {
        waits.increment();
        waitNanos.add(nanos);
    }

    public long borrows() {
        return borrows.sum();
    }

    public long switches() {
        return switches.sum();
    }

    public long switchNanos() {
        return switchNanos.sum();
    }

    public long waits() {
        return waits.sum();
    }

    public long waitNanos() {
        return waitNanos.sum();
    }
}
