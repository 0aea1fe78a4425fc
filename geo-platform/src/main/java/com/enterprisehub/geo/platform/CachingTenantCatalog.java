package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.platform.internal.TenantChangeListener;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TenantCatalog} that answers {@link #find} from memory, so that a borrow from a
 * {@link com.enterprisehub.geo.isolation.TenantDataSource} costs no round trip to the control plane, with a
 * stated <b>staleness bound</b> (default {@value #DEFAULT_STALENESS_MILLIS} ms): a change committed to the catalog
 * behind it at time T is what {@code find} returns on every instance from T + bound on, whatever happens to the
 * network, so a tenant suspended on one instance is refused on all of them within the bound. The one exception:
 * a write made while the change triggers are disabled (a data-only restore with {@code --disable-triggers}, or a
 * transaction that disables them around its write) announces nothing; an entry the listener vouches for then
 * stays until it is renewed in the background (60 bounds after it was read) or {@link #invalidateAll} is called
 * (see "Catalog caching" in docs/platform.md).
 *
 * <ul>
 *   <li><b>Local changes</b> ({@link #create}, {@link #update}, {@link #transition}) go to the catalog behind it,
 *       which publishes the same events as before, and drop the tenant's entry at once; while one runs,
 *       {@code find} of that tenant reads the catalog behind, so a subscriber of the event finds the change.</li>
 *   <li><b>Changes on other instances</b>: over a {@link JdbcTenantCatalog}, a listener holds one connection of
 *       the control plane's data source with {@code LISTEN geo_platform_tenants}; a trigger on
 *       {@code geo_platform.tenants} notifies the id of every row changed by anyone (this SDK or plain SQL;
 *       the payload is the tenant id, never anything else), and the entry is dropped within milliseconds. A
 *       heartbeat every quarter of the bound proves the session alive; while it does, entries read since the
 *       current {@code LISTEN} stay valid and cost the control plane nothing (a read of one of them more than 60
 *       bounds after it was read renews it in the background: a safety net for writes made while the triggers
 *       are disabled, which no notification announces; the triggers are {@code ENABLE ALWAYS}, so writes applied
 *       by logical replication ({@code session_replication_role = replica}) are announced).</li>
 *   <li><b>When that signal is missing</b> (the listener's connection died or stalls, the trigger was dropped,
 *       or the catalog behind it has no such signal), an entry is served for at most the bound after it was
 *       read: past half the bound a read returns the entry and renews it in the background (refresh-ahead, so
 *       a busy tenant's borrow never waits), past the bound the read waits for the catalog. The listener logs
 *       the loss and listens again with a back-off.</li>
 *   <li><b>When the control plane is down</b>, cached tenants are served until their bound runs out; then
 *       {@code find} throws the catalog's exception (fail closed): a tenant suspended elsewhere is never served
 *       from an old entry.</li>
 *   <li><b>Unknown ids</b> are cached as absent under the same rules (so a flood of requests naming one garbage id
 *       costs one read per bound) in the same cache, whose size is bounded ({@link Builder#maximumSize}); its
 *       admission policy (W-TinyLFU) keeps ids seen once from evicting tenants in use.</li>
 * </ul>
 *
 * <p>{@link #list}, {@link #inMarket} and {@link #count} are not cached: they read the catalog behind it.
 * Over a catalog with no change signal of its own, the host may call {@link #invalidate} when it learns of a
 * change. {@link #stats()} counts hits, misses, refreshes, failures and invalidations.
 *
 * <p>Thread-safe. Close it to release the listener's connection and threads (daemon threads: they do not keep a
 * JVM alive).
 */
public final class CachingTenantCatalog implements TenantCatalog {
    /** The default staleness bound, in milliseconds. */
    public static final long DEFAULT_STALENESS_MILLIS = 1_000;
    /** The default number of ids cached. */
    public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

    /** Entries vouched for by the listener are still renewed in the background this many bounds after they were read. */
    private static final int RESYNC_FACTOR = 60;
    private static final Logger LOG = LoggerFactory.getLogger(CachingTenantCatalog.class);

    /** A cached answer of the catalog behind, and when the read that produced it started (System.nanoTime). */
    private record Entry(Optional<Tenant> found, long readAt) {
    }

    private final TenantCatalog catalog;
    private final Duration staleness;
    private final long boundNanos;
    private final long refreshAfterNanos;
    private final long resyncNanos;
    private final Cache<TenantId, Entry> cache;
    private final TenantChangeListener listener;
    private final ThreadPoolExecutor refresher;
    private final Set<TenantId> refreshing = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<TenantId, Load> loads = new ConcurrentHashMap<>();
    /** Ids being changed through this cache, and how many changes of each are under way. */
    private final ConcurrentHashMap<TenantId, Integer> writes = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshFailing = new AtomicBoolean();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder refreshes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder invalidations = new LongAdder();
    private volatile boolean closed;

    private CachingTenantCatalog(Builder b) {
        this.catalog = b.catalog;
        this.staleness = b.staleness;
        this.boundNanos = b.staleness.toNanos();
        this.refreshAfterNanos = boundNanos / 2;
        this.resyncNanos = b.resync != null ? b.resync.toNanos() : RESYNC_FACTOR * boundNanos;
        this.cache = Caffeine.newBuilder().maximumSize(b.maximumSize).build();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "geo-tenant-catalog-refresh");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.refresher = pool;
        if (b.listen && catalog instanceof JdbcTenantCatalog jdbc) {
            this.listener = TenantChangeListener.start(jdbc.dataSource(), new TenantChangeListener.Sink() {
                @Override
                public void changed(TenantId id) {
                    invalidate(id);
                }

                @Override
                public void changedAll() {
                    invalidateAll();
                }
            }, staleness);
        } else {
            this.listener = null;
        }
    }

    /** {@code bound} if it is a staleness bound this cache accepts; {@code name} is the setting, for the message. */
    static Duration checkStaleness(Duration bound, String name) {
        Objects.requireNonNull(bound, name);
        if (bound.compareTo(Duration.ofMillis(10)) < 0 || bound.compareTo(Duration.ofHours(1)) > 0) {
            throw new GeoValidationException("The staleness bound of a cached tenant catalog (" + name + ") must be"
                    + " between 10 ms and 1 hour, not " + bound + ". It is how long a suspended tenant may still be"
                    + " served elsewhere: keep it short (the default is " + DEFAULT_STALENESS_MILLIS + " ms).");
        }
        return bound;
    }

    /** A builder of a cache in front of {@code catalog}. */
    public static Builder builder(TenantCatalog catalog) {
        return new Builder(catalog);
    }

    /** Builds a {@link CachingTenantCatalog}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private final TenantCatalog catalog;
        private Duration staleness = Duration.ofMillis(DEFAULT_STALENESS_MILLIS);
        private long maximumSize = DEFAULT_MAXIMUM_SIZE;
        private boolean listen = true;
        private Duration resync;

        private Builder(TenantCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            if (catalog instanceof CachingTenantCatalog) {
                throw new GeoValidationException("The catalog is already cached (" + catalog + "): give the catalog"
                        + " behind it, or use it as it is.");
            }
        }

        /**
         * The staleness bound (default {@value #DEFAULT_STALENESS_MILLIS} ms; 10 ms to 1 hour): how long after a
         * change every instance may still answer with what it read before. The listener's heartbeat runs every
         * quarter of it.
         *
         * @throws GeoValidationException if it is outside that range
         */
        public Builder staleness(Duration bound) {
            this.staleness = checkStaleness(bound, "staleness");
            return this;
        }

        /**
         * How many ids may be cached (default {@value #DEFAULT_MAXIMUM_SIZE}), tenants and unknown ids together;
         * make it at least the number of tenants in use at once, or borrows wait for the catalog.
         *
         * @throws GeoValidationException if it is below 1
         */
        public Builder maximumSize(long size) {
            if (size < 1) {
                throw new GeoValidationException("The maximum size of a cached tenant catalog must be at least 1, not "
                        + size + ".");
            }
            this.maximumSize = size;
            return this;
        }

        /**
         * Whether to listen for changes on the control plane when the catalog is a {@link JdbcTenantCatalog}
         * (default true; it holds one connection of the catalog's data source). Without it, or over another
         * catalog, entries are served for at most the staleness bound after they were read.
         */
        public Builder listen(boolean listen) {
            this.listen = listen;
            return this;
        }

        /** For tests: renew entries the listener vouches for after this long (default 60 bounds). */
        Builder resyncAfter(Duration after) {
            this.resync = Objects.requireNonNull(after, "after");
            return this;
        }

        /** The cache; over a {@link JdbcTenantCatalog} with listening on, its listener starts now. */
        public CachingTenantCatalog build() {
            return new CachingTenantCatalog(this);
        }
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
        Objects.requireNonNull(id, "id");
        if (closed) {
            return catalog.find(id);
        }
        if (!writes.isEmpty() && writes.containsKey(id)) {
            misses.increment(); // a change of it is under way here: read it, cache nothing
            return catalog.find(id);
        }
        Entry entry = cache.getIfPresent(id);
        if (entry != null) {
            long now = System.nanoTime();
            if (listener != null && listener.covers(entry.readAt, now)) {
                hits.increment();
                if (now - entry.readAt >= resyncNanos) {
                    refreshAhead(id, entry); // the safety net for writes that bypass the triggers
                }
                return entry.found;
            }
            long age = now - entry.readAt;
            if (age < boundNanos) {
                hits.increment();
                if (age >= refreshAfterNanos) {
                    refreshAhead(id, entry);
                }
                return entry.found;
            }
        }
        return load(id).found;
    }

    private boolean fresh(Entry entry, long now) {
        return now - entry.readAt < boundNanos || (listener != null && listener.covers(entry.readAt, now));
    }

    /** A read of the catalog behind in progress; {@code invalidated} once a change of its id was signalled. */
    private static final class Load {
        final CompletableFuture<Entry> result = new CompletableFuture<>();
        volatile boolean invalidated;
    }

    /**
     * Reads the catalog behind and caches the answer; callers asking for the same id meanwhile wait for that read
     * (unless a change of the id was signalled since it started: then they read again). The read runs outside the
     * cache's locks, so a slow control plane blocks neither other ids nor invalidations; its answer is cached only
     * if no invalidation of the id came while it ran, stamped with the time the read started.
     */
    private Entry load(TenantId id) {
        Load mine = new Load();
        Load running = loads.compute(id, (key, current) -> current == null || current.invalidated ? mine : current);
        if (running != mine) {
            try {
                return running.result.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
        try {
            long start = System.nanoTime();
            Entry old = cache.getIfPresent(id);
            if (old != null && fresh(old, start)) {
                hits.increment(); // read by another caller meanwhile
                mine.result.complete(old);
                return old;
            }
            misses.increment();
            Entry read;
            try {
                read = new Entry(catalog.find(id), start);
            } catch (RuntimeException e) {
                failures.increment();
                mine.result.completeExceptionally(e);
                throw e; // the old entry (if any) stays, but it is past its bound: nobody is served from it
            }
            // Checked under the entry's lock; invalidate marks the load before it removes the entry, so either the
            // put sees the mark or the removal comes after the put.
            cache.asMap().compute(id, (key, current) -> mine.invalidated
                    || (current != null && current.readAt - start > 0) ? current : read);
            mine.result.complete(read);
            return read;
        } finally {
            loads.remove(id, mine);
            if (!mine.result.isDone()) { // an Error: the callers waiting for this read must not wait forever
                mine.result.completeExceptionally(new IllegalStateException("Reading tenant '" + id + "' failed"));
            }
        }
    }

    /** Renews {@code seen} in the background unless a renewal of this id is running; nobody waits for it. */
    private void refreshAhead(TenantId id, Entry seen) {
        if (!refreshing.add(id)) {
            return;
        }
        try {
            refresher.execute(() -> {
                try {
                    long start = System.nanoTime();
                    Entry renewed = new Entry(catalog.find(id), start);
                    // Only over the entry it renews: an entry dropped by a change meanwhile stays dropped.
                    cache.asMap().computeIfPresent(id, (key, current) -> current == seen ? renewed : current);
                    refreshes.increment();
                    if (refreshFailing.compareAndSet(true, false)) {
                        LOG.info("Renewing cached tenants works again");
                    }
                } catch (RuntimeException e) {
                    failures.increment();
                    if (refreshFailing.compareAndSet(false, true)) {
                        LOG.warn("Renewing cached tenants from {} failed ({}): they are served until their staleness"
                                + " bound of {} runs out, then lookups fail until the catalog answers again", catalog,
                                e.getMessage(), staleness);
                    } else {
                        LOG.debug("Renewing tenant '{}' failed again: {}", id, e.getMessage());
                    }
                } finally {
                    refreshing.remove(id);
                }
            });
        } catch (RejectedExecutionException e) {
            refreshing.remove(id); // closed meanwhile
        }
    }

    /** Drops the cached answer for {@code id}: the next lookup reads the catalog behind. */
    public void invalidate(TenantId id) {
        Objects.requireNonNull(id, "id");
        Load running = loads.get(id);
        if (running != null) {
            running.invalidated = true; // before the removal: see load
        }
        cache.invalidate(id);
        invalidations.increment();
    }

    /** Drops every cached answer. */
    public void invalidateAll() {
        loads.values().forEach(running -> running.invalidated = true);
        cache.invalidateAll();
        invalidations.increment();
    }

    @Override
    public Tenant create(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return writing(tenant.id(), () -> catalog.create(tenant)); // refused too: a cached "absent" may be wrong
    }

    @Override
    public Tenant update(TenantId id, UnaryOperator<Tenant> change) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(change, "change");
        return writing(id, () -> catalog.update(id, change));
    }

    /**
     * Runs a change of tenant {@code id} on the catalog behind, which publishes its event before it returns: while
     * it runs, {@link #find} of that id reads the catalog behind (so a synchronous subscriber of the event sees the
     * change), and when it ends the entry is dropped (and a read that ran meanwhile is not cached).
     */
    private Tenant writing(TenantId id, Supplier<Tenant> write) {
        writes.merge(id, 1, Integer::sum);
        try {
            return write.get();
        } finally {
            invalidate(id);
            writes.computeIfPresent(id, (key, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Every tenant, ordered by id, read from the catalog behind (not cached). */
    @Override
    public List<Tenant> list() {
        return catalog.list();
    }

    /** The tenants of one market, ordered by id, read from the catalog behind (not cached). */
    @Override
    public List<Tenant> inMarket(MarketId market) {
        return catalog.inMarket(market);
    }

    /** How many tenants there are, read from the catalog behind (not cached). */
    @Override
    public long count() {
        return catalog.count();
    }

    private long size() {
        cache.cleanUp(); // pending evictions, so the size reads true
        return cache.estimatedSize();
    }

    /** The staleness bound. */
    public Duration staleness() {
        return staleness;
    }

    /** The counters since this cache was built. */
    public CatalogCacheStats stats() {
        return new CatalogCacheStats(hits.sum(), misses.sum(), refreshes.sum(), failures.sum(), invalidations.sum(),
                size(), listener != null && listener.listening());
    }

    /** For tests: whether this cache's listener thread is still running. */
    boolean listenerRunning() {
        return listener != null && listener.running();
    }

    /** The catalog behind this cache. */
    public TenantCatalog catalog() {
        return catalog;
    }

    /**
     * Stops the listener (releasing its connection) and the refresh thread, and empties the cache; lookups
     * afterwards read the catalog behind on every call. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        if (listener != null) {
            listener.close();
        }
        refresher.shutdownNow();
        cache.invalidateAll();
    }

    @Override
    public String toString() {
        return catalog + ", cached (staleness " + staleness + ")";
    }
}
