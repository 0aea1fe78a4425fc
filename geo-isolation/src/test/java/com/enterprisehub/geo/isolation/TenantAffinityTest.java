package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.column;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant-affine borrowing: a connection a host closes is kept bound to its tenant for the tenant's next borrower,
 * which then needs no switch; it never serves another tenant unswitched, never outlives its close for the host,
 * and never makes anyone wait.
 */
class TenantAffinityTest {
    private static final SchemaMigrations LISTINGS = SchemaMigrations.of(List.of(new Migration(1, "listings",
            "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL DEFAULT '', title text)")));
    private static String db;
    private static TenantCatalog tenants;
    private static final List<Tenant> all = new ArrayList<>();
    private static TenantDataSource dataSource;

    @BeforeAll
    static void start() throws SQLException {
        db = PostgresFixture.newDatabase("affinity");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text)");
        }
        tenants = InMemoryTenantCatalog.create();
        for (int i = 0; i < 8; i++) {
            all.add(TenantWork.active(tenants, "aff-" + i, "us-ca", i % 2 == 0 ? IsolationLevel.BASIC
                    : IsolationLevel.ENHANCED));
        }
        dataSource = IsolationFixture.builder(tenants, IsolationFixture.endpoint("affinity", DeploymentRegion.US_EAST,
                db)).protectTable("listings").migrations(LISTINGS).maximumPoolSize(2).maxConnectionsPerTenant(2)
                .connectionTimeout(Duration.ofSeconds(3)).tenantAffinity(true).build();
        for (Tenant t : all) {
            dataSource.provision(t.id());
        }
    }

    @AfterAll
    static void stop() {
        dataSource.close();
    }

    @Test
    void theSameTenantsNextBorrowGetsItsSessionBackWithoutASwitch() throws Exception {
        Tenant a = all.get(0);
        waitUntilNothingIsParked();
        String pid = as(a, () -> {
            try (Connection c = dataSource.getConnection()) {
                return first(c, "SELECT pg_backend_pid()");
            }
        });
        EndpointStatistics before = dataSource.statistics().endpoint("affinity").orElseThrow();
        assertThat(before.parkedConnections()).isEqualTo(1);
        as(a, () -> {
            try (Connection c = dataSource.getConnection()) {
                assertThat(first(c, "SELECT pg_backend_pid()")).isEqualTo(pid);
            }
            return null;
        });
        EndpointStatistics after = dataSource.statistics().endpoint("affinity").orElseThrow();
        assertThat(after.borrows() - before.borrows()).isEqualTo(1);
        assertThat(after.switches() - before.switches()).as("no switch for the tenant's own parked session")
                .isZero();
    }

    @Test
    void aConnectionClosedByItsHostRefusesEveryCallWhileItsSessionIsParked() throws Exception {
        Tenant a = all.get(2);
        as(a, () -> {
            Connection c = dataSource.getConnection();
            Statement kept = c.createStatement();
            PreparedStatement keptPrepared = c.prepareStatement("SELECT 1");
            c.close();
            assertThat(c.isClosed()).isTrue();
            assertThat(c.isValid(1)).isFalse();
            for (ThrowingCall call : List.<ThrowingCall>of(() -> kept.execute("SELECT 1"), keptPrepared::executeQuery,
                    c::createStatement, () -> c.setAutoCommit(false), c::commit, c::rollback,
                    () -> c.prepareStatement("SELECT 1"), c::getMetaData)) {
                assertThatThrownBy(call::run).isInstanceOf(SQLException.class).hasMessageContaining("closed");
            }
            // and the tenant's next borrower gets a working session
            try (Connection next = dataSource.getConnection()) {
                assertThat(next.getAutoCommit()).isTrue();
                assertThat(first(next, "SELECT 1")).isEqualTo("1");
            }
            return null;
        });
    }

    @Test
    void aConnectionWhoseHostChangedItThroughJdbcGoesBackToThePoolToBeReset() throws Exception {
        Tenant a = all.get(4);
        waitUntilNothingIsParked();
        as(a, () -> {
            try (Connection c = dataSource.getConnection()) {
                c.setReadOnly(true);
            }
            assertThat(dataSource.statistics().endpoint("affinity").orElseThrow().parkedConnections()).isZero();
            try (Connection c = dataSource.getConnection()) {
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            }
            assertThat(dataSource.statistics().endpoint("affinity").orElseThrow().parkedConnections()).isZero();
            try (Connection c = dataSource.getConnection()) {          // as Spring leaves a read-only transaction
                c.setReadOnly(true);
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                first(c, "SELECT 1");
                c.commit();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
                c.setReadOnly(false);
            }
            assertThat(dataSource.statistics().endpoint("affinity").orElseThrow().parkedConnections())
                    .as("put back as it was handed out: parked").isEqualTo(1);
            try (Connection c = dataSource.getConnection()) {
                assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
            }
            try (Connection c = dataSource.getConnection()) {
                assertThat(c.isReadOnly()).isFalse();
                assertThat(first(c, "SHOW transaction_read_only")).isEqualTo("off");
            }
            return null;
        });
    }

    @Test
    void parkedSessionsGoBackToThePoolWithinTheirWindow() throws Exception {
        as(all.get(6), () -> {
            try (Connection c = dataSource.getConnection()) {
                return c.isValid(1);
            }
        });
        waitUntilNothingIsParked();
        assertThat(dataSource.statistics().endpoint("affinity").orElseThrow().parkedConnections()).isZero();
    }

    @Test
    void manyTenantsOnATinyPoolNeverWaitForAParkedConnectionAndOnlyEverSeeTheirOwnRows() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int thread = 0; thread < 6; thread++) {
            runs.add(pool.submit(() -> {
                int done = 0;
                for (int i = 0; i < 150; i++) {
                    // skewed: tenant 0 and 1 most of the time, so sessions are both reused and switched
                    Tenant t = all.get(ThreadLocalRandom.current().nextInt(10) < 6 ? i % 2
                            : ThreadLocalRandom.current().nextInt(all.size()));
                    try (TenantContext.Scope scope = TenantContext.open(t); Connection c = dataSource.getConnection()) {
                        if (i % 10 == 0) {
                            exec(c, "INSERT INTO listings (title) VALUES ('" + t.id() + "')");
                        }
                        List<String> seen = column(c, "SELECT DISTINCT tenant_id || ':' || title FROM listings");
                        for (String row : seen) {
                            if (!row.equals(t.id() + ":" + t.id()) && !row.equals(":" + t.id())) {
                                assertThat(row).as("tenant " + t.id() + " sees only its own rows").startsWith(
                                        t.id() + ":");
                            }
                        }
                        done++;
                    } catch (SQLTransientConnectionException e) {
                        throw new AssertionError("a borrower waited out its timeout: parking made it wait", e);
                    }
                }
                return done;
            }));
        }
        int total = 0;
        for (Future<Integer> run : runs) {
            total += run.get();
        }
        pool.shutdown();
        assertThat(total).isEqualTo(6 * 150);
        EndpointStatistics stats = dataSource.statistics().endpoint("affinity").orElseThrow();
        assertThat(stats.switchShare()).as("some borrows reused their tenant's session").isLessThan(1.0);
        System.out.printf("TenantAffinityTest: %d borrows, switch share %.2f%n", stats.borrows(), stats.switchShare());
    }

    private static void waitUntilNothingIsParked() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (dataSource.statistics().endpoint("affinity").orElseThrow().parkedConnections() > 0
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws SQLException;
    }
}
