package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Noisy neighbours: three tenants hold their connection caps with slow statements ({@code pg_sleep}), and their
 * caps add up to more than the pool (3 x 4 on a pool of 8). A quiet tenant's point queries must not wait for their
 * connections. Measured both ways on the same server: with the pool's fair-share reserve (the default) and with it
 * turned off, so the test shows the reserve is what keeps the quiet tenant fast.
 */
class FairShareTest {
    private static final int POOL = 8;
    private static final int CAP = 4;
    /** How long a noisy statement sleeps: what a quiet borrower waits when it queues behind one. */
    private static final double NOISY_SLEEP_SECONDS = 0.2;
    private static final int QUIET_QUERIES = 150;
    /** Fewer without the reserve: each waits for a noisy statement, and the point is made in a few. */
    private static final int QUIET_QUERIES_WITHOUT_RESERVE = 30;

    private static String db;
    private static TenantCatalog tenants;
    private static final List<Tenant> noisy = new ArrayList<>();
    private static Tenant quiet;

    @BeforeAll
    static void start() throws SQLException {
        db = PostgresFixture.newDatabase("fairshare");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text)");
        }
        tenants = InMemoryTenantCatalog.create();
        for (int i = 1; i <= 3; i++) {
            noisy.add(tenants.create(Tenant.builder("noisy-" + i).market("us-ca").organization("Noisy " + i)
                    .state(TenantState.ACTIVE).build()));
        }
        quiet = tenants.create(Tenant.builder("quiet").market("us-ca").organization("Quiet").state(TenantState.ACTIVE)
                .build());
    }

    @Test
    void aQuietTenantKeepsItsLatencyWhileNoisyTenantsHoldTheirCaps() throws Exception {
        long[] withReserve;
        IsolationStatistics stats;
        try (TenantDataSource fair = dataSource(-1)) {
            withReserve = quietLatenciesUnderNoise(fair, QUIET_QUERIES);
            stats = fair.statistics();
        }
        long[] withoutReserve;
        try (TenantDataSource unfair = dataSource(0)) {
            withoutReserve = quietLatenciesUnderNoise(unfair, QUIET_QUERIES_WITHOUT_RESERVE);
        }
        long p99With = percentile(withReserve, 0.99);
        long p99Without = percentile(withoutReserve, 0.99);
        System.out.printf("FairShareTest: quiet tenant p50/p99/max with the reserve %.1f/%.1f/%.1f ms, without it"
                + " %.1f/%.1f/%.1f ms (%d and %d queries; noisy tenants 3 x %d threads sleeping %.1f s on a pool of %d)%n",
                ms(percentile(withReserve, 0.5)), ms(p99With), ms(percentile(withReserve, 1.0)),
                ms(percentile(withoutReserve, 0.5)), ms(p99Without), ms(percentile(withoutReserve, 1.0)),
                QUIET_QUERIES, QUIET_QUERIES_WITHOUT_RESERVE, CAP, NOISY_SLEEP_SECONDS, POOL);
        // Without the reserve the quiet tenant queues behind noisy statements: the test can tell the difference.
        assertThat(Duration.ofNanos(p99Without)).as("without the reserve, the quiet tenant waits behind pg_sleep")
                .isGreaterThan(Duration.ofMillis(100));
        // The goal: p99 under 50 ms whatever noisy tenants do. A point query on loopback takes about 1 ms.
        assertThat(Duration.ofNanos(p99With)).as("quiet tenant's p99 with the fair-share reserve")
                .isLessThan(Duration.ofMillis(50));
        EndpointStatistics endpoint = stats.endpoint("fairshare").orElseThrow();
        assertThat(endpoint.waits()).as("the noisy tenants were the ones made to wait").isPositive();
        assertThat(endpoint.borrows()).isGreaterThanOrEqualTo(QUIET_QUERIES);
    }

    private static TenantDataSource dataSource(int reserved) {
        TenantDataSource.Builder builder = IsolationFixture.builder(tenants,
                IsolationFixture.endpoint("fairshare", DeploymentRegion.US_EAST, db)).protectTable("listings")
                .maximumPoolSize(POOL).maxConnectionsPerTenant(CAP).connectionTimeout(Duration.ofSeconds(20));
        if (reserved >= 0) {
            builder.reservedConnections(reserved);
        }
        TenantDataSource dataSource = builder.build();
        for (Tenant t : tenants.list()) {
            dataSource.provision(t.id());
        }
        return dataSource;
    }

    /** The quiet tenant's borrow-and-query latencies in nanoseconds while the noisy tenants run. */
    private static long[] quietLatenciesUnderNoise(TenantDataSource dataSource, int queries) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong noisyStatements = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(noisy.size() * CAP);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (Tenant tenant : noisy) {
                for (int i = 0; i < CAP; i++) {
                    running.add(pool.submit(() -> {
                        TenantContext.run(tenant, () -> {
                            while (!stop.get()) {
                                try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                                    s.execute("SELECT pg_sleep(" + NOISY_SLEEP_SECONDS + ")");
                                    noisyStatements.incrementAndGet();
                                } catch (SQLException e) {
                                    throw new AssertionError(e);
                                }
                            }
                        });
                        return null;
                    }));
                }
            }
            // Let the noisy tenants fill the pool first.
            while (noisyStatements.get() < noisy.size() * CAP) {
                Thread.sleep(20);
            }
            long[] latencies = new long[queries];
            try (TenantContext.Scope scope = TenantContext.open(quiet)) {
                for (int i = 0; i < queries; i++) {
                    long start = System.nanoTime();
                    try (Connection c = dataSource.getConnection();
                            PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM listings WHERE id = ?")) {
                        ps.setLong(1, i);
                        try (ResultSet rs = ps.executeQuery()) {
                            assertThat(rs.next()).isTrue();
                        }
                    }
                    latencies[i] = System.nanoTime() - start;
                    Thread.sleep(5); // a request now and then, not a tight loop
                }
            }
            return latencies;
        } finally {
            stop.set(true);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (Future<?> f : running) {
                f.get(); // a noisy thread's failure fails the test
            }
        }
    }

    private static long percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
