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
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What tenant isolation costs per database operation: {@code TenantDataSource} at BASIC (forced row-level
 * security and a verified binding) and at ENHANCED (a schema and a role per tenant, with the verified binding
 * as a policy on every table) against a bare HikariCP pool, on real PostgreSQL (embedded, started in each
 * forked JVM, reached over loopback TCP). The server makes every role but the superuser {@code postgres}
 * authenticate with SCRAM-SHA-256 (zonky's default trusts everyone), so the application role logs in with
 * its password, as in production and in geo-isolation's tests.
 *
 * <p>One operation = borrow a connection from the pool, (bind it to the tenant), run one prepared point
 * query by primary key, {@code SELECT title FROM <table> WHERE id = ?}, with an existing id of that
 * tenant's rows, read the row, close the statement and return the connection. One benchmark thread;
 * every pool has {@code maximumPoolSize} 2 (and 2 idle connections). Data: 20 tenants x 1,000 rows
 * (ids interleaved across tenants, so a tenant's rows are spread over the table; under ENHANCED each
 * tenant's schema holds the same 1,000 rows, ids, titles and prices as its rows under BASIC),
 * {@code ANALYZE}d after loading. The ids queried are a fixed-seed random sequence of 4,096 entries walked in a cycle. Every
 * query must find its row; a miss fails the trial at tear-down.
 *
 * <p>The thing compared is {@link #variant}; each builds only what it needs:
 * <ul>
 *   <li>{@code bare} (the baseline): a plain HikariCP pool, logged in as the application role
 *       {@code geo_app}, querying {@code listings_plain}: the same columns, index and rows as
 *       {@code listings} but with no row-level security. Queries walk round-robin over the 20 tenants'
 *       rows, like {@code basicSwitch};</li>
 *   <li>{@code bareExtraRoundTrip} (a reference floor, not a product variant): the same, plus one
 *       prepared {@code SELECT 1} on the borrowed connection before the query, i.e. exactly one extra
 *       round trip with next to no server work: what a tenant switch costs at best on this machine;</li>
 *   <li>{@code basicRepeat}: {@code TenantDataSource} (BASIC, table {@code listings} protected), the same
 *       tenant on every operation, so every borrow finds its connection already bound;</li>
 *   <li>{@code basicSwitch}: {@code TenantDataSource}, a different tenant on every borrow (round-robin over
 *       20 tenants), so every borrow re-binds its connection;</li>
 *   <li>{@code bareSchema} (the baseline of the ENHANCED variants): a plain HikariCP pool querying the
 *       schema-qualified table {@code bench_plain.listings}, of exactly the shape of an ENHANCED tenant's
 *       {@code listings} (no {@code tenant_id}), holding all 20 tenants' rows; ids round-robin over the
 *       tenants like {@code bare};</li>
 *   <li>{@code enhancedRepeat}: {@code TenantDataSource} with 20 ENHANCED tenants, each provisioned with
 *       {@link #LISTINGS_V1} into a schema of its own and loaded with its rows through the data source; the
 *       query names {@code listings} unqualified (the binding sets {@code search_path} to the tenant's
 *       schema); the same tenant on every operation;</li>
 *   <li>{@code enhancedSwitch}: the same, a different tenant on every borrow (round-robin over 20).</li>
 * </ul>
 * For the {@code TenantDataSource} variants the thread's tenant is bound inside the operation too
 * ({@code try (Scope s = TenantContext.open(tenant)) { ... }} around borrow, query and return), so its
 * cost is part of what is measured.
 *
 * <p>Besides JMH's figures, every measurement iteration prints one {@code [cpu]} line: wall time per
 * operation, CPU time per operation of this JVM (all its threads, kernel time included) and of the
 * PostgreSQL backends serving the pool (from {@code /proc/<pid>/schedstat}, so Linux only), and wall
 * minus both (negative when the two sides overlap on the two CPUs). It separates work from waiting; it is
 * a diagnostic, read outside the timed operations.
 *
 * <p>Run (about 7 minutes with 3 forks for all seven variants; {@code -p variant=bare,basicRepeat} for some):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * cp benchmarks/target/benchmarks.jar /tmp/benchmarks.jar
 * java -jar /tmp/benchmarks.jar IsolationBenchmark -f 3 -wi 3 -w 2s -i 5 -r 2s -prof gc
 * }</pre>
 * Where round-trip latency drifts during a run, compare variants with {@link IsolationInterleaved}, which
 * measures the same operations in interleaved blocks.
 * Results and their reading: {@code docs/benchmarks.md}, section "geo-isolation".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IsolationBenchmark {

    /** The compared ways of getting a connection and querying; see the class comment. */
    public enum Variant {
        bare, bareExtraRoundTrip, basicRepeat, basicSwitch, bareSchema, enhancedRepeat, enhancedSwitch;

        /** The bare-pool variant querying a table of the same shape as this one does. */
        Variant baseline() {
            return switch (this) {
                case bareSchema, enhancedRepeat, enhancedSwitch -> bareSchema;
                default -> bare;
            };
        }

        /** Whether every operation is for the same tenant (else round-robin over all of them). */
        boolean repeats() {
            return this == basicRepeat || this == enhancedRepeat;
        }

        boolean enhanced() {
            return this == enhancedRepeat || this == enhancedSwitch;
        }
    }

    /** The one migration of every ENHANCED tenant's schema: {@code listings} without a tenant column. */
    static final Migration LISTINGS_V1 = new Migration(1, "listings",
            "CREATE TABLE listings (id bigserial PRIMARY KEY, title text NOT NULL, price numeric)");

    static final int TENANTS = 20;
    static final int ROWS_PER_TENANT = 1_000;
    static final int POOL_SIZE = 2;
    private static final int SEQUENCE = 4_096; // a power of two
    private static final String DATABASE = "bench";
    static final String APP_ROLE = "geo_app";
    static final byte[] BINDING_KEY =
            "benchmark-binding-key-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);

    @Param
    Variant variant;

    private EmbeddedPostgres server;
    private HikariDataSource bare;
    private TenantDataSource tenantData;
    private String querySql;

    /** Per operation index: the tenant to bind and the id to look up. */
    private final Tenant[] opTenant = new Tenant[SEQUENCE];
    private final long[] opId = new long[SEQUENCE];
    private int next;
    private long misses;
    private long operations;

    /** For the per-iteration CPU accounting (see the class comment). */
    private Connection monitor;
    private List<Path> backendStats = List.of();
    private long iterationStartNanos;
    private long iterationStartOperations;
    private long iterationStartJvmCpu;
    private long iterationStartServerCpu;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = EmbeddedPostgres.builder().start();
        requirePasswords();
        try (Connection admin = admin("postgres")) {
            exec(admin, "CREATE ROLE " + APP_ROLE + " LOGIN PASSWORD 'app'");
            exec(admin, "CREATE DATABASE " + DATABASE);
            exec(admin, "REVOKE TEMPORARY ON DATABASE " + DATABASE + " FROM PUBLIC");
            try (Statement s = admin.createStatement();
                    ResultSet rs = s.executeQuery("SELECT version(), current_setting('shared_buffers'),"
                            + " current_setting('synchronous_commit'), current_setting('fsync')")) {
                rs.next();
                System.out.println("[setup] " + rs.getString(1) + "; shared_buffers=" + rs.getString(2)
                        + " synchronous_commit=" + rs.getString(3) + " fsync=" + rs.getString(4));
            }
        }
        checkAppRoleAuthenticates();
        Tenant[] tenants = new Tenant[TENANTS];
        TenantCatalog catalog = InMemoryTenantCatalog.create();
        IsolationLevel level = variant.enhanced() ? IsolationLevel.ENHANCED : IsolationLevel.BASIC;
        for (int t = 0; t < TENANTS; t++) {
            tenants[t] = catalog.create(Tenant.builder(tenantId(t)).market("us-ca").organization("Org " + t)
                    .isolationLevel(level).state(TenantState.ACTIVE).build());
        }
        SplittableRandom random = new SplittableRandom(20261124L);
        for (int i = 0; i < SEQUENCE; i++) {
            int t = variant.repeats() ? 0 : i % TENANTS;
            opTenant[i] = tenants[t];
            opId[i] = id(t, random.nextInt(ROWS_PER_TENANT));
        }

        switch (variant) {
            case bare, bareExtraRoundTrip -> {
                querySql = "SELECT title FROM listings_plain WHERE id = ?";
                try (Connection admin = admin(DATABASE)) {
                    createAndLoad(admin, "listings_plain");
                    exec(admin, "CREATE INDEX listings_plain_tenant_id_idx ON listings_plain (tenant_id)");
                    exec(admin, "GRANT SELECT ON listings_plain TO " + APP_ROLE);
                    exec(admin, "ANALYZE listings_plain");
                }
                bare = barePool();
            }
            case bareSchema -> {
                querySql = "SELECT title FROM bench_plain.listings WHERE id = ?";
                try (Connection admin = admin(DATABASE)) {
                    exec(admin, "CREATE SCHEMA bench_plain");
                    exec(admin, "SET search_path = bench_plain");
                    exec(admin, LISTINGS_V1.sql());
                    exec(admin, "RESET search_path");
                    exec(admin, "INSERT INTO bench_plain.listings (id, title, price) " + rowsOf(-1));
                    exec(admin, "GRANT USAGE ON SCHEMA bench_plain TO " + APP_ROLE);
                    exec(admin, "GRANT SELECT ON bench_plain.listings TO " + APP_ROLE);
                    exec(admin, "ANALYZE bench_plain.listings");
                }
                bare = barePool();
            }
            case basicRepeat, basicSwitch -> {
                querySql = "SELECT title FROM listings WHERE id = ?";
                try (Connection admin = admin(DATABASE)) {
                    createAndLoad(admin, "listings");
                }
                tenantData = tenantDataSource(catalog).protectTable("listings").build();
                for (Tenant t : tenants) {
                    tenantData.provision(t.id());
                }
                try (Connection admin = admin(DATABASE)) {
                    exec(admin, "ANALYZE listings");
                }
                verifyIsolation(tenants);
            }
            case enhancedRepeat, enhancedSwitch -> {
                querySql = "SELECT title FROM listings WHERE id = ?";
                tenantData = tenantDataSource(catalog).migrations(SchemaMigrations.of(List.of(LISTINGS_V1))).build();
                for (Tenant t : tenants) {
                    tenantData.provision(t.id());
                }
                for (int t = 0; t < TENANTS; t++) {
                    // the same rows (ids, titles, prices) as tenant t has under BASIC, written through the data source
                    try (TenantContext.Scope s = TenantContext.open(tenants[t]);
                            Connection c = tenantData.getConnection()) {
                        exec(c, "INSERT INTO listings (id, title, price) " + rowsOf(t));
                    }
                }
                try (Connection admin = admin(DATABASE)) {
                    for (Tenant t : tenants) {
                        exec(admin, "ANALYZE " + tenantData.placement(t.id()).orElseThrow().location() + ".listings");
                    }
                }
                verifyIsolation(tenants);
            }
            default -> throw new IllegalStateException("unknown variant " + variant);
        }
    }

    /**
     * Makes every role but the superuser {@code postgres} prove its password (SCRAM-SHA-256) over TCP, as
     * geo-isolation's test fixture does: zonky's default {@code pg_hba.conf} trusts everyone.
     */
    private void requirePasswords() throws SQLException, IOException {
        try (Connection c = admin("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW hba_file")) {
            rs.next();
            Files.writeString(Path.of(rs.getString(1)), String.join("\n",
                    "local all all trust",
                    "host all postgres 127.0.0.1/32 trust",
                    "host all postgres ::1/128 trust",
                    "host all all 127.0.0.1/32 scram-sha-256",
                    "host all all ::1/128 scram-sha-256", ""));
            exec(c, "SELECT pg_reload_conf()");
        }
    }

    /** The application role is refused with a wrong password and logs in with SCRAM with the right one. */
    private void checkAppRoleAuthenticates() throws SQLException, InterruptedException {
        for (int attempt = 1; ; attempt++) { // the server applies pg_hba.conf asynchronously after the reload
            try (Connection c = DriverManager.getConnection(jdbcUrl(DATABASE), APP_ROLE, "wrong")) {
                if (attempt == 50) {
                    throw new IllegalStateException(APP_ROLE + " logs in with a wrong password: the server trusts it");
                }
            } catch (SQLException expected) {
                if (!"28P01".equals(expected.getSQLState())) {
                    throw expected;
                }
                break;
            }
            Thread.sleep(100);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl(DATABASE), APP_ROLE, "app");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT system_user")) {
            rs.next();
            if (!("scram-sha-256:" + APP_ROLE).equals(rs.getString(1))) {
                throw new IllegalStateException(APP_ROLE + " authenticated as " + rs.getString(1));
            }
            System.out.println("[setup] " + APP_ROLE + " authenticates: " + rs.getString(1)
                    + " (a wrong password is refused)");
        }
    }

    private HikariDataSource barePool() {
        HikariConfig config = new HikariConfig();
        config.setPoolName(variant.name());
        config.setJdbcUrl(jdbcUrl(DATABASE));
        config.setUsername(APP_ROLE);
        config.setPassword("app");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(POOL_SIZE);
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }

    private TenantDataSource.Builder tenantDataSource(TenantCatalog catalog) {
        return TenantDataSource.builder().tenants(catalog).markets(MarketCatalog.defaults()).bindingKey(BINDING_KEY)
                .endpoint(new DatabaseEndpoint("bench", DeploymentRegion.US_EAST, jdbcUrl(DATABASE),
                        new Credentials("postgres", "postgres"), new Credentials(APP_ROLE, "app")))
                .maximumPoolSize(POOL_SIZE);
    }

    /**
     * Before measuring: each tenant sees exactly its own 1,000 rows and none of another's (BASIC: by
     * {@code tenant_id}; ENHANCED: by id, and its unqualified {@code listings} is the one in its own schema).
     */
    private void verifyIsolation(Tenant[] tenants) throws SQLException {
        for (int t = 0; t < TENANTS; t++) {
            String foreign = variant.enhanced() ? "(id - 1) % " + TENANTS + " <> " + t
                    : "tenant_id <> '" + tenantId(t) + "'";
            String schema = variant.enhanced() ? tenantData.placement(tenants[t].id()).orElseThrow().location()
                    : "public";
            try (TenantContext.Scope s = TenantContext.open(tenants[t]);
                    Connection c = tenantData.getConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE " + foreign + "),"
                            + " current_schema() FROM listings")) {
                rs.next();
                if (rs.getLong(1) != ROWS_PER_TENANT || rs.getLong(2) != 0) {
                    throw new IllegalStateException("tenant " + tenantId(t) + " sees " + rs.getLong(1)
                            + " rows, " + rs.getLong(2) + " of other tenants");
                }
                if (!schema.equals(rs.getString(3))) {
                    throw new IllegalStateException("tenant " + tenantId(t) + " queries schema " + rs.getString(3)
                            + ", not " + schema);
                }
            }
            try (TenantContext.Scope s = TenantContext.open(tenants[t])) {
                if (query(tenantData, id((t + 1) % TENANTS, 0)) != null) {
                    throw new IllegalStateException("tenant " + tenantId(t) + " read another tenant's row");
                }
            }
        }
        System.out.println("[setup] isolation verified (" + variant + "): each of " + TENANTS
                + " tenants sees exactly its " + ROWS_PER_TENANT + " rows");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            if (monitor != null) {
                monitor.close();
            }
            if (bare != null) {
                bare.close();
            }
            if (tenantData != null) {
                tenantData.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        System.out.println("[teardown] " + operations + " operations, " + misses + " missed rows");
        if (misses != 0) {
            throw new IllegalStateException(misses + " point queries found no row");
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() throws SQLException {
        if (monitor == null) {
            monitor = admin(DATABASE);
        }
        List<Path> stats = new ArrayList<>();
        try (Statement s = monitor.createStatement(); ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity"
                + " WHERE usename = '" + APP_ROLE + "' AND backend_type = 'client backend'")) {
            while (rs.next()) {
                stats.add(Path.of("/proc", Integer.toString(rs.getInt(1)), "schedstat"));
            }
        }
        backendStats = stats;
        iterationStartServerCpu = serverCpuNanos();
        iterationStartJvmCpu = jvmCpuNanos();
        iterationStartOperations = operations;
        iterationStartNanos = System.nanoTime();
    }

    @TearDown(Level.Iteration)
    public void endIteration(IterationParams params) {
        long wall = System.nanoTime() - iterationStartNanos;
        long jvm = jvmCpuNanos() - iterationStartJvmCpu;
        long serverEnd = serverCpuNanos();
        long server = serverEnd - iterationStartServerCpu;
        long ops = operations - iterationStartOperations;
        if (params.getType() == IterationType.MEASUREMENT && ops > 0 && serverEnd >= 0
                && iterationStartServerCpu >= 0) {
            System.out.printf("[cpu] variant=%s ops=%d backends=%d wall_us_per_op=%.2f jvm_cpu_us_per_op=%.2f"
                    + " server_cpu_us_per_op=%.2f wall_minus_cpu_us_per_op=%.2f%n", variant, ops, backendStats.size(),
                    wall / 1e3 / ops, jvm / 1e3 / ops, server / 1e3 / ops, (wall - jvm - server) / 1e3 / ops);
        }
    }

    private long serverCpuNanos() {
        long sum = 0;
        for (Path p : backendStats) {
            try {
                sum += Long.parseLong(Files.readString(p).trim().split(" ")[0]);
            } catch (IOException | RuntimeException e) {
                return -1; // a backend went away (or not Linux): no figure for this iteration
            }
        }
        return sum;
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Benchmark
    public String pointQuery() throws SQLException {
        int i = next++ & (SEQUENCE - 1);
        operations++;
        String title;
        switch (variant) {
            case bare, bareSchema -> title = query(bare, opId[i]);
            case bareExtraRoundTrip -> title = queryAfterExtraRoundTrip(bare, opId[i]);
            default -> {
                try (TenantContext.Scope s = TenantContext.open(opTenant[i])) {
                    title = query(tenantData, opId[i]);
                }
            }
        }
        if (title == null) {
            misses++;
        }
        return title;
    }

    private String query(DataSource ds, long id) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(querySql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private String queryAfterExtraRoundTrip(DataSource ds, long id) throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement one = c.prepareStatement("SELECT 1"); ResultSet rs = one.executeQuery()) {
                rs.next();
            }
            try (PreparedStatement ps = c.prepareStatement(querySql)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }
    }

    static String tenantId(int t) {
        return String.format("t%02d", t + 1);
    }

    /** Row {@code k} of tenant {@code t}; ids interleave tenants: 1 = t01 row 0, 2 = t02 row 0, ... */
    static long id(int t, int k) {
        return (long) k * TENANTS + t + 1;
    }

    /**
     * A SELECT of the rows (id, title, price) of tenant {@code t}, or of all tenants if {@code t} is -1:
     * the same ids, titles and prices {@link #createAndLoad} gives them.
     */
    static String rowsOf(int t) {
        return "SELECT g, 'Listing ' || g || ', 3 bd, 2 ba', 100000 + g FROM generate_series(1, "
                + (TENANTS * ROWS_PER_TENANT) + ") g" + (t < 0 ? "" : " WHERE (g - 1) % " + TENANTS + " = " + t);
    }

    static void createAndLoad(Connection admin, String table) throws SQLException {
        exec(admin, "CREATE TABLE " + table + " (id bigint PRIMARY KEY, tenant_id text NOT NULL,"
                + " title text NOT NULL, price numeric)");
        exec(admin, "INSERT INTO " + table + " (id, tenant_id, title, price)"
                + " SELECT g, 't' || lpad((((g - 1) % " + TENANTS + ") + 1)::text, 2, '0'),"
                + " 'Listing ' || g || ', 3 bd, 2 ba', 100000 + g"
                + " FROM generate_series(1, " + (TENANTS * ROWS_PER_TENANT) + ") g");
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }

    /** An administrator connection to the benchmark database (for {@link IsolationInterleaved}). */
    Connection adminConnection() throws SQLException {
        return admin(DATABASE);
    }

    private Connection admin(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "postgres");
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
