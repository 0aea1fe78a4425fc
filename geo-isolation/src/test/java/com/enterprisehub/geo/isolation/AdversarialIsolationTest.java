package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.spi.TenantCatalog;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many tenants, many threads, random work mixed with tampering: no row of another tenant is ever read
 * or written. Every tenant here is BASIC, the only level built so far; when the other levels exist this
 * run must spread its tenants over all four.
 */
class AdversarialIsolationTest {
    private static final int TENANTS = 20;
    private static final int THREADS = 8;
    private static final int OPERATIONS = 50_000;
    private static final String[] ATTACKS = {
        "SELECT set_config('app.tenant_id', '%s', false)",
        "SELECT geo_control.bind('%s', current_setting('geo.nonce'), 'forged')",
        "SELECT set_config('geo.nonce', 'guess', false)",
        "SELECT geo_control.open_session()",
        "SET ROLE postgres",
        "SET search_path = geo_control",
        "RESET ALL",
        "UPDATE geo_control.session_binding SET tenant = '%s'",
        "CREATE TEMP TABLE listings (id bigint, tenant_id text, title text)",
        "BEGIN",
    };

    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong leaks = new AtomicLong();
    private final AtomicLong refusedAttacks = new AtomicLong();

    @Test
    void noTenantEverReadsOrWritesAnotherTenantsRows() throws Exception {
        String db = PostgresFixture.newDatabase("adversarial");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)");
        }
        TenantCatalog tenants = TenantCatalog.inMemory();
        List<Tenant> all = new ArrayList<>();
        String[] markets = {"us-ca", "us-fl", "us-ny", "us-il", "us-tx"};
        for (int i = 0; i < TENANTS; i++) {
            all.add(tenants.create(Tenant.builder(String.format("tenant-%02d", i)).market(markets[i % markets.length])
                    .organization("Org " + i).state(TenantState.ACTIVE).build()));
        }
        try (TenantDataSource ds = PostgresFixture.builder(tenants,
                PostgresFixture.endpoint("shared", DeploymentRegion.US_EAST, db)).protectTable("listings").maximumPoolSize(4).build()) {
            all.forEach(t -> ds.provision(t.id()));
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
            // Afterwards, as the administrator: every row was written by the tenant it belongs to.
            try (Connection admin = ds.controlPlaneConnection("shared"); Statement s = admin.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE title NOT LIKE tenant_id || ':%'),"
                            + " count(*) FROM listings")) {
                rs.next();
                leaks.addAndGet(rs.getLong(1));
                System.out.printf("Adversarial isolation run: %d operations over %d tenants on %d threads, %d"
                        + " tampering attempts refused or without effect, %d rows at the end, %d leaks found%n",
                        operations.get(), TENANTS, THREADS, refusedAttacks.get(), rs.getLong(2), leaks.get());
            }
            assertThat(operations.get()).isEqualTo(OPERATIONS);
            assertThat(leaks.get()).isZero();

            // Control: the detector must see leaks when isolation is switched off, or its zero means nothing.
            try (Connection admin = ds.controlPlaneConnection("shared")) {
                exec(admin, "ALTER TABLE listings DISABLE ROW LEVEL SECURITY");
            }
            long before = leaks.get();
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < 20; i++) {
                Tenant me = all.get(i);
                TenantContext.run(me, () -> {
                    try (Connection c = ds.getConnection()) {
                        expectOnly(c, "SELECT tenant_id FROM public.listings", me.id().value());
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            assertThat(leaks.get() - before).as("leaks detected with row-level security off").isPositive();
        }
    }

    private void operate(TenantDataSource ds, Tenant me, Tenant other, SplittableRandom random) {
        operations.incrementAndGet();
        String mine = me.id().value();
        try (Connection c = ds.getConnection()) {
            switch (random.nextInt(8)) {
                case 0 -> expectOnly(c, "SELECT tenant_id FROM listings", mine);
                case 1 -> expectOnly(c, "INSERT INTO listings (title) VALUES ('" + mine + ":" + random.nextInt()
                        + "') RETURNING tenant_id", mine);
                case 2 -> expectRefused(c, "INSERT INTO listings (tenant_id, title) VALUES ('" + other.id() + "', '"
                        + mine + ":planted')", other.id().value().equals(mine));
                case 3 -> expectOnly(c, "UPDATE listings SET title = title WHERE id = " + random.nextInt(1, 20_000)
                        + " RETURNING tenant_id", mine);
                case 4 -> expectOnly(c, "DELETE FROM listings WHERE id = " + random.nextInt(1, 20_000)
                        + " AND random() < 0.2 RETURNING tenant_id", mine);
                case 5 -> expectOnly(c, "SELECT tenant_id FROM listings WHERE tenant_id = '" + other.id() + "'", mine);
                case 6 -> {
                    c.setAutoCommit(false);
                    expectOnly(c, "INSERT INTO listings (title) VALUES ('" + mine + ":tx') RETURNING tenant_id", mine);
                    expectOnly(c, "SELECT tenant_id FROM listings", mine);
                    if (random.nextBoolean()) {
                        c.commit();
                    } else {
                        c.rollback();
                    }
                    c.setAutoCommit(true);
                }
                default -> {
                    String attack = String.format(ATTACKS[random.nextInt(ATTACKS.length)], other.id());
                    try (Statement s = c.createStatement()) {
                        s.execute(attack);
                    } catch (SQLException refused) {
                        // refused outright
                    }
                    refusedAttacks.incrementAndGet();
                    try {
                        expectOnly(c, "SELECT tenant_id FROM public.listings", mine);
                    } catch (SQLException broken) {
                        // the attack broke this session (e.g. search_path): an error is not a leak
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
