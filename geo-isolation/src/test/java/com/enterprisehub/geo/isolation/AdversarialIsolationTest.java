package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many tenants spread over all four isolation levels, many threads, random work mixed with tampering: no
 * row of another tenant is ever read or written. Every row carries the id of the tenant that wrote it, in
 * its title too, so a row read by or written for the wrong tenant is detected; a control run with isolation
 * switched off shows that the detector does detect.
 */
class AdversarialIsolationTest {
    private static final int TENANTS = 20;
    private static final int THREADS = 8;
    private static final int OPERATIONS = 50_000;
    /** Tampering attempts; %1$s is another tenant's id, %2$s its schema, role or database name. */
    private static final String[] ATTACKS = {
        "SELECT set_config('app.tenant_id', '%1$s', false)",
        "SELECT geo_control.bind('%1$s', 'guess', 'forged')",
        "SELECT geo_control.open_session()",
        "SET ROLE postgres",
        "SET ROLE %2$s",
        "SET search_path = %2$s, public",
        "SELECT set_config('search_path', '%2$s', false)",
        "SET search_path = geo_control",
        "RESET ROLE",
        "RESET ALL",
        "UPDATE geo_control.session_binding SET tenant = '%1$s'",
        "CREATE TEMP TABLE listings (id bigint, tenant_id text, title text)",
        "BEGIN",
    };
    private static final SchemaMigrations LISTINGS = SchemaMigrations.of(List.of(new Migration(1, "listings",
            "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)")));

    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong leaks = new AtomicLong();
    private final AtomicLong refusedAttacks = new AtomicLong();
    private final Map<TenantId, String> locations = new HashMap<>();
    private final Map<TenantId, IsolationLevel> levels = new HashMap<>();
    private String sharedDatabase;

