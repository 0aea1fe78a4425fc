package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.core.tenant.TenantContext;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A {@link CacheManager} whose caches key every entry by the current tenant ({@link TenantKey}), so that
 * {@code @Cacheable} and friends never hand one tenant's entry to another whatever key the method computes. An
 * access with no tenant bound throws {@link com.enterprisehub.geo.core.NoTenantBoundException}. Caches named as
 * shared are passed through unchanged (for data that belongs to no tenant). {@code clear()} clears the whole
 * underlying cache, every tenant's entries (over-evicting is safe). {@code getNativeCache()} returns the provider's
 * cache, which is not scoped: code using it directly must key by {@link TenantKey} itself. Thread-safe if the
 * wrapped manager is.
 */
public final class TenantScopedCacheManager implements CacheManager {
    private final CacheManager delegate;
    private final Set<String> shared;

    /**
     * Wraps {@code delegate}.
     *
     * @param sharedCaches names of caches left shared by all tenants
     */
    public TenantScopedCacheManager(CacheManager delegate, Collection<String> sharedCaches) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.shared = Set.copyOf(sharedCaches);
    }

    /** The wrapped manager (unscoped: not handed out). */
    CacheManager delegate() {
        return delegate;
    }

    @Override
    public Cache getCache(String name) {
        Cache cache = delegate.getCache(name);
        if (cache == null || shared.contains(name)) {
            return cache;
        }
        return new TenantScopedCache(cache);
    }

    @Override
    public Collection<String> getCacheNames() {
        return delegate.getCacheNames();
    }

    @Override
    public void resetCaches() {
        delegate.resetCaches();
    }

    /** One cache, keyed by tenant. */
    private static final class TenantScopedCache implements Cache {
        private final Cache cache;

        TenantScopedCache(Cache cache) {
            this.cache = cache;
        }

        private TenantKey scoped(Object key) {
            return new TenantKey(TenantContext.require("cache '" + cache.getName() + "'").id().value(), key);
        }

        @Override
        public String getName() {
            return cache.getName();
        }

        @Override
        public Object getNativeCache() {
            return cache.getNativeCache();
        }

        @Override
        public ValueWrapper get(Object key) {
            return cache.get(scoped(key));
        }

        @Override
        public <T> T get(Object key, Class<T> type) {
            return cache.get(scoped(key), type);
        }

        @Override
        public <T> T get(Object key, Callable<T> valueLoader) {
            return cache.get(scoped(key), valueLoader);
        }

        @Override
        public CompletableFuture<?> retrieve(Object key) {
            return cache.retrieve(scoped(key));
        }

        @Override
        public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
            return cache.retrieve(scoped(key), valueLoader);
        }

        @Override
        public void put(Object key, Object value) {
            cache.put(scoped(key), value);
        }

        @Override
        public ValueWrapper putIfAbsent(Object key, Object value) {
            return cache.putIfAbsent(scoped(key), value);
        }

        @Override
        public void evict(Object key) {
            cache.evict(scoped(key));
        }

        @Override
        public boolean evictIfPresent(Object key) {
            return cache.evictIfPresent(scoped(key));
        }

        @Override
        public void clear() {
            cache.clear();
        }

        @Override
        public boolean invalidate() {
            return cache.invalidate();
        }
    }
}
