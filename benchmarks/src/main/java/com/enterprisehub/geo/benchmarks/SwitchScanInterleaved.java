package com.enterprisehub.geo.benchmarks;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.Credentials;
import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What a tenant switch costs as the driver's statement cache grows, with and without a scan of
 * {@code pg_prepared_statements} in {@code geo_control.switch_to} (which the SDK ran on every switch until
 * 2026-12-03, to deallocate statements prepared with SQL), measured in one run in interleaved blocks.
 *
 * <p>One embedded PostgreSQL, one BASIC {@link TenantDataSource} with a pool of one connection and affinity off, two
 * tenants. A borrow binds a tenant, gets the connection, runs {@code SELECT title FROM listings WHERE id = ?} once and
 * returns it. Variants: {@code same} (the same tenant every borrow: no switch), {@code switch} (the tenants alternate:
 * every borrow switches, with the SDK's {@code switch_to}), {@code switchScan} (the same, with {@code switch_to}
 * replaced by the SDK's body plus the old scan loop; the function is swapped between blocks through an administrator
 * connection). Before each cache size, the connection's driver cache is filled with that many distinct server-prepared
 * statements (each run 5 times, pgjdbc's default prepare threshold), as a Hibernate application's would be (pgjdbc
 * caches up to 256 per connection by default).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar com.enterprisehub.geo.benchmarks.SwitchScanInterleaved
 * [rounds] [borrowsPerBlock]} (defaults 15 and 1000).
 */
public final class SwitchScanInterleaved {
    private static final String SCAN = "  FOR p IN SELECT ps.name FROM pg_catalog.pg_prepared_statements ps"
            + " WHERE ps.from_sql LOOP\n    EXECUTE 'DEALLOCATE ' || pg_catalog.quote_ident(p.name);\n  END LOOP;\n";
    private static final String ANCHOR = "  PERFORM pg_catalog.set_config('statement_timeout', p_statement_timeout, false);";

    private SwitchScanInterleaved() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
            String base = "jdbc:postgresql://localhost:" + server.getPort() + "/";
            try (Connection admin = DriverManager.getConnection(base + "postgres", "postgres", "postgres")) {
                exec(admin, "CREATE ROLE geo_app LOGIN PASSWORD 'app'");
                exec(admin, "CREATE DATABASE geo");
                exec(admin, "REVOKE TEMPORARY ON DATABASE geo FROM PUBLIC");
            }
            try (Connection admin = DriverManager.getConnection(base + "geo", "postgres", "postgres")) {
                exec(admin, "CREATE TABLE listings (tenant_id text NOT NULL, id bigint PRIMARY KEY, title text)");
                exec(admin, "INSERT INTO listings SELECT CASE WHEN g % 2 = 0 THEN 'alpha' ELSE 'bravo' END, g,"
                        + " 'listing ' || g FROM generate_series(1, 2000) g");
            }
            TenantCatalog catalog = InMemoryTenantCatalog.create();
            Tenant alpha = catalog.create(Tenant.builder("alpha").market("us-ny").organization("Alpha")
                    .isolationLevel(IsolationLevel.BASIC).state(TenantState.ACTIVE).build());
            Tenant bravo = catalog.create(Tenant.builder("bravo").market("us-ny").organization("Bravo")
                    .isolationLevel(IsolationLevel.BASIC).state(TenantState.ACTIVE).build());
            try (TenantDataSource ds = TenantDataSource.builder().tenants(catalog).markets(MarketCatalog.defaults())
                    .bindingKey("switch-scan-benchmark-binding-key-0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .endpoint(new DatabaseEndpoint("main", DeploymentRegion.US_EAST, base + "geo",
                            new Credentials("postgres", "postgres"), new Credentials("geo_app", "app")))
                    .protectTable("listings").maximumPoolSize(1).tenantAffinity(false).build();
                    Connection admin = DriverManager.getConnection(base + "geo", "postgres", "postgres")) {
                ds.provision(alpha.id());
                ds.provision(bravo.id());
                String current = functionDef(admin);
                if (!current.contains(ANCHOR) || current.contains("pg_prepared_statements ps")) {
                    throw new IllegalStateException("switch_to is not the one this benchmark knows how to extend");
                }
                String scanning = current.replace(ANCHOR, SCAN + ANCHOR).replaceFirst("DECLARE\n", "DECLARE\n  p record;\n");
                int cached = 0;
                System.out.printf("%-8s %12s %12s %12s %16s %16s%n", "cached", "same us", "switch us", "scan us",
                        "switch-same us", "scan-same us");
                for (int target : new int[] {0, 50, 250}) {
                    cached = warm(ds, alpha, cached, target);
                    double[] sum = new double[3];
                    for (int r = 0; r < rounds; r++) {
                        for (int k = 0; k < 3; k++) {
                            int v = (r + k) % 3;
                            exec(admin, v == 2 ? scanning : current);
                            long t0 = System.nanoTime();
                            for (int i = 0; i < perBlock; i++) {
                                Tenant t = v == 0 || i % 2 == 0 ? alpha : bravo;
                                borrow(ds, t, t == alpha ? 2 + 2 * (i % 900) : 1 + 2 * (i % 900));
                            }
                            if (r > 0) { // the first round warms up
                                sum[v] += (System.nanoTime() - t0) / 1e3 / perBlock;
                            }
                        }
                    }
                    exec(admin, current);
                    double same = sum[0] / (rounds - 1);
                    double sw = sum[1] / (rounds - 1);
                    double scan = sum[2] / (rounds - 1);
                    System.out.printf("%-8d %12.1f %12.1f %12.1f %16.1f %16.1f%n", serverPrepared(ds, alpha), same, sw,
                            scan, sw - same, scan - same);
                }
            }
        }
    }

    /** Fills the one connection's driver cache up to {@code target} distinct server-prepared statements. */
    private static int warm(TenantDataSource ds, Tenant tenant, int from, int target) throws SQLException {
        try (TenantContext.Scope scope = TenantContext.open(tenant); Connection c = ds.getConnection()) {
            for (int q = from; q < target; q++) {
                try (PreparedStatement ps = c.prepareStatement("SELECT id, title FROM listings WHERE id = ? AND "
                        + q + " = " + q)) {
                    for (int i = 0; i < 5; i++) {
                        ps.setLong(1, 2);
                        ps.executeQuery().close();
                    }
                }
            }
        }
        return target;
    }

    private static int serverPrepared(TenantDataSource ds, Tenant tenant) throws SQLException {
        try (TenantContext.Scope scope = TenantContext.open(tenant); Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void borrow(TenantDataSource ds, Tenant tenant, long id) throws SQLException {
        try (TenantContext.Scope scope = TenantContext.open(tenant); Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT title FROM listings WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("row " + id + " not found for " + tenant.id());
                }
            }
        }
    }

    private static String functionDef(Connection admin) throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pg_get_functiondef('geo_control.switch_to(text,text,text,text)'::regprocedure)")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