    @Test
    void noTenantEverReadsOrWritesAnotherTenantsRows() throws Exception {
        String db = PostgresFixture.newDatabase("adversarial");
        sharedDatabase = db;
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)");
        }
        EmbeddedPostgres london = PostgresFixture.start();
        EmbeddedPostgres sydney = PostgresFixture.start();
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        List<Tenant> all = new ArrayList<>();
        String[] markets = {"us-ca", "us-fl", "us-ny", "us-il", "us-tx"};
        TenantDataSource.Builder builder = IsolationFixture.builder(tenants,
                IsolationFixture.endpoint("shared", DeploymentRegion.US_EAST, db)).protectTable("listings")
                .maximumPoolSize(4).migrations(LISTINGS);
        for (int i = 0; i < TENANTS; i++) {
            // 8 BASIC, 6 ENHANCED, 4 MAXIMUM, 2 REGULATORY (one on a dedicated server in London, one in Sydney)
            IsolationLevel level = switch (i % 10) {
                case 0, 1, 2, 3 -> IsolationLevel.BASIC;
                case 4, 5, 6 -> IsolationLevel.ENHANCED;
                case 7, 8 -> IsolationLevel.MAXIMUM;
                default -> IsolationLevel.REGULATORY;
            };
            String market = level != IsolationLevel.REGULATORY ? markets[i % markets.length] : i < 10 ? "gb" : "au";
            Tenant t = TenantWork.active(tenants, String.format("tenant-%02d", i), market, level);
            all.add(t);
            if (level == IsolationLevel.REGULATORY) {
                EmbeddedPostgres server = market.equals("gb") ? london : sydney;
                builder.dedicatedServer(new DedicatedServer(t.id().value() + "-dedicated", t.id(), market.equals("gb")
                        ? DeploymentRegion.EUROPE : DeploymentRegion.ASIA_PACIFIC, "jdbc:postgresql://localhost:"
                        + server.getPort() + "/postgres", new Credentials("postgres", "postgres")));
            }
        }
        try (TenantDataSource ds = builder.build()) {
            for (Tenant t : all) {
                TenantPlacement placement = ds.provision(t.id());
                locations.put(t.id(), placement.location());
                levels.put(t.id(), placement.level());
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                long seed = 1000 + w;
                futures.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int n = 0; n < OPERATIONS / THREADS; n++) {
                        Tenant me = all.get(random.nextInt(TENANTS));
                        Tenant other = all.get(random.nextInt(TENANTS));
                        TenantContext.run(me, () -> operate(ds, me, other, random));
                    }
                    return null;
                }));
            }
            pool.shutdown();
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
            assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
            // Afterwards, as the administrator: every row is where its tenant's rows belong, written by it.
            long rows = 0;
            try (Connection admin = ds.controlPlaneConnection("shared")) {
                rows += audit(admin, "public.listings", null);
                for (Tenant t : all) {
                    if (levels.get(t.id()) == IsolationLevel.ENHANCED) {
                        rows += audit(admin, locations.get(t.id()) + ".listings", t.id().value());
                    }
                }
            }
            for (Tenant t : all) {
                if (levels.get(t.id()) == IsolationLevel.MAXIMUM || levels.get(t.id()) == IsolationLevel.REGULATORY) {
                    int port = levels.get(t.id()) == IsolationLevel.MAXIMUM ? PostgresFixture.server().getPort()
                            : t.market().value().equals("gb") ? london.getPort() : sydney.getPort();
                    try (Connection admin = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/"
                            + locations.get(t.id()), "postgres", "postgres")) {
                        rows += audit(admin, "public.listings", t.id().value());
                    }
                }
            }
            System.out.printf("Adversarial isolation run: %d operations over %d tenants (%s) on %d threads, %d"
                    + " tampering attempts refused or without effect, %d rows at the end, %d leaks found%n",
                    operations.get(), TENANTS, describeLevels(), THREADS, refusedAttacks.get(), rows, leaks.get());
            assertThat(operations.get()).isEqualTo(OPERATIONS);
            assertThat(rows).isPositive();
            assertThat(leaks.get()).isZero();

            // Control: the detector must see leaks when isolation is switched off, or its zero means nothing.
            Tenant basic = all.get(0);
            Tenant enhanced = all.get(4);
            Tenant victim = all.get(5);
            try (Connection admin = ds.controlPlaneConnection("shared")) {
                exec(admin, "ALTER TABLE listings DISABLE ROW LEVEL SECURITY");
                String theirs = locations.get(victim.id());
                exec(admin, "ALTER TABLE " + theirs + ".listings DISABLE ROW LEVEL SECURITY; GRANT USAGE ON SCHEMA "
                        + theirs + " TO " + locations.get(enhanced.id()) + "; GRANT SELECT ON " + theirs + ".listings TO "
                        + locations.get(enhanced.id()));
            }
            long before = leaks.get();
            TenantContext.run(basic, () -> expectOnlyQuietly(ds, "SELECT tenant_id FROM public.listings", basic));
            assertThat(leaks.get() - before).as("BASIC leaks detected with row-level security off").isPositive();
            before = leaks.get();
            TenantContext.run(enhanced, () -> expectOnlyQuietly(ds, "SELECT tenant_id FROM "
                    + locations.get(victim.id()) + ".listings", enhanced));
            assertThat(leaks.get() - before).as("ENHANCED leaks detected with the schema opened").isPositive();
        } finally {
            london.close();
            sydney.close();
        }
    }

    private String describeLevels() {
        Map<IsolationLevel, Long> counts = new java.util.TreeMap<>();
        levels.values().forEach(l -> counts.merge(l, 1L, Long::sum));
        return counts.toString();
    }

    /** Rows of {@code table} not written by their tenant (or, when {@code owner} is set, not of that owner). */
    private long audit(Connection admin, String table, String owner) throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE title"
                + " NOT LIKE tenant_id || ':%'" + (owner == null ? "" : " OR tenant_id <> '" + owner + "'")
                + "), count(*) FROM " + table)) {
            rs.next();
            leaks.addAndGet(rs.getLong(1));
            return rs.getLong(2);
        }
    }

    private void expectOnlyQuietly(TenantDataSource ds, String sql, Tenant me) {
        try (Connection c = ds.getConnection()) {
            expectOnly(c, sql, me.id().value());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How another tenant's rows would be named from here: its table in the shared schema, its schema, or its database. */
    private String theirTable(Tenant me, Tenant other) {
        boolean ownDatabase = levels.get(me.id()) == IsolationLevel.MAXIMUM
                || levels.get(me.id()) == IsolationLevel.REGULATORY;
        return switch (levels.get(other.id())) {
            case BASIC -> ownDatabase ? sharedDatabase + ".public.listings" : "public.listings";
            case ENHANCED -> locations.get(other.id()) + ".listings";
            default -> locations.get(other.id()) + ".public.listings"; // another database: PostgreSQL refuses it
        };
    }

    private void operate(TenantDataSource ds, Tenant me, Tenant other, SplittableRandom random) {
        operations.incrementAndGet();
        String mine = me.id().value();
        boolean same = other.id().equals(me.id());
        try (Connection c = ds.getConnection()) {
            switch (random.nextInt(8)) {
                case 0 -> expectOnly(c, "SELECT tenant_id FROM listings", mine);
                case 1 -> expectOnly(c, "INSERT INTO listings (tenant_id, title) VALUES ('" + mine + "', '" + mine + ":"
                        + random.nextInt() + "') RETURNING tenant_id", mine);
                case 2 -> expectRefused(c, "INSERT INTO " + theirTable(me, other) + " (tenant_id, title) VALUES ('"
                        + other.id() + "', '" + other.id() + ":planted by " + mine + "')", same);
                case 3 -> expectOnly(c, "UPDATE listings SET title = title WHERE id = " + random.nextInt(1, 20_000)
                        + " RETURNING tenant_id", mine);
                case 4 -> expectOnly(c, "DELETE FROM listings WHERE id = " + random.nextInt(1, 20_000)
                        + " AND random() < 0.2 RETURNING tenant_id", mine);
                case 5 -> expectOnly(c, "SELECT tenant_id FROM " + theirTable(me, other), mine);
                case 6 -> {
                    c.setAutoCommit(false);
                    expectOnly(c, "INSERT INTO listings (tenant_id, title) VALUES ('" + mine + "', '" + mine
                            + ":tx') RETURNING tenant_id", mine);
                    expectOnly(c, "SELECT tenant_id FROM listings", mine);
                    if (random.nextBoolean()) {
                        c.commit();
                    } else {
                        c.rollback();
                    }
                    c.setAutoCommit(true);
                }
                default -> {
                    String attack = String.format(ATTACKS[random.nextInt(ATTACKS.length)], other.id(),
                            locations.get(other.id()).isEmpty() ? "public" : locations.get(other.id()));
                    try (Statement s = c.createStatement()) {
                        s.execute(attack);
                    } catch (SQLException refused) {
                        // refused outright
                    }
                    refusedAttacks.incrementAndGet();
                    for (String read : List.of("SELECT tenant_id FROM listings", "SELECT tenant_id FROM "
                            + theirTable(me, other))) {
                        try {
                            expectOnly(c, read, mine);
                        } catch (SQLException broken) {
                            // refused, or the attack broke this session (e.g. search_path): an error is not a leak
                        }
                    }
                }
            }
        } catch (SQLException e) {
            // a failed operation is not a leak; leaks are counted only when another tenant's row is seen
        }
    }

    private void expectOnly(Connection c, String sql, String mine) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (ps.execute()) {
                try (ResultSet rs = ps.getResultSet()) {
                    while (rs.next()) {
                        if (!mine.equals(rs.getString(1))) {
                            leaks.incrementAndGet();
                        }
                    }
                }
            }
        }
    }

    private void expectRefused(Connection c, String sql, boolean sameTenant) {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
            if (!sameTenant) {
                leaks.incrementAndGet();
            }
        } catch (SQLException expected) {
            // row-level security refused the foreign row
        }
    }
}
