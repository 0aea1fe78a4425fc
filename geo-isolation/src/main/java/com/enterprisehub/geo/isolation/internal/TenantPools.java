package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.core.tenant.TenantId;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small pools of MAXIMUM and REGULATORY tenants, one per tenant database, opened on first use. At most
 * {@code maxPools} are open at once, each of at most {@code poolSize} connections, so these tenants never
 * hold more than {@code maxPools * poolSize} connections however many exist. To open one more, the least
 * recently used pool with no connection in use is closed; when every open pool is in use, the caller waits
 * up to the connection timeout for one to become idle. Thread-safe: borrowing from an open pool takes no
 * lock. Not part of the API.
 */
public final class TenantPools implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TenantPools.class);

    /**
     * Where a tenant's pool connects; the login role has the database's name. {@code watchdog} enforces the
     * tenant's statement timeout on the server, whatever its session sets.
     */
    public record Target(String jdbcUrl, String database, char[] password, StatementWatchdog watchdog) {
    }

    private final int maxPools;
    private final int poolSize;
    private final long timeoutMillis;
    private final ConcurrentHashMap<TenantId, Entry> open = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong ticks = new AtomicLong();
    private final ScheduledThreadPoolExecutor housekeeping;
    private volatile boolean closed;

    public TenantPools(int maxPools, int poolSize, long timeoutMillis) {
        this.maxPools = maxPools;
        this.poolSize = poolSize;
        this.timeoutMillis = timeoutMillis;
        AtomicInteger threads = new AtomicInteger();
        this.housekeeping = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "geo-tenant-pools-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        housekeeping.setRemoveOnCancelPolicy(true);
    }

    /**
     * A connection of the tenant's pool (opened if needed), ready for the tenant: a transaction left open is
     * rolled back and the statement timeout set. The connection pins the pool until it is closed.
     */
    public Connection borrow(TenantId tenant, Target target, long statementTimeoutMillis) throws SQLException {
        Entry entry = pin(tenant, target);
        try {
            return TenantBoundConnection.borrowOwn(entry.pool, tenant, entry,
                    session -> session.prepareDedicated(statementTimeoutMillis), target.watchdog(), target.database(),
                    statementTimeoutMillis);
        } catch (SQLException | RuntimeException e) {
            entry.release();
            throw e;
        }
    }

    /** How many connections of the tenant's pool are in use now (0 when it has no pool open). */
    public int inUse(TenantId tenant) {
        Entry entry = open.get(tenant);
        return entry == null ? 0 : Math.max(0, entry.pins.get());
    }

    /** How many tenant pools are open now. */
    public int openPools() {
        return open.size();
    }

    /** Closes the tenant's pool if it is open, whether or not its connections are in use (for erasure). */
    public void close(TenantId tenant) {
        Entry entry = open.remove(tenant);
        if (entry != null) {
            entry.pins.set(-1);
            entry.pool.close();
        }
    }

    /** Replaces the idle connections of the tenant's pool, and the others as they are returned (after a migration). */
    public void refresh(TenantId tenant) {
        Entry entry = open.get(tenant);
        if (entry != null && entry.pool.getHikariPoolMXBean() != null) {
            entry.pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    private Entry pin(TenantId tenant, Target target) throws SQLException {
        Entry entry = open.get(tenant);
        if (entry != null && entry.pin()) {
            entry.lastUsed = ticks.incrementAndGet();
            return entry;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<Entry> evicted = new ArrayList<>();
        lock.lock();
        // Counted before looking for an idle pool, so a connection returned after the look signals us.
        waiting.incrementAndGet();
        try {
            while (true) {
                if (closed) {
                    throw new SQLException("The tenant data source is closed.", "08003");
                }
                entry = open.get(tenant);
                if (entry != null) {
                    if (entry.pin()) {
                        break;
                    }
                    open.remove(tenant, entry);
                }
                if (open.size() < maxPools) {
                    entry = new Entry(tenant, newPool(tenant, target));
                    entry.pin();
                    open.put(tenant, entry);
                    break;
                }
                Entry victim = leastRecentlyUsedIdle();
                if (victim != null) {
                    open.remove(victim.tenant, victim);
                    evicted.add(victim);
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SQLTransientConnectionException("All " + maxPools + " tenant pools (MAXIMUM and"
                            + " REGULATORY tenants) have connections in use and none became idle within "
                            + timeoutMillis + " ms, so no pool could be opened for tenant '" + tenant + "'. Close"
                            + " connections promptly, or raise maxTenantPools.", "08001");
                }
                try {
                    idle.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLTransientConnectionException("Interrupted while waiting for a tenant pool.", "08001",
                            e);
                }
            }
        } finally {
            waiting.decrementAndGet();
            lock.unlock();
            for (Entry victim : evicted) {
                LOG.debug("Closing the idle pool of tenant {} (least recently used)", victim.tenant);
                victim.pool.close();
            }
        }
        entry.lastUsed = ticks.incrementAndGet();
        return entry;
    }

    /** The least recently used open pool with no connection in use, now marked closed; null if none. */
    private Entry leastRecentlyUsedIdle() {
        while (true) {
            Entry oldest = null;
            for (Entry e : open.values()) {
                if (e.pins.get() == 0 && (oldest == null || e.lastUsed < oldest.lastUsed)) {
                    oldest = e;
                }
            }
            if (oldest == null) {
                return null;
            }
            if (oldest.pins.compareAndSet(0, -1)) {
                return oldest;
            }
        }
    }

    private HikariDataSource newPool(TenantId tenant, Target target) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("geo-" + target.database());
        config.setDataSource(new SessionDataSource(target.jdbcUrl(), target.database(), target.database(),
                new String(target.password())));
        config.setMaximumPoolSize(poolSize);
        config.setExceptionOverride(EvictionPolicy.INSTANCE);
        config.setMinimumIdle(0);
        config.setIdleTimeout(TimeUnit.SECONDS.toMillis(60));
        config.setConnectionTimeout(Math.max(250, timeoutMillis));
        config.setInitializationFailTimeout(-1);
        config.setScheduledExecutor(housekeeping);
        LOG.debug("Opening the pool of tenant {}", tenant);
        return new HikariDataSource(config);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        for (TenantId tenant : List.copyOf(open.keySet())) {
            close(tenant);
        }
        housekeeping.shutdownNow();
    }

    /** One tenant's pool; {@code pins} counts the connections in use, -1 once closed. */
    private final class Entry implements Lease {
        final TenantId tenant;
        final HikariDataSource pool;
        final AtomicInteger pins = new AtomicInteger();
        volatile long lastUsed;

        Entry(TenantId tenant, HikariDataSource pool) {
            this.tenant = tenant;
            this.pool = pool;
        }

        boolean pin() {
            while (true) {
                int n = pins.get();
                if (n < 0) {
                    return false;
                }
                if (pins.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        @Override
        public void release() {
            if (pins.decrementAndGet() == 0 && waiting.get() > 0) {
                lock.lock();
                try {
                    idle.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
