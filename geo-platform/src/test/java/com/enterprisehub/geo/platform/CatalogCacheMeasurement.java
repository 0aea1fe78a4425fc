package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
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
 * What a lookup costs, and a borrow from a {@link TenantDataSource} over each catalog; what a lookup costs, bare {@link JdbcTenantCatalog} (a pooled query) against {@link CachingTenantCatalog} (a
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
                borrows(bare, cached);
            }
        }
        System.exit(0);
    }

    /**
     * One borrow (bind, getConnection, one query, close) of a BASIC tenant from a TenantDataSource whose catalog is
     * in memory, the bare JDBC catalog, or the cached one; rounds interleaved, median per catalog.
     */
    private static void borrows(JdbcTenantCatalog bare, CachingTenantCatalog cached) throws Exception {
        String data = PostgresFixture.newDatabase("measure_data");
        try (java.sql.Connection c = PostgresFixture.admin(data)) {
            PostgresFixture.exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL,"
                    + " title text NOT NULL)");
        }
        InMemoryTenantCatalog memory = InMemoryTenantCatalog.create();
        Tenant tenant = memory.create(Tenant.builder("measured").market("us-ca").organization("Measured").build());
        bare.create(tenant);
        TenantCatalog[] catalogs = {memory, bare, cached};
        String[] names = {"InMemoryTenantCatalog", "JdbcTenantCatalog (bare)", "CachingTenantCatalog"};
        List<TenantDataSource> sources = new ArrayList<>();
        try {
            for (TenantCatalog catalog : catalogs) {
                TenantDataSource db = Endpoints.builder(catalog, Endpoints.endpoint("us", DeploymentRegion.US_WEST,
                        data)).protectTable("listings").build();
                sources.add(db);
                db.provision(tenant.id());
            }
            memory.transition(tenant.id(), TenantState.ACTIVE);
            cached.transition(tenant.id(), TenantState.ACTIVE);
            Tenant active = memory.require(tenant.id());
            long[][] rounds = new long[catalogs.length][7];
            for (int r = 0; r < 7; r++) {
                for (int i = 0; i < catalogs.length; i++) {
                    rounds[i][r] = borrowRound(sources.get(i), active, 2_000);
                }
            }
            for (int i = 0; i < catalogs.length; i++) {
                long[] sorted = Arrays.copyOfRange(rounds[i], 1, 7); // the first round warms up
                Arrays.sort(sorted);
                System.out.printf("borrow + 1 query, catalog %-26s %,d ns/borrow%n", names[i],
                        sorted[sorted.length / 2]);
            }
        } finally {
            sources.forEach(TenantDataSource::close);
        }
    }

    private static long borrowRound(TenantDataSource db, Tenant tenant, int borrows) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < borrows; i++) {
            try (TenantContext.Scope scope = TenantContext.open(tenant); java.sql.Connection c = db.getConnection();
                 java.sql.Statement s = c.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM listings")) {
                rs.next();
            }
        }
        return (System.nanoTime() - start) / borrows;
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
