package com.enterprisehub.geo.isolation.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admission to an endpoint's shared pool, so that busy tenants cannot take the connections a quiet tenant needs.
 * The per-tenant caps may add up to more than the pool (three tenants at a cap of 4 on a pool of 8); without this
 * gate their borrowers queue inside HikariCP ahead of a quiet tenant, which then waits for a busy tenant's
 * connection to be returned. Here a tenant's <em>first</em> connection may take any free connection of the pool,
 * but a tenant that already holds one may take another only while at least {@link #reserve()} connections stay
 * free: that reserve is always there for tenants that hold none. Admitted borrowers never exceed the pool, so a
 * borrower that passes the gate finds a connection in HikariCP without queueing behind anyone.
 *
 * <p>PgBouncer's {@code reserve_pool_size} and Oracle UCP's "connection harvesting" leave headroom the same way;
 * the difference here is that the headroom is kept for tenants, not for time. Thread-safe; one short lock per
 * borrow and return. Not part of the API.
 */
public final class FairShare {
    private final int capacity;
    private final int reserve;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private int inUse;

    /**
     * @param capacity the pool's maximum size
     * @param reserve how many connections a tenant's extra connections must leave free (0 to turn the gate into a
     *     plain counter); at most {@code capacity - 1}
     */
    public FairShare(int capacity, int reserve) {
        if (capacity < 1 || reserve < 0 || (reserve > 0 && reserve >= capacity)) {
            throw new IllegalArgumentException("capacity " + capacity + ", reserve " + reserve);
        }
        this.capacity = capacity;
        this.reserve = reserve;
    }

    /** The default reserve of a pool of {@code capacity}: a quarter of it, at least 1, none for a pool of 1. */
    public static int defaultReserve(int capacity) {
        return capacity < 2 ? 0 : Math.max(1, capacity / 4);
    }

    /** The pool's maximum size. */
    public int capacity() {
        return capacity;
    }

    /** How many connections are kept for tenants that hold none. */
    public int reserve() {
        return reserve;
    }

    /**
     * Admits one connection for a tenant that already holds {@code held} connections of this pool, waiting up to
     * {@code timeoutNanos}.
     *
     * @return how long it waited in nanoseconds (0: admitted at once), or -1 if it timed out (nothing taken)
     */
    public long acquire(int held, long timeoutNanos) throws InterruptedException {
        int limit = held == 0 ? capacity : capacity - reserve;
        lock.lock();
        try {
            if (inUse < limit) {
                inUse++;
                return 0;
            }
            long start = System.nanoTime();
            long remaining = timeoutNanos;
            while (inUse >= limit) {
                if (remaining <= 0) {
                    return -1;
                }
                remaining = freed.awaitNanos(remaining);
            }
            inUse++;
            return Math.max(1, System.nanoTime() - start);
        } finally {
            lock.unlock();
        }
    }

    /** Gives one admitted connection back; call exactly once per successful {@link #acquire}. */
    public void release() {
        lock.lock();
        try {
            inUse--;
            // Waiters have different limits (first or extra connection): wake them all to re-check.
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many connections are admitted now. */
    public int inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }

    /** The timeout in nanoseconds for a wait of {@code millis}. */
    public static long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
