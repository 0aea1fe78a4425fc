package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.core.tenant.TenantId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenant-affine borrowing for an endpoint's shared pool: a connection its host closed is kept, still bound to its
 * tenant, for a short while, and the next borrower of the same tenant takes it back without switching the session
 * (no round trip, no server work). HikariCP hands out whichever idle connection comes first and has no way to ask
 * for one in a given state, so this sits in front of it; HikariCP still creates, validates, retires and counts
 * every connection (a parked connection is one it has lent and not got back).
 *
 * <p>The bounds that keep HikariCP's guarantees: a connection is reused only within {@link #REUSE_WINDOW_NANOS} of
 * its park (HikariCP's own window for handing out a connection without validating it, {@code aliveBypassWindowMs},
 * is 500 ms), and only within {@link #MAX_LEND_NANOS} of HikariCP lending it (so that its maximum lifetime and
 * eviction still apply); a sweeper gives back what is older. A connection is never parked while a thread waits
 * inside HikariCP, and a borrower that finds none for its tenant first gives back parked connections of other
 * tenants until the pool has room: parking never makes anyone wait. Oracle UCP's connection labeling and
 * PgBouncer's session pooling keep the same affinity; Hibernate's schema-per-tenant provider has none.
 *
 * <p>Thread-safe: parking and taking use lock-free queues, and each parked connection is claimed exactly once
 * (taken by its tenant, or given back). Not part of the API.
 */
public final class ParkedSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ParkedSessions.class);
    /** How long a parked connection may be reused: HikariCP's aliveBypassWindowMs (500 ms). */
    static final long REUSE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** How long HikariCP may have lent a connection before it must go back (lifetime, eviction). */
    static final long MAX_LEND_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** A connection kept for {@code tenant}: HikariCP's (still lent) and its session. */
    static final class Parked {
        final TenantId tenant;
        final Connection pooled;
        final SessionConnection session;
        final long lentAt;
        final long parkedAt;
        private final AtomicBoolean claimed = new AtomicBoolean();

        Parked(TenantId tenant, Connection pooled, SessionConnection session, long lentAt, long parkedAt) {
            this.tenant = tenant;
            this.pooled = pooled;
            this.session = session;
            this.lentAt = lentAt;
            this.parkedAt = parkedAt;
        }

        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        boolean claimed() {
            return claimed.get();
        }
    }

    private final ConcurrentHashMap<TenantId, ConcurrentLinkedDeque<Parked>> byTenant = new ConcurrentHashMap<>();
    /** Every parked connection in park order (claimed ones are skipped and dropped as they reach the head). */
    private final ConcurrentLinkedQueue<Parked> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final IntSupplier waitingInPool;
    private final ScheduledExecutorService sweeper;
    private volatile boolean closed;

    /**
     * @param name the endpoint's name, for the sweeper thread's
     * @param waitingInPool threads waiting inside HikariCP now: while any wait, nothing is parked
     */
    public ParkedSessions(String name, IntSupplier waitingInPool) {
        this.waitingInPool = waitingInPool;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "geo-affinity-" + name);
            t.setDaemon(true);
            return t;
        });
        long period = TimeUnit.NANOSECONDS.toMillis(REUSE_WINDOW_NANOS) / 2;
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** How many connections are parked now. */
    public int count() {
        return count.get();
    }

    /**
     * Keeps {@code pooled}, bound to {@code tenant}, for the tenant's next borrower; false if it must go back to
     * HikariCP instead (someone waits in it, it was lent too long ago, or this is closed): the caller closes it.
     */
    boolean park(TenantId tenant, Connection pooled, SessionConnection session, long lentAt) {
        long now = System.nanoTime();
        if (closed || now - lentAt > MAX_LEND_NANOS || waitingInPool.getAsInt() > 0) {
            return false;
        }
        Parked parked = new Parked(tenant, pooled, session, lentAt, now);
        count.incrementAndGet();
        byTenant.computeIfAbsent(tenant, t -> new ConcurrentLinkedDeque<>()).addLast(parked);
        order.add(parked);
        dropClaimedHeads();
        if (closed && parked.claim()) {       // closed meanwhile: give it back ourselves
            count.decrementAndGet();
            giveBack(parked);
        }
        return true;
    }

    /** The most recently parked connection of {@code tenant} still within its reuse window, if any. */
    Parked take(TenantId tenant) {
        ConcurrentLinkedDeque<Parked> parked = byTenant.get(tenant);
        if (parked == null) {
            return null;
        }
        Parked p;
        while ((p = parked.pollLast()) != null) {
            if (!p.claim()) {
                continue;
            }
            count.decrementAndGet();
            if (System.nanoTime() - p.parkedAt > REUSE_WINDOW_NANOS) {
                giveBack(p);
                continue;
            }
            return p;
        }
        return null;
    }

    /** Gives the longest-parked connection back to HikariCP; false if none is parked. */
    boolean giveBackOldest() {
        Parked p;
        while ((p = order.poll()) != null) {
            if (p.claim()) {
                count.decrementAndGet();
                removeFromTenant(p);
                giveBack(p);
                return true;
            }
        }
        return false;
    }

    /** Gives back what is past its reuse window. */
    void sweep() {
        try {
            long now = System.nanoTime();
            Parked p;
            while ((p = order.peek()) != null) {
                if (p.claimed()) {
                    order.remove(p);
                } else if (now - p.parkedAt > REUSE_WINDOW_NANOS) {
                    order.remove(p);
                    if (p.claim()) {
                        count.decrementAndGet();
                        removeFromTenant(p);
                        giveBack(p);
                    }
                } else {
                    break;
                }
            }
            byTenant.values().removeIf(ConcurrentLinkedDeque::isEmpty);
        } catch (RuntimeException e) {
            LOG.warn("The affinity sweeper failed; it runs again shortly", e);
        }
    }

    private void dropClaimedHeads() {
        Parked head;
        while ((head = order.peek()) != null && head.claimed()) {
            order.remove(head);
        }
    }

    private void removeFromTenant(Parked p) {
        ConcurrentLinkedDeque<Parked> parked = byTenant.get(p.tenant);
        if (parked != null) {
            parked.remove(p);
        }
    }

    private static void giveBack(Parked p) {
        try {
            p.pooled.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("A parked connection could not be returned cleanly; HikariCP replaces it", e);
        }
    }

    /** Gives every parked connection back and stops the sweeper. */
    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        while (giveBackOldest()) {
            // every parked connection goes back
        }
    }
}
