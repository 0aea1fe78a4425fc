package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a lookup costs, bare {@link JdbcTenantCatalog} (a pooled query) against {@link CachingTenantCatalog} (a
 * hit), one thread, 200 tenants in turn, on geo-test's embedded PostgreSQL. Not a unit test (speed is never
 * asserted); the figures and the command are in docs/platform.md, "Catalog caching". Run:
 * <pre>
 * mvn -o -q -B -pl geo-platform test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp geo-platform/target/test-classes:geo-platform/target/classes:$(cat /tmp/cp.txt) \
 *     com.enterprisehub.geo.platform.CatalogCacheMeasurement
 * </pre>
 */
public final class CatalogCacheMeasurement {
    private CatalogCacheMeasurement() {
    }

    /** Prints the median of 5 rounds per catalog, in nanoseconds per lookup. */
    public static void main(String[] args) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(PostgresFixture.jdbcUrl(PostgresFixture.newDatabase("measure")));
        config.setUsername("postgres");
        config.setPassword("postgres");
        config.setMaximumPoolSize(4);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcTenantCatalog bare = JdbcTenantCatalog.open(pool, PlatformEvents.create(), Clock.systemUTC());
            List<TenantId> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ids.add(bare.create(Tenant.builder("tenant-" + i).market("us-ca").organization("Org " + i).build())
                        .id());
            }
            try (CachingTenantCatalog cached = CachingTenantCatalog.builder(bare).build()) {
                System.out.printf("bare JdbcTenantCatalog.find: %,d ns/lookup%n", median(bare, ids, 2_000));
                System.out.printf("CachingTenantCatalog.find:   %,d ns/lookup%n", median(cached, ids, 2_000_000));
                System.out.println(cached.stats());
            }
        }
        System.exit(0);
    }

    private static long median(TenantCatalog catalog, List<TenantId> ids, int lookups) {
        long[] rounds = new long[5];
        round(catalog, ids, lookups); // warm-up
        for (int r = 0; r < rounds.length; r++) {
            rounds[r] = round(catalog, ids, lookups);
        }
        Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }

    private static long round(TenantCatalog catalog, List<TenantId> ids, int lookups) {
        long found = 0;
        long start = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            found += catalog.find(ids.get(i % ids.size())).isPresent() ? 1 : 0;
        }
        long perLookup = (System.nanoTime() - start) / lookups;
        if (found != lookups) {
            throw new IllegalStateException("missing tenants");
        }
        return perLookup;
    }
}
