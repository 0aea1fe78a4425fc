package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.spi.TenantCatalog;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL server restarts in the middle of a workload. Afterwards the pools recover, every row
 * whose insert returned is there, and no connection comes back bound to the wrong tenant.
 */
class ServerRestartTest {
    private static final int TENANTS = 6;
    private static final int THREADS = 4;

    @Test
    void theDataSourceRecoversFromARestartWithoutLosingOrMixingRows() throws Exception {
        Path dataDir = Files.createTempDirectory("geo-restart");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EmbeddedPostgres server = start(dataDir, port);
        String url = "jdbc:postgresql://localhost:" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
            exec(c, "CREATE ROLE " + PostgresFixture.APP_ROLE + " LOGIN PASSWORD 'app'");
            exec(c, "REVOKE TEMPORARY ON DATABASE postgres FROM PUBLIC");
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)");
        }
        TenantCatalog tenants = TenantCatalog.inMemory();
        List<Tenant> all = new ArrayList<>();
        for (int i = 0; i < TENANTS; i++) {
            all.add(tenants.create(Tenant.builder("restart-" + i).market("us-ca").organization("Org " + i)
                    .state(TenantState.ACTIVE).build()));
        }
        Map<Long, String> committed = new ConcurrentHashMap<>();
        AtomicLong leaks = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong afterRestart = new AtomicLong();
        AtomicBoolean restarted = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        DatabaseEndpoint endpoint = new DatabaseEndpoint("restarting", DeploymentRegion.US_WEST, url,
                new Credentials("postgres", "postgres"), new Credentials(PostgresFixture.APP_ROLE, "app"));
        try (TenantDataSource ds = PostgresFixture.builder(tenants, endpoint)
                .protectTable("listings").maximumPoolSize(4).maxConnectionsPerTenant(2).build()) {
            all.forEach(t -> ds.provision(t.id()));
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                int worker = w;
                workers.add(pool.submit(() -> {
                    for (long n = 0; !stop.get(); n++) {
                        Tenant me = all.get((int) ((n + worker) % TENANTS));
                        boolean after = restarted.get();
                        TenantContext.run(me, () -> {
                            try (Connection c = ds.getConnection()) {
                                try (PreparedStatement ps = c.prepareStatement(
                                        "INSERT INTO listings (title) VALUES (?) RETURNING id, tenant_id")) {
                                    ps.setString(1, me.id() + ":row");
                                    try (ResultSet rs = ps.executeQuery()) {
                                        rs.next();
                                        committed.put(rs.getLong(1), me.id().value()); // autocommit: it is durable
                                        if (!rs.getString(2).equals(me.id().value())) {
                                            leaks.incrementAndGet();
                                        }
                                    }
                                }
                                try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT tenant_id FROM listings");
                                        ResultSet rs = ps.executeQuery()) {
                                    while (rs.next()) {
                                        if (!rs.getString(1).equals(me.id().value())) {
                                            leaks.incrementAndGet();
                                        }
                                    }
                                }
                                if (after) {
                                    afterRestart.incrementAndGet();
                                }
                            } catch (SQLException e) {
                                failures.incrementAndGet(); // the server is down or the connection broke
                            }
                        });
                    }
                    return null;
                }));
            }
            waitFor(committed, 300);
            server.close(); // a clean ("fast") shutdown, as a managed service's restart does
            restarted.set(true);
            Thread.sleep(500);
            server = start(dataDir, port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (afterRestart.get() < 300 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            stop.set(true);
            pool.shutdown();
            for (Future<?> f : workers) {
                f.get(2, TimeUnit.MINUTES);
            }
            assertThat(afterRestart.get()).as("operations that succeeded after the restart").isGreaterThanOrEqualTo(300);
            assertThat(failures.get()).as("operations that failed while the server was down").isPositive();

            try (Connection admin = ds.controlPlaneConnection("restarting");
                    PreparedStatement ps = admin.prepareStatement("SELECT id, tenant_id FROM listings");
                    ResultSet rs = ps.executeQuery()) {
                Map<Long, String> stored = new ConcurrentHashMap<>();
                while (rs.next()) {
                    stored.put(rs.getLong(1), rs.getString(2));
                }
                Set<Long> lost = new java.util.HashSet<>(committed.keySet());
                lost.removeAll(stored.keySet());
                assertThat(lost).as("rows whose insert returned but are gone").isEmpty();
                committed.forEach((id, tenant) -> assertThat(stored.get(id)).isEqualTo(tenant));
                System.out.printf("Restart run: %d rows committed, %d operations failed during the outage, %d succeeded"
                        + " after it, %d lost, %d leaks%n", committed.size(), failures.get(), afterRestart.get(),
                        lost.size(), leaks.get());
            }
        } finally {
            server.close();
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        assertThat(leaks.get()).isZero();
    }

    private static EmbeddedPostgres start(Path dataDir, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
    }

    private static void waitFor(Map<Long, String> committed, int rows) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (committed.size() < rows && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(committed.size()).isGreaterThanOrEqualTo(rows);
    }
}
