package com.enterprisehub.geo.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalogProvider;
import com.enterprisehub.geo.test.PostgresFixture;
import com.enterprisehub.geo.test.TenantCatalogContract;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The catalog contract through the cache, over PostgreSQL with its change listener (this class) and over the
 * in-memory catalog as a generic decorator ({@link CachingInMemoryTenantCatalogTest}); and what the cache adds: hits without
 * a read, a bounded cache of unknown ids, the provider's settings. Two instances: {@link CatalogCacheInstancesTest}.
 */
class CachingTenantCatalogTest extends TenantCatalogContract {

    @Override
    protected TenantCatalog newCatalog(PlatformEvents events, Clock clock) {
        return CachingTenantCatalog.builder(JdbcTenantCatalog.open(
                JdbcTenantCatalogTest.emptied(CachingTenantCatalogTest.class), events, clock)).build();
    }

    @Override
    protected void closeCatalog(TenantCatalog catalog) {
        ((CachingTenantCatalog) catalog).close();
    }

    private CachingTenantCatalog cache() {
        return (CachingTenantCatalog) catalog;
    }

    /** Waits until {@code condition} holds, up to 10 s (the bound of these catalogs is 1 s). */
    static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 10 s for: " + what).isNegative();
            Thread.sleep(5);
        }
    }

    @Test
    void repeatedLookupsAreAnsweredFromMemoryAndALocalChangeIsSeenAtOnce() throws Exception {
        await("the listener listens", () -> cache().stats().listening());
        Tenant acme = catalog.create(tenant("acme", "us-ca"));
        // Dropped twice: by the create itself, and by the control plane's notification of it (to every instance).
        await("the notification of the create", () -> cache().stats().invalidations() == 2);
        assertThat(catalog.find(acme.id())).contains(acme);
        CatalogCacheStats before = cache().stats();
        for (int i = 0; i < 100; i++) {
            assertThat(catalog.find(acme.id())).contains(acme);
        }
        CatalogCacheStats after = cache().stats();
        assertThat(after.misses()).as("no read of the control plane for a cached tenant").isEqualTo(before.misses());
        assertThat(after.hits() - before.hits()).isEqualTo(100);

        catalog.transition(acme.id(), TenantState.ACTIVE);
        assertThat(catalog.require(acme.id()).state()).isEqualTo(TenantState.ACTIVE);
        assertThat(cache().stats().invalidations()).isGreaterThan(before.invalidations());
    }

    @Test
    void unknownIdsAreCachedAsAbsentInABoundedCacheThatKeepsTenantsInUse() {
        CachingTenantCatalog small = CachingTenantCatalog.builder(InMemoryTenantCatalog.create()).maximumSize(100)
                .build();
        try {
            Tenant hot = small.create(tenant("hot", "us-ca"));
            for (int i = 0; i < 50; i++) {
                assertThat(small.find(hot.id())).contains(hot);
            }
            TenantId garbage = TenantId.of("nobody");
            assertThat(small.find(garbage)).isEmpty();
            long misses = small.stats().misses();
            assertThat(small.find(garbage)).as("an unknown id is cached as absent").isEmpty();
            assertThat(small.stats().misses()).isEqualTo(misses);

            int hotMisses = 0;
            for (int i = 0; i < 5_000; i++) {
                assertThat(small.find(TenantId.of("garbage-" + i))).isEmpty();
                if (i % 10 == 0) { // the tenant stays in use during the flood
                    misses = small.stats().misses();
                    assertThat(small.find(hot.id())).contains(hot);
                    hotMisses += (int) (small.stats().misses() - misses);
                }
            }
            assertThat(small.stats().size()).as("5,000 garbage ids do not grow the cache past its bound")
                    .isLessThanOrEqualTo(100);
            assertThat(hotMisses).as("ids seen once did not evict the tenant in use").isZero();

            small.create(tenant("nobody", "us-ca"));
            assertThat(small.find(garbage)).as("creating it drops the cached absence").isPresent();
        } finally {
            small.close();
        }
    }

    @Test
    void aCachedCatalogIsNotCachedTwiceAndTheBoundIsChecked() {
        assertThatThrownBy(() -> CachingTenantCatalog.builder(catalog)).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("already cached");
        assertThatThrownBy(() -> CachingTenantCatalog.builder(InMemoryTenantCatalog.create())
                .staleness(Duration.ofHours(2))).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("between 10 ms and 1 hour");
        assertThatThrownBy(() -> CachingTenantCatalog.builder(InMemoryTenantCatalog.create()).maximumSize(0))
                .isInstanceOf(GeoValidationException.class);
    }

    @Test
    void theJdbcProviderCachesByDefaultAndTakesItsSettings() throws Exception {
        DataSource controlPlane = JdbcTenantCatalogTest.controlPlane(PostgresFixture.newDatabase("provider"));
        TenantCatalogProvider jdbc = Providers.fromClassPath().select(TenantCatalogProvider.class, "jdbc");

        TenantCatalog byDefault = jdbc.open(ProviderContext.builder().object(DataSource.class, controlPlane).build());
        try {
            assertThat(byDefault).isInstanceOf(CachingTenantCatalog.class);
            assertThat(((CachingTenantCatalog) byDefault).staleness()).isEqualTo(Duration.ofSeconds(1));
            assertThat(((CachingTenantCatalog) byDefault).catalog()).isInstanceOf(JdbcTenantCatalog.class);
        } finally {
            byDefault.close();
        }

        CachingTenantCatalog tuned = (CachingTenantCatalog) jdbc.open(ProviderContext.builder()
                .object(DataSource.class, controlPlane).settings(Map.of("cache.staleness", "PT0.25S",
                        "cache.maximum-size", "500", "cache.listen", "false")).build());
        try {
            assertThat(tuned.staleness()).isEqualTo(Duration.ofMillis(250));
            assertThat(tuned.stats().listening()).isFalse();
        } finally {
            tuned.close();
        }

        assertThat(jdbc.open(ProviderContext.builder().object(DataSource.class, controlPlane)
                .setting("cache", "false").build())).isInstanceOf(JdbcTenantCatalog.class);
        assertThatThrownBy(() -> jdbc.open(ProviderContext.builder().object(DataSource.class, controlPlane)
                .setting("cache.staleness", "PT2H").build())).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("cache.staleness");
        assertThatThrownBy(() -> jdbc.open(ProviderContext.builder().object(DataSource.class, controlPlane)
                .setting("cache.stalenes", "PT1S").build())).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("cache.stalenes");
    }
}
