package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.market.DataResidency;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.isolation.internal.MoveJournal;
import com.enterprisehub.geo.isolation.micrometer.IsolationMetrics;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TenantDataSource#addEndpoint}: a second PostgreSQL server joins a running data source while its tenants are
 * being served (no borrow fails), the placement planner fills it, the moves run on the same data source, and an
 * instance built later on the same control planes routes the moved tenants to the new server. A duplicate name and an
 * endpoint that fails its self-check are refused and leave nothing behind.
 */
class AddEndpointTest {
    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "listings",
            "CREATE TABLE listings (id bigserial PRIMARY KEY, title text NOT NULL)"));
    private static final DataResidency US = DataResidency.within(Set.of(DeploymentRegion.US_WEST,
            DeploymentRegion.US_EAST), "test: United States only");
    private static final String SHARED_TABLE = "CREATE TABLE listings (tenant_id text NOT NULL, id bigserial,"
            + " title text NOT NULL, PRIMARY KEY (tenant_id, id))";

    private static EmbeddedPostgres second;
    private static String main;

    @BeforeAll
    static void start() throws Exception {
        main = PostgresFixture.newDatabase("add_main");
        try (Connection c = PostgresFixture.admin(main)) {
            exec(c, SHARED_TABLE);
        }
        second = PostgresFixture.start();
        try (Connection c = superuser("postgres")) {
            exec(c, "CREATE ROLE " + PostgresFixture.APP_ROLE + " LOGIN PASSWORD 'app'");
            exec(c, "CREATE DATABASE spare");
            // misconfigured at first: the application role may create temporary tables (the self-check refuses it)
            exec(c, "GRANT TEMPORARY ON DATABASE spare TO PUBLIC");
        }
        try (Connection c = superuser("spare")) {
            exec(c, SHARED_TABLE);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aServerAddedAtRunTimeIsPlannedFilledAndRoutedWhileTenantsAreServed() throws Exception {
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Map<Tenant, Integer> rows = new LinkedHashMap<>();
        // sizes the planner balances by moving one tenant of each level to the new server (cedar stays)
        rows.put(TenantWork.active(tenants, "alder", "us-ca", IsolationLevel.BASIC), 30);
        rows.put(TenantWork.active(tenants, "birch", "us-ca", IsolationLevel.ENHANCED), 10);
        rows.put(TenantWork.active(tenants, "cedar", "us-ca", IsolationLevel.BASIC), 30);
        rows.put(TenantWork.active(tenants, "dogwood", "us-ny", IsolationLevel.MAXIMUM), 10);
        Set<String> observedEndpoints = ConcurrentHashMap.newKeySet();
        ConnectionObserver observer = new ConnectionObserver() {
            @Override
            public void borrowed(Borrow borrow) {
                observedEndpoints.add(borrow.endpoint());
            }
        };

        TenantDataSource ds = builder(tenants).observer(observer).build();
        try {
            for (Map.Entry<Tenant, Integer> e : rows.entrySet()) {
                ds.provision(e.getKey().id(), "main");
                insert(ds, e.getKey(), e.getValue());
            }
            assertThat(ds.sharedEndpoints()).containsOnlyKeys("main");
            // another instance, running all along, that adds the endpoint only after the moves
            TenantDataSource other = builder(tenants).connectionTimeout(Duration.ofSeconds(1)).build();

            // Tenants served by two threads while endpoints are added; one connection stays open across the adds.
            Borrowers borrowers = new Borrowers(ds, rows);
            borrowers.start(2);
            Tenant alder = rows.keySet().iterator().next();
            TenantContext.Scope held = TenantContext.open(alder);
            try (Connection open = ds.getConnection()) {
                open.setAutoCommit(false);
                assertThat(Long.parseLong(first(open, "SELECT count(*) FROM listings"))).isEqualTo(30);
                borrowers.awaitBorrows(40);

                // A name already used is refused, with nothing changed.
                assertThatThrownBy(() -> ds.addEndpoint(spare("main")))
                        .isInstanceOf(IsolationException.class).isNotInstanceOf(SelfCheckException.class)
                        .hasMessageContaining("'main'").hasMessageContaining("already registered");

                // A server that fails its self-check is refused, says why, and is absent afterwards.
                long before = borrowers.borrows();
                assertThatThrownBy(() -> ds.addEndpoint(spare("spare")))
                        .isInstanceOf(SelfCheckException.class).hasMessageContaining("spare")
                        .hasMessageContaining("temporary tables");
                assertThat(ds.sharedEndpoints()).containsOnlyKeys("main");
                assertThat(ds.statistics().endpoint("spare")).isEmpty();
                assertThatThrownBy(() -> ds.move(rows.keySet().stream().toList().get(2).id(), IsolationLevel.BASIC,
                        "spare")).hasMessageContaining("No endpoint 'spare'");

                // Fixed, the same name is accepted: the refusal kept nothing reserved.
                try (Connection c = superuser("postgres")) {
                    exec(c, "REVOKE TEMPORARY ON DATABASE spare FROM PUBLIC");
                }
                ds.addEndpoint(spare("spare"));
                long during = borrowers.borrows() - before;
                borrowers.awaitBorrows(borrowers.borrows() + 20);
                assertThat(during).as("borrows that completed while the endpoints were being added").isPositive();
                assertThat(ds.sharedEndpoints()).containsExactly(Map.entry("main", DeploymentRegion.US_WEST),
                        Map.entry("spare", DeploymentRegion.US_EAST));
                assertThat(ds.statistics().endpoint("spare")).isPresent();
                assertThatThrownBy(() -> ds.addEndpoint(spare("spare"))).isInstanceOf(IsolationException.class)
                        .hasMessageContaining("already registered");

                // the connection borrowed before the adds still works
                assertThat(Long.parseLong(first(open, "SELECT count(*) FROM listings"))).isEqualTo(30);
                open.commit();
            } finally {
                held.close();
                borrowers.stop();
            }
            assertThat(borrowers.failures()).as("borrows that failed while endpoints were added").isEmpty();

            // The planner's input comes from the running data source, the new endpoint included.
            PlacementPlanner.Builder planner = PlacementPlanner.builder();
            Map<String, Long> capacity = Map.of("main", 200L, "spare", 300L);
            ds.sharedEndpoints().forEach((name, region) -> planner.endpoint(name, region, capacity.get(name)));
            for (Tenant t : rows.keySet()) {
                planner.tenant(t.id(), count(ds, t), ds.placement(t.id()).orElseThrow().endpoint(), US);
            }
            PlacementPlan plan = planner.build().plan();
            assertThat(plan.utilizationBefore()).containsEntry("main", 0.4).containsEntry("spare", 0.0);
            assertThat(plan.moves()).allSatisfy(m -> assertThat(m.to()).isEqualTo("spare"))
                    .extracting(m -> m.tenant().value()).containsExactlyInAnyOrder("alder", "birch", "dogwood");
            for (PlacementPlan.Move move : plan.moves()) {
                IsolationLevel level = tenants.require(move.tenant()).isolationLevel();
                assertThat(ds.move(move.tenant(), level, move.to()).to().endpoint()).isEqualTo("spare");
            }
            Map<Tenant, String> planned = new LinkedHashMap<>();
            for (Map.Entry<Tenant, Integer> e : rows.entrySet()) {
                Tenant t = e.getKey();
                String to = plan.moves().stream().filter(m -> m.tenant().equals(t.id())).map(PlacementPlan.Move::to)
                        .findFirst().orElse("main");
                planned.put(t, to);
                assertThat(ds.placement(t.id()).orElseThrow().endpoint()).as(t.id().value()).isEqualTo(to);
                assertThat(count(ds, t)).as("rows of " + t.id()).isEqualTo(e.getValue().longValue());
                assertThat(port(ds, t)).as("server of " + t.id()).isEqualTo(to.equals("spare") ? second.getPort()
                        : PostgresFixture.server().getPort());
            }
            assertThat(planned).containsValue("spare");

            // The other instance still has the tenants where they were; once it adds the endpoint, the placements its
            // control plane records are routable there at once.
            try (other) {
                // until it has the endpoint, it cannot serve a tenant moved there (its old endpoint refuses it)
                assertThatThrownBy(() -> count(other, alder)).isInstanceOf(SQLException.class);
                assertThat(other.placement(alder.id()).orElseThrow().endpoint()).isEqualTo("main");
                other.addEndpoint(spare("spare"));
                for (Map.Entry<Tenant, String> e : planned.entrySet()) {
                    assertThat(other.placement(e.getKey().id()).orElseThrow().endpoint()).as(e.getKey().id().value())
                            .isEqualTo(e.getValue());
                }
                for (Tenant t : planned.keySet()) {
                    assertThat(count(other, t)).as("rows of " + t.id()).isEqualTo(rows.get(t).longValue());
                }
            }
            assertThat(observedEndpoints).contains("main", "spare");
            // alder and birch (BASIC, ENHANCED) borrow from the new endpoint's shared pool
            assertThat(ds.statistics().endpoint("spare").orElseThrow().borrows()).isPositive();

            // A new tenant may be placed on the new endpoint by name.
            Tenant elm = TenantWork.active(tenants, "elm", "us-ny", IsolationLevel.BASIC);
            assertThat(ds.provision(elm.id(), "spare").endpoint()).isEqualTo("spare");
            insert(ds, elm, 5);
            planned.put(elm, "spare");
            rows.put(elm, 5);

            // Closing the data source closes the new endpoint's pools too.
            assertThat(sessions()).as("sessions of the data source on the new server").isPositive();
            ds.close();
            awaitNoSessions();

            // Another instance, built later on the same control planes, routes every tenant where the moves put it.
            try (TenantDataSource later = builder(tenants).endpoint(spare("spare")).build()) {
                for (Map.Entry<Tenant, String> e : planned.entrySet()) {
                    Tenant t = e.getKey();
                    assertThat(later.placement(t.id()).orElseThrow().endpoint()).as(t.id().value())
                            .isEqualTo(e.getValue());
                    assertThat(count(later, t)).as("rows of " + t.id()).isEqualTo(rows.get(t).longValue());
                    assertThat(port(later, t)).as("server of " + t.id()).isEqualTo(e.getValue().equals("spare")
                            ? second.getPort() : PostgresFixture.server().getPort());
                }
            }
        } finally {
            ds.close();
        }
    }

    @Test
    void addingToAClosedDataSourceIsRefused() {
        TenantDataSource ds = builder(InMemoryTenantCatalog.create()).build();
        ds.close();
        assertThatThrownBy(() -> ds.addEndpoint(spare("late"))).isInstanceOf(IsolationException.class)
                .hasMessageContaining("closed");
        assertThat(ds.sharedEndpoints()).containsOnlyKeys("main");
    }

    @Test
    void twoAddsOfOneNameWhileAMoveHasItsTenantFrozenAddItOnceAndDisturbNothing() throws Exception {
        String db = PostgresFixture.newDatabase("add_twin");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, SHARED_TABLE);
        }
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Tenant fir = TenantWork.active(tenants, "fir", "us-ca", IsolationLevel.BASIC);
        Tenant pine = TenantWork.active(tenants, "pine", "us-ca", IsolationLevel.BASIC);
        try (TenantDataSource ds = builder(tenants).build()) {
            for (Tenant t : List.of(fir, pine)) {
                ds.provision(t.id(), "main");
                insert(ds, t, 5);
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new IsolationMetrics(ds).bindTo(registry);
            CyclicBarrier together = new CyclicBarrier(2);
            List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger added = new AtomicInteger();
            AtomicLong pineSaw = new AtomicLong(-1);
            // fir's move runs this once its writes are frozen: two threads add one endpoint name at once, and another
            // tenant is served meanwhile
            ds.moveJournal().runBefore(MoveJournal.Step.VERIFIED, () -> {
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    Thread t = new Thread(() -> {
                        try {
                            together.await(10, TimeUnit.SECONDS);
                            ds.addEndpoint(IsolationFixture.endpoint("twin", DeploymentRegion.US_EAST, db));
                            added.incrementAndGet();
                        } catch (Exception | Error e) {
                            refused.add(e);
                        }
                    });
                    t.start();
                    threads.add(t);
                }
                try {
                    pineSaw.set(count(ds, pine));
                    for (Thread t : threads) {
                        t.join(TimeUnit.SECONDS.toMillis(30));
                    }
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            MoveResult moved = ds.move(fir.id(), IsolationLevel.ENHANCED, "main");
            assertThat(moved.to().level()).isEqualTo(IsolationLevel.ENHANCED);
            assertThat(count(ds, fir)).isEqualTo(5);
            assertThat(pineSaw).hasValue(5);

            assertThat(added).hasValue(1);
            assertThat(refused).singleElement().isInstanceOf(IsolationException.class)
                    .extracting(Throwable::getMessage).asString().contains("'twin'");
            assertThat(ds.sharedEndpoints()).containsOnlyKeys("main", "twin");
            assertThat(ds.statistics().endpoints()).extracting(EndpointStatistics::endpoint)
                    .containsExactly("main", "twin");
            assertThat(ds.selfCheck()).containsOnlyKeys("main", "twin").allSatisfy((name, f) -> assertThat(f).isEmpty());

            // Micrometer meters are registered per endpoint when bound: binding again adds the new endpoint's, once.
            assertThat(registry.find("geo.isolation.borrows").tag("endpoint", "twin").functionCounter()).isNull();
            new IsolationMetrics(ds).bindTo(registry);
            assertThat(registry.find("geo.isolation.borrows").tag("endpoint", "twin").functionCounters()).hasSize(1);
            assertThat(registry.find("geo.isolation.borrows").tag("endpoint", "main").functionCounters()).hasSize(1);
        }
    }

    /** Runs borrows of random tenants on a few threads, each checking it sees exactly its tenant's rows. */
    private static final class Borrowers {
        private final TenantDataSource ds;
        private final List<Map.Entry<Tenant, Integer>> tenants;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong borrows = new AtomicLong();
        private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        private final List<Thread> threads = new ArrayList<>();

        Borrowers(TenantDataSource ds, Map<Tenant, Integer> rows) {
            this.ds = ds;
            this.tenants = List.copyOf(rows.entrySet());
        }

        void start(int n) {
            for (int i = 0; i < n; i++) {
                int offset = i;
                Thread t = new Thread(() -> {
                    int k = offset;
                    while (running.get()) {
                        Map.Entry<Tenant, Integer> e = tenants.get(k++ % tenants.size());
                        try {
                            long seen = count(ds, e.getKey());
                            if (seen != e.getValue()) {
                                failures.add(new AssertionError(e.getKey().id() + " saw " + seen + " rows, not "
                                        + e.getValue()));
                            }
                            borrows.incrementAndGet();
                        } catch (SQLException | RuntimeException failed) {
                            failures.add(failed);
                        }
                    }
                }, "borrower-" + i);
                t.start();
                threads.add(t);
            }
        }

        long borrows() {
            return borrows.get();
        }

        void awaitBorrows(long n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (borrows.get() < n && failures.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + borrows.get() + " borrows within 20 s");
                }
                Thread.sleep(5);
            }
        }

        List<Throwable> failures() {
            return failures;
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }

    private static TenantDataSource.Builder builder(TenantCatalog tenants) {
        return IsolationFixture.builder(tenants, IsolationFixture.endpoint("main", DeploymentRegion.US_WEST, main))
                .migrations(SchemaMigrations.of(MIGRATIONS)).protectTable("listings").maximumPoolSize(4);
    }

    /** The endpoint {@code name} on the second server's database {@code spare}. */
    private static DatabaseEndpoint spare(String name) {
        return new DatabaseEndpoint(name, DeploymentRegion.US_EAST, url("spare"),
                new Credentials("postgres", "postgres"), new Credentials(PostgresFixture.APP_ROLE, "app"));
    }

    private static String url(String database) {
        return "jdbc:postgresql://localhost:" + second.getPort() + "/" + database;
    }

    private static Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(url(database), "postgres", "postgres");
    }

    /** How many sessions of the application role and of tenant login roles the second server has. */
    private static long sessions() throws SQLException {
        try (Connection c = superuser("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = '"
                        + PostgresFixture.APP_ROLE + "' OR usename LIKE 'geo\\_t%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Waits (up to 10 s) until the second server has no session of the application role or a tenant's role. */
    private static void awaitNoSessions() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sessions() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(sessions() + " sessions of the closed data source are still open on the"
                        + " new server");
            }
            Thread.sleep(20);
        }
    }

    private static void insert(TenantDataSource ds, Tenant tenant, int n) throws SQLException {
        as(tenant, () -> {
            try (Connection c = ds.getConnection()) {
                exec(c, "INSERT INTO listings (title) SELECT 'listing ' || g FROM generate_series(1, " + n + ") g");
            }
            return null;
        });
    }

    private static long count(TenantDataSource ds, Tenant tenant) throws SQLException {
        return as(tenant, () -> {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM listings")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static int port(TenantDataSource ds, Tenant tenant) throws SQLException {
        return as(tenant, () -> {
            try (Connection c = ds.getConnection()) {
                return Integer.parseInt(first(c, "SELECT inet_server_port()"));
            }
        });
    }
}
