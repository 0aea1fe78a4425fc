package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 200 MAXIMUM tenants (25 times the pool cap), each with its own database, touched in turn: open pools and connections stay under
 * their caps, the least recently used idle pools are closed, and when every open pool is busy a new tenant
 * waits and then gets a clear error.
 */
class ManyTenantPoolsTest {
    private static final int TENANTS = 200;
    private static final int MAX_POOLS = 8;
    private static final int POOL_SIZE = 2;

    private static TenantCatalog tenants;
    private static TenantDataSource dataSource;
    private static final List<Tenant> ALL = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        String db = PostgresFixture.newDatabase("many");
        tenants = InMemoryTenantCatalog.create();
        dataSource = IsolationFixture.builder(tenants, IsolationFixture.endpoint("us-shared", DeploymentRegion.US_WEST, db))
                .migrations(SchemaMigrations.of(List.of(MaximumIsolationTest.LISTINGS))).maxTenantPools(MAX_POOLS)
                .tenantPoolSize(POOL_SIZE).connectionTimeout(Duration.ofSeconds(3)).build();
        for (int i = 1; i <= TENANTS; i++) {
            ALL.add(TenantWork.active(tenants, String.format("many%03d", i), "us-ca", IsolationLevel.MAXIMUM));
        }
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Tenant t : ALL) {
                done.add(pool.submit(() -> dataSource.provision(t.id())));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        System.out.printf("Provisioned %d MAXIMUM tenants (a database each) in %.1f s%n", TENANTS,
                (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    static void stop() throws Exception {
        List<String> databases = ALL.stream().map(t -> dataSource.placement(t.id()).orElseThrow().location()).toList();
        dataSource.close();
        try (Connection admin = PostgresFixture.admin("postgres")) { // free the disk (about 7 MB per database)
            for (String database : databases) {
                exec(admin, "DROP DATABASE IF EXISTS " + database);
            }
        }
    }


    @Test
    void touchingEveryTenantInTurnKeepsPoolsAndConnectionsUnderTheirCaps() throws Exception {
        long started = System.nanoTime();
        int maxOpen = 0;
        long maxConnections = 0;
        try (Connection admin = PostgresFixture.admin("postgres")) {
            for (int i = 0; i < ALL.size(); i++) {
                Tenant t = ALL.get(i);
                assertThat(as(t, () -> {
                    try (Connection c = dataSource.getConnection()) {
                        exec(c, "INSERT INTO listings (title) VALUES ('" + t.id() + "')");
                        return first(c, "SELECT current_database()");
                    }
                })).isEqualTo(dataSource.placement(t.id()).orElseThrow().location());
                maxOpen = Math.max(maxOpen, dataSource.openTenantPools());
                assertThat(dataSource.openTenantPools()).isLessThanOrEqualTo(MAX_POOLS);
                if (i % 25 == 0 || i == ALL.size() - 1) {
                    long connections = Long.parseLong(first(admin, "SELECT count(*) FROM pg_stat_activity"
                            + " WHERE usename IN (" + ALL.stream().map(x -> "'" + dataSource.placement(x.id())
                                    .orElseThrow().location() + "'").collect(java.util.stream.Collectors.joining(", "))
                            + ")"));
                    maxConnections = Math.max(maxConnections, connections);
                    assertThat(connections).isLessThanOrEqualTo((long) MAX_POOLS * POOL_SIZE);
                }
            }
        }
        System.out.printf("Touched %d MAXIMUM tenants in %.1f s: at most %d pools open (cap %d), at most %d tenant"
                + " connections seen (cap %d)%n", TENANTS, (System.nanoTime() - started) / 1e9, maxOpen, MAX_POOLS,
                maxConnections, MAX_POOLS * POOL_SIZE);
        assertThat(maxOpen).isEqualTo(MAX_POOLS);
        // The first tenant's pool was closed long ago; using it again opens it again, and its data is there.
        assertThat(as(ALL.get(0), () -> {
            try (Connection c = dataSource.getConnection()) {
                return first(c, "SELECT count(*) FROM listings");
            }
        })).isEqualTo("1");
    }

    @Test
    void whenEveryOpenPoolIsBusyANewTenantWaitsThenGetsAClearError() throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_POOLS; i++) {
                Tenant t = ALL.get(50 + i);
                held.add(as(t, () -> dataSource.getConnection()));
            }
            Tenant late = ALL.get(100);
            assertThatThrownBy(() -> as(late, () -> dataSource.getConnection()))
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("All " + MAX_POOLS + " tenant pools").hasMessageContaining("maxTenantPools");
            held.remove(0).close(); // one pool becomes idle: it is closed for the newcomer
            try (Connection c = as(late, () -> dataSource.getConnection())) {
                assertThat(c.isValid(1)).isTrue();
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    @Test
    void aBusyPoolIsNeverClosedUnderItsBorrower() throws SQLException {
        Tenant first = ALL.get(150);
        try (Connection c = as(first, () -> dataSource.getConnection())) {
            for (int i = 0; i < 3 * MAX_POOLS; i++) { // open and close many other pools meanwhile
                Tenant other = ALL.get(160 + i);
                as(other, () -> {
                    dataSource.getConnection().close();
                    return null;
                });
            }
            as(first, () -> {
                assertThat(first(c, "SELECT count(*) FROM listings")).isNotNull();
                return null;
            });
        }
    }
}
