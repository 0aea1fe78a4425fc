package com.enterprisehub.geo.platform;

/**
 * Counters of a {@link CachingTenantCatalog} since it was built, read with {@link CachingTenantCatalog#stats()}.
 * Each counter only grows; the observability work exports them.
 *
 * @param hits lookups answered from the cache, without a call to the catalog behind it
 * @param misses lookups that read the catalog behind it and waited for it (a tenant not cached, or cached
 *     longer ago than the staleness bound with no live change listener to vouch for it)
 * @param refreshes background reads that renewed a cached tenant before its bound ran out (refresh-ahead:
 *     nobody waited for them)
 * @param failures reads of the catalog behind it that failed (a miss's failure reached its caller; a refresh's
 *     failure left the entry to run out at its bound)
 * @param invalidations entries dropped because of a change: made through this catalog, notified by the control
 *     plane, or asked for with {@link CachingTenantCatalog#invalidate}
 * @param size the number of ids cached now (tenants and ids known to be unknown), an estimate
 * @param listening whether a change listener on the control plane is live now (always false for a catalog
 *     without one)
 */
public record CatalogCacheStats(long hits, long misses, long refreshes, long failures, long invalidations, long size,
        boolean listening) {
}
