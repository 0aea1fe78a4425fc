package com.enterprisehub.geo.benchmarks;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.Credentials;
import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.isolation.EndpointStatistics;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.platform.CachingTenantCatalog;
import com.enterprisehub.geo.platform.CatalogCacheStats;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalogProvider;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import javax.sql.DataSource;

/**
 * Issue 19's realistic multi-tenant workload, every variant in one JVM and measured in short interleaved blocks
 * (like {@link IsolationInterleaved}), so that all variants see the same machine conditions.
 *
 * <p><b>Workload.</b> 200 tenants x 1,000 rows (ids interleaved across tenants: id {@code k * 200 + t + 1} is row
 * {@code k} of tenant {@code t}); 4 client threads; pools of 8 connections. One request = (bind the request's
 * tenant,) borrow a connection, prepare {@code SELECT title FROM listings WHERE id = ?} and execute it 3 times
 * with 3 ids of the request's tenant (reading each row), return the connection. The tenant of each request is
 * drawn from a Zipf distribution with exponent s = 1.0 over the 200 tenants (tenant of rank k with probability
 * (1/k) / H(200); the most popular has 17.0%, and two independent draws differ with probability 0.953); the ids
 * uniformly from its rows. Each thread walks a precomputed sequence of {@value #SEQUENCE} requests (fixed seed per
 * thread, the same sequences for every variant) in a cycle. Every query must find its row: a miss fails the run.
 *
 * <p><b>Variants</b>, each on an embedded PostgreSQL server of its own (the idle ones wait on their sockets), the
 * application role {@code geo_app} logging in with a SCRAM-SHA-256 password (checked at set-up):
 * <ul>
 *   <li>{@code bare} (the baseline): a HikariCP pool of 8, no tenancy, table {@code listings} with the same
 *       columns, rows and indexes, no row-level security; the same tenants' ids are queried;</li>
 *   <li>{@code setLocal} (the naive anchor): the same bare pool (auto-commit off) on a table under a plain policy
 *       {@code tenant_id = current_setting('app.tenant_id', true)}; a request runs
 *       {@code SELECT set_config('app.tenant_id', ?, true)} (which opens the transaction), the 3 queries and
 *       {@code COMMIT};</li>
 *   <li>{@code extraRoundTrip} (the physical floor of a switch): the bare pool, and a request sends
 *       {@code SELECT 1} after the borrow, one more round trip than {@code bare};</li>
 *   <li>{@code setReset} (the session-variable anchor): the bare pool (auto-commit on) on {@code setLocal}'s table
 *       and policy; a request runs {@code SELECT set_config('app.tenant_id', ?, false)} after the borrow, the 3
 *       queries, and {@code RESET app.tenant_id} before the return (two round trips more than {@code bare});</li>
 *   <li>{@code setSchema} (Hibernate's schema multi-tenancy pattern): a schema per tenant holding its 1,000 rows in
 *       its own {@code listings} (no row-level security, no role per tenant, no {@code listings} in
 *       {@code public}); a request calls {@code Connection.setSchema(tenant's schema)} after the borrow and
 *       {@code setSchema("public")} before the return, as Hibernate's schema-per-tenant connection providers do
 *       (pgjdbc sends {@code SET SESSION search_path} each time). HikariCP alone does not set it back: it resets
 *       the schema on return only when its own {@code schema} property is configured; without that, the next
 *       borrower reads the last tenant's tables (seen while writing this benchmark);</li>
 *   <li>{@code basic}: {@code TenantDataSource}, BASIC, maximum pool size 8, tenant affinity on;</li>
 *   <li>{@code basicNoAffinity}: the same with {@code tenantAffinity(false)};</li>
 *   <li>{@code enhanced}, {@code enhancedNoAffinity}: ENHANCED (a schema and a role per tenant, each tenant's
 *       1,000 rows in its own {@code listings}, written through the data source), affinity on and off;</li>
 *   <li>{@code basicJdbcCatalog}: {@code basic} with the tenants in geo-platform's {@code JdbcTenantCatalog},
 *       opened through the provider {@code jdbc} with its defaults (a {@code CachingTenantCatalog} in front,
 *       listening for changes), on a control-plane database of the same server reached through a HikariCP pool of
 *       2; the other {@code TenantDataSource} variants use the in-memory catalog.</li>
 * </ul>
 * Before measuring, every variant is checked: under {@code setLocal} and the {@code TenantDataSource} variants
 * each tenant sees exactly its 1,000 rows and reads no other tenant's row, and {@code setLocal} with no tenant set
 * sees none.
 *
 * <p><b>Method.</b> A round gives each variant one block, in an order that rotates every round: the 4 threads run
 * the variant's requests for {@value #LEAD_IN_MILLIS} ms, not counted (its connections were last used a round
 * ago: none is parked for a tenant any more), stop, then run them for {@value #BLOCK_MILLIS} ms, counted. Per
 * variant: requests per second over all its blocks and the ratio to {@code bare}; the measured time is cut into 10
 * equal batches and the ratio is computed per batch, giving a mean with a 99.9% confidence interval (Student t, 9
 * degrees of freedom; fewer in a run of fewer than 10 rounds) and the range; CPU time per request of this JVM (all
 * threads) and of the variant's PostgreSQL client backends ({@code /proc/<pid>/schedstat}, Linux only); and for the
 * {@code TenantDataSource} variants, from {@link TenantDataSource#statistics()} read around the counted part of
 * each block: borrows, the switch share (switches / borrows), the mean time of a switch, and waits per borrow. For
 * {@code basicJdbcCatalog} the cache's hits and misses over the counted parts are printed too.
 *
 * <p>Run (arguments: warm-up seconds, measured seconds, and optionally the variants, comma-separated; defaults 20,
 * 180 and all ten; {@code bare} is always included). Set-up takes 2 to 3 minutes on 2 cores (ENHANCED provisions
 * 200 schemas and roles, twice); with all ten variants a round takes about 3 s:
 * <pre>{@code
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar com.enterprisehub.geo.benchmarks.ZipfWorkloadInterleaved 20 180
 * java -cp benchmarks/target/benchmarks.jar com.enterprisehub.geo.benchmarks.ZipfWorkloadInterleaved 5 20  # smoke
 * }</pre>
 * Results and their reading: {@code docs/benchmarks.md}, section "geo-isolation: the Zipf workload of issue 19".
 */
public final class ZipfWorkloadInterleaved {
    static final int TENANTS = 200;
    static final int ROWS_PER_TENANT = 1_000;
    static final int THREADS = 4;
    static final int POOL_SIZE = 8;
    static final int QUERIES_PER_REQUEST = 3;
    static final double ZIPF_EXPONENT = 1.0;
    static final long LEAD_IN_MILLIS = 50;
    static final long BLOCK_MILLIS = 250;
    private static final int SEQUENCE = 1 << 14; // requests per thread, a power of two
    private static final long SEED = 20261203L;
    private static final int BATCHES = 10;
    /** Student t for a two-sided 99.9% interval, 1 to 9 degrees of freedom. */
    private static final double[] T_999 = {636.6, 31.60, 12.92, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781};
    private static final String DATABASE = "bench";
    private static final String CONTROL_DATABASE = "control";
    private static final String APP_ROLE = "geo_app";
    private static final String ENDPOINT = "bench";
    private static final String QUERY = "SELECT title FROM listings WHERE id = ?";
    private static final byte[] BINDING_KEY =
            "benchmark-binding-key-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);
    /** The one migration of every ENHANCED tenant's schema: {@code listings} without a tenant column. */
    private static final Migration LISTINGS_V1 = new Migration(1, "listings",
            "CREATE TABLE listings (id bigint PRIMARY KEY, title text NOT NULL, price numeric)");

    /** The compared ways of serving a request; see the class comment. */
    enum Variant {
        bare, extraRoundTrip, setLocal, setReset, setSchema, basic, basicNoAffinity, enhanced, enhancedNoAffinity,
        basicJdbcCatalog;

        boolean tenantDataSource() {
            return ordinal() >= basic.ordinal();
        }

        boolean enhancedLevel() {
            return this == enhanced || this == enhancedNoAffinity;
        }

        boolean affinity() {
            return this != basicNoAffinity && this != enhancedNoAffinity;
        }
    }

    /** Per thread: the tenant (index) of each request and its ids, {@value #QUERIES_PER_REQUEST} per request. */
    private static final int[][] REQUEST_TENANT = new int[THREADS][SEQUENCE];
    private static final long[][] REQUEST_IDS = new long[THREADS][SEQUENCE * QUERIES_PER_REQUEST];

    private ZipfWorkloadInterleaved() {
    }

    public static void main(String[] args) throws Exception {
        double warmupSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        double measureSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 180;
        Variant[] variants = args.length > 2 ? selected(args[2]) : Variant.values();
        double sameTenant = fillSequences();
        System.out.printf("[setup] %d tenants x %d rows, %d threads, pool %d, request = borrow + %d point queries;"
                + " Zipf s = %.1f: top tenant %.1f%% of requests, two requests of the sequences share a tenant with"
                + " probability %.3f%n", TENANTS, ROWS_PER_TENANT, THREADS, POOL_SIZE, QUERIES_PER_REQUEST,
                ZIPF_EXPONENT, 100.0 * share(0), sameTenant);
        int n = variants.length;
        Bench[] benches = new Bench[n];
        try {
            for (int v = 0; v < n; v++) {
                long t0 = System.nanoTime();
                benches[v] = new Bench(variants[v]);
                benches[v].setUp();
                System.out.printf("[setup] %s ready in %.1f s%n", variants[v], (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("warm-up %.0f s, then %.0f s measured in blocks of %d ms (after %d ms not counted),"
                    + " %s%n", warmupSeconds, measureSeconds, BLOCK_MILLIS, LEAD_IN_MILLIS,
                    System.getProperty("java.vm.version"));
            try (Workers workers = new Workers()) {
                run(workers, benches, warmupSeconds, null);
                Totals totals = new Totals(n);
                run(workers, benches, measureSeconds, totals);
                report(variants, benches, totals);
            }
            for (Bench b : benches) {
                if (b.misses != 0) {
                    throw new IllegalStateException(b.variant + ": " + b.misses + " point queries found no row");
                }
            }
        } finally {
            for (Bench b : benches) {
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    /** The probability of the tenant of rank {@code t + 1}. */
    private static double share(int t) {
        double h = 0;
        for (int k = 1; k <= TENANTS; k++) {
            h += 1 / Math.pow(k, ZIPF_EXPONENT);
        }
        return 1 / Math.pow(t + 1, ZIPF_EXPONENT) / h;
    }

    /** Fills the request sequences; returns the probability that two requests' tenants are the same. */
    private static double fillSequences() {
        double[] cumulative = new double[TENANTS];
        double sum = 0;
        double sumOfSquares = 0;
        for (int t = 0; t < TENANTS; t++) {
            double p = share(t);
            sum += p;
            sumOfSquares += p * p;
            cumulative[t] = sum;
        }
        cumulative[TENANTS - 1] = 1.0;
        for (int thread = 0; thread < THREADS; thread++) {
            SplittableRandom random = new SplittableRandom(SEED + thread);
            for (int i = 0; i < SEQUENCE; i++) {
                double u = random.nextDouble();
                int lo = 0;
                int hi = TENANTS - 1;
                while (lo < hi) { // the first tenant whose cumulative share exceeds u
                    int mid = (lo + hi) >>> 1;
                    if (cumulative[mid] > u) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                REQUEST_TENANT[thread][i] = lo;
                for (int q = 0; q < QUERIES_PER_REQUEST; q++) {
                    REQUEST_IDS[thread][i * QUERIES_PER_REQUEST + q] = id(lo, random.nextInt(ROWS_PER_TENANT));
                }
            }
        }
        return sumOfSquares;
    }

    /** The schema of tenant {@code t} under {@code setSchema}. */
    static String schemaOf(int t) {
        return "s_" + tenantId(t);
    }

    static String tenantId(int t) {
        return String.format("t%03d", t + 1);
    }

    /** Row {@code k} of tenant {@code t}; ids interleave tenants: 1 = t001 row 0, 2 = t002 row 0, ... */
    static long id(int t, int k) {
        return (long) k * TENANTS + t + 1;
    }

    /** The variants named in {@code list} (comma-separated), {@code bare} first, in declaration order. */
    private static Variant[] selected(String list) {
        EnumSet<Variant> chosen = EnumSet.of(Variant.bare);
        for (String name : list.split(",")) {
            chosen.add(Variant.valueOf(name.trim()));
        }
        return chosen.toArray(new Variant[0]);
    }

    /** One variant: its server, pools, and what one request does. */
    private static final class Bench implements AutoCloseable {
        final Variant variant;
        final int[] position = new int[THREADS];
        volatile long misses;
        private EmbeddedPostgres server;
        private HikariDataSource pool;
        private TenantDataSource tenantData;
        private HikariDataSource controlPlane;
        private TenantCatalog catalog;
        private Connection monitor;
        private final Tenant[] tenants = new Tenant[TENANTS];

        Bench(Variant variant) {
            this.variant = variant;
        }

        void setUp() throws Exception {
            server = EmbeddedPostgres.builder().start();
            requirePasswords();
            try (Connection admin = admin("postgres")) {
                exec(admin, "CREATE ROLE " + APP_ROLE + " LOGIN PASSWORD 'app'");
                exec(admin, "CREATE DATABASE " + DATABASE);
                exec(admin, "REVOKE TEMPORARY ON DATABASE " + DATABASE + " FROM PUBLIC");
                if (variant == Variant.bare) {
                    try (Statement s = admin.createStatement();
                            ResultSet rs = s.executeQuery("SELECT version(), current_setting('shared_buffers'),"
                                    + " current_setting('synchronous_commit'), current_setting('fsync')")) {
                        rs.next();
                        System.out.println("[setup] " + rs.getString(1) + "; shared_buffers=" + rs.getString(2)
                                + " synchronous_commit=" + rs.getString(3) + " fsync=" + rs.getString(4));
                    }
                }
            }
            checkAppRoleAuthenticates();
            switch (variant) {
                case bare -> {
                    try (Connection admin = admin(DATABASE)) {
                        createAndLoad(admin);
                        exec(admin, "GRANT SELECT ON listings TO " + APP_ROLE);
                        exec(admin, "ANALYZE listings");
                    }
                    pool = pool(true);
                }
                case extraRoundTrip -> {
                    try (Connection admin = admin(DATABASE)) {
                        createAndLoad(admin);
                        exec(admin, "GRANT SELECT ON listings TO " + APP_ROLE);
                        exec(admin, "ANALYZE listings");
                    }
                    pool = pool(true);
                }
                case setLocal, setReset -> {
                    try (Connection admin = admin(DATABASE)) {
                        createAndLoad(admin);
                        exec(admin, "ALTER TABLE listings ENABLE ROW LEVEL SECURITY");
                        exec(admin, "CREATE POLICY tenant_rows ON listings USING"
                                + " (tenant_id = current_setting('app.tenant_id', true))");
                        exec(admin, "GRANT SELECT ON listings TO " + APP_ROLE);
                        exec(admin, "ANALYZE listings");
                    }
                    pool = pool(variant == Variant.setReset);
                    verifySessionVariable();
                }
                case setSchema -> {
                    try (Connection admin = admin(DATABASE)) {
                        for (int t = 0; t < TENANTS; t++) {
                            String schema = schemaOf(t);
                            exec(admin, "CREATE SCHEMA " + schema);
                            exec(admin, "CREATE TABLE " + schema + ".listings (id bigint PRIMARY KEY,"
                                    + " title text NOT NULL, price numeric)");
                            exec(admin, "INSERT INTO " + schema + ".listings (id, title, price) " + rowsOf(t));
                            exec(admin, "GRANT USAGE ON SCHEMA " + schema + " TO " + APP_ROLE);
                            exec(admin, "GRANT SELECT ON " + schema + ".listings TO " + APP_ROLE);
                            exec(admin, "ANALYZE " + schema + ".listings");
                        }
                    }
                    pool = pool(true);
                    verifySetSchema();
                }
                default -> setUpTenantDataSource();
            }
            monitor = admin(DATABASE);
        }

        private void setUpTenantDataSource() throws Exception {
            IsolationLevel level = variant.enhancedLevel() ? IsolationLevel.ENHANCED : IsolationLevel.BASIC;
            if (variant == Variant.basicJdbcCatalog) {
                try (Connection admin = admin("postgres")) {
                    exec(admin, "CREATE DATABASE " + CONTROL_DATABASE);
                }
                HikariConfig config = new HikariConfig();
                config.setPoolName(variant + "-control-plane");
                config.setJdbcUrl(jdbcUrl(CONTROL_DATABASE));
                config.setUsername("postgres");
                config.setPassword("postgres");
                config.setMaximumPoolSize(2);
                config.setMinimumIdle(1);
                controlPlane = new HikariDataSource(config);
                catalog = Providers.fromClassPath().select(TenantCatalogProvider.class, "jdbc")
                        .open(ProviderContext.builder().object(DataSource.class, controlPlane)
                                .events(PlatformEvents.create()).build());
                if (!(catalog instanceof CachingTenantCatalog)) {
                    throw new IllegalStateException("the jdbc provider returned " + catalog.getClass()
                            + ", not a cached catalog");
                }
            } else {
                catalog = InMemoryTenantCatalog.create();
            }
            for (int t = 0; t < TENANTS; t++) {
                tenants[t] = catalog.create(Tenant.builder(tenantId(t)).market("us-ca").organization("Org " + t)
                        .isolationLevel(level).state(TenantState.ACTIVE).build());
            }
            TenantDataSource.Builder builder = TenantDataSource.builder().tenants(catalog)
                    .markets(MarketCatalog.defaults()).bindingKey(BINDING_KEY)
                    .endpoint(new DatabaseEndpoint(ENDPOINT, DeploymentRegion.US_EAST, jdbcUrl(DATABASE),
                            new Credentials("postgres", "postgres"), new Credentials(APP_ROLE, "app")))
                    .maximumPoolSize(POOL_SIZE).tenantAffinity(variant.affinity());
            if (variant.enhancedLevel()) {
                tenantData = builder.migrations(SchemaMigrations.of(List.of(LISTINGS_V1))).build();
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
            } else {
                try (Connection admin = admin(DATABASE)) {
                    createAndLoad(admin);
                }
                tenantData = builder.protectTable("listings").build();
                for (Tenant t : tenants) {
                    tenantData.provision(t.id());
                }
                try (Connection admin = admin(DATABASE)) {
                    exec(admin, "ANALYZE listings");
                }
            }
            verifyTenantDataSource();
        }

        /** One request of thread {@code thread}: the next one of its sequence. */
        void request(int thread) throws SQLException {
            int i = position[thread]++ & (SEQUENCE - 1);
            int t = REQUEST_TENANT[thread][i];
            long[] ids = REQUEST_IDS[thread];
            int first = i * QUERIES_PER_REQUEST;
            int found;
            switch (variant) {
                case bare -> found = queries(pool, ids, first);
                case extraRoundTrip -> {
                    try (Connection c = pool.getConnection()) {
                        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                            rs.next();
                        }
                        found = queries(c, ids, first);
                    }
                }
                case setReset -> {
                    try (Connection c = pool.getConnection()) {
                        try (PreparedStatement set = c.prepareStatement("SELECT set_config('app.tenant_id', ?, false)")) {
                            set.setString(1, tenantId(t));
                            try (ResultSet rs = set.executeQuery()) {
                                rs.next();
                            }
                        }
                        found = queries(c, ids, first);
                        try (Statement reset = c.createStatement()) {
                            reset.execute("RESET app.tenant_id");
                        }
                    }
                }
                case setSchema -> {
                    try (Connection c = pool.getConnection()) {
                        c.setSchema(schemaOf(t));
                        found = queries(c, ids, first);
                        c.setSchema("public");      // back on release, as Hibernate's connection provider does
                    }
                }
                case setLocal -> {
                    try (Connection c = pool.getConnection()) {
                        try (PreparedStatement set = c.prepareStatement("SELECT set_config('app.tenant_id', ?, true)")) {
                            set.setString(1, tenantId(t));
                            try (ResultSet rs = set.executeQuery()) {
                                rs.next();
                            }
                        }
                        found = queries(c, ids, first);
                        c.commit();
                    }
                }
                default -> {
                    try (TenantContext.Scope s = TenantContext.open(tenants[t])) {
                        found = queries(tenantData, ids, first);
                    }
                }
            }
            if (found != QUERIES_PER_REQUEST) {
                synchronized (this) {
                    misses += QUERIES_PER_REQUEST - found;
                }
            }
        }

        private static int queries(DataSource ds, long[] ids, int first) throws SQLException {
            try (Connection c = ds.getConnection()) {
                return queries(c, ids, first);
            }
        }

        /** Runs the request's point queries on {@code c}; returns how many found their row. */
        private static int queries(Connection c, long[] ids, int first) throws SQLException {
            int found = 0;
            try (PreparedStatement ps = c.prepareStatement(QUERY)) {
                for (int q = 0; q < QUERIES_PER_REQUEST; q++) {
                    ps.setLong(1, ids[first + q]);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getString(1) != null) {
                            found++;
                        }
                    }
                }
            }
            return found;
        }

        /** The endpoint's counters, if this is a {@code TenantDataSource} variant. */
        EndpointStatistics statistics() {
            return tenantData == null ? null : tenantData.statistics().endpoint(ENDPOINT).orElseThrow();
        }

        CatalogCacheStats cacheStats() {
            return catalog instanceof CachingTenantCatalog cached ? cached.stats() : null;
        }

        /** The {@code /proc} CPU counters of this server's client backends, this monitor's own excepted. */
        List<Path> backends() throws SQLException {
            List<Path> stats = new ArrayList<>();
            try (Statement s = monitor.createStatement(); ResultSet rs = s.executeQuery("SELECT pid FROM"
                    + " pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
                while (rs.next()) {
                    stats.add(Path.of("/proc", Integer.toString(rs.getInt(1)), "schedstat"));
                }
            }
            return stats;
        }

        private HikariDataSource pool(boolean autoCommit) {
            HikariConfig config = new HikariConfig();
            config.setPoolName(variant.name());
            config.setJdbcUrl(jdbcUrl(DATABASE));
            config.setUsername(APP_ROLE);
            config.setPassword("app");
            config.setMaximumPoolSize(POOL_SIZE);
            config.setMinimumIdle(POOL_SIZE);
            config.setAutoCommit(autoCommit);
            return new HikariDataSource(config);
        }

        /**
         * Each tenant sees exactly its 1,000 rows under the plain policy, and nothing with no tenant set
         * ({@code setLocal}: in a transaction; {@code setReset}: in the session).
         */
        private void verifySessionVariable() throws SQLException {
            boolean local = variant == Variant.setLocal;
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM listings")) {
                    rs.next();
                    if (rs.getLong(1) != 0) {
                        throw new IllegalStateException(variant + ": with no tenant set " + rs.getLong(1)
                                + " rows are visible");
                    }
                }
                if (local) {
                    c.commit();
                }
                for (int t = 0; t < TENANTS; t++) {
                    s.execute("SELECT set_config('app.tenant_id', '" + tenantId(t) + "', " + local + ")");
                    try (ResultSet rs = s.executeQuery("SELECT count(*), count(*) FILTER (WHERE tenant_id <> '"
                            + tenantId(t) + "'), count(*) FILTER (WHERE id = " + id((t + 1) % TENANTS, 0)
                            + ") FROM listings")) {
                        rs.next();
                        if (rs.getLong(1) != ROWS_PER_TENANT || rs.getLong(2) != 0 || rs.getLong(3) != 0) {
                            throw new IllegalStateException(variant + ": tenant " + tenantId(t) + " sees "
                                    + rs.getLong(1) + " rows, " + rs.getLong(2) + " of other tenants");
                        }
                    }
                    if (local) {
                        c.commit();
                    }
                }
                if (!local) {
                    s.execute("RESET app.tenant_id");
                }
            }
            System.out.println("[setup] isolation verified (" + variant + "): each of " + TENANTS + " tenants sees"
                    + " exactly its " + ROWS_PER_TENANT + " rows, none with no tenant set");
        }

        /** Each tenant's schema holds exactly its 1,000 rows; with the pool's own schema no listings are found. */
        private void verifySetSchema() throws SQLException {
            for (int t = 0; t < TENANTS; t++) {
                try (Connection c = pool.getConnection()) {
                    c.setSchema(schemaOf(t));
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*),"
                            + " count(*) FILTER (WHERE (id - 1) % " + TENANTS + " <> " + t + ") FROM listings")) {
                        rs.next();
                        if (rs.getLong(1) != ROWS_PER_TENANT || rs.getLong(2) != 0) {
                            throw new IllegalStateException("setSchema: tenant " + tenantId(t) + " sees "
                                    + rs.getLong(1) + " rows, " + rs.getLong(2) + " of other tenants");
                        }
                    }
                    c.setSchema("public");
                }
            }
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) { // set back on release
                s.executeQuery("SELECT count(*) FROM listings").close();
                throw new IllegalStateException("setSchema: a returned connection still reads a tenant's listings");
            } catch (SQLException expected) {
                if (!"42P01".equals(expected.getSQLState())) {
                    throw expected;
                }
            }
            System.out.println("[setup] isolation verified (setSchema): each of " + TENANTS + " schemas holds"
                    + " exactly its tenant's " + ROWS_PER_TENANT + " rows; a returned connection is set back");
        }

        /**
         * Each tenant sees exactly its own 1,000 rows and none of another's (BASIC: by {@code tenant_id}; ENHANCED: by
         * id, in its own schema), and cannot read another tenant's row by id.
         */
        private void verifyTenantDataSource() throws SQLException {
            for (int t = 0; t < TENANTS; t++) {
                String foreign = variant.enhancedLevel() ? "(id - 1) % " + TENANTS + " <> " + t
                        : "tenant_id <> '" + tenantId(t) + "'";
                String schema = variant.enhancedLevel()
                        ? tenantData.placement(tenants[t].id()).orElseThrow().location() : "public";
                try (TenantContext.Scope s = TenantContext.open(tenants[t]);
                        Connection c = tenantData.getConnection();
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE " + foreign + "),"
                                + " current_schema() FROM listings")) {
                    rs.next();
                    if (rs.getLong(1) != ROWS_PER_TENANT || rs.getLong(2) != 0) {
                        throw new IllegalStateException(variant + ": tenant " + tenantId(t) + " sees " + rs.getLong(1)
                                + " rows, " + rs.getLong(2) + " of other tenants");
                    }
                    if (!schema.equals(rs.getString(3))) {
                        throw new IllegalStateException(variant + ": tenant " + tenantId(t) + " queries schema "
                                + rs.getString(3) + ", not " + schema);
                    }
                }
                try (TenantContext.Scope s = TenantContext.open(tenants[t]);
                        Connection c = tenantData.getConnection()) {
                    if (queries(c, new long[] {id((t + 1) % TENANTS, 0), id((t + 7) % TENANTS, 3), id(t, 5)}, 0)
                            != 1) {
                        throw new IllegalStateException(variant + ": tenant " + tenantId(t)
                                + " read another tenant's row, or not its own");
                    }
                }
            }
            System.out.println("[setup] isolation verified (" + variant + "): each of " + TENANTS
                    + " tenants sees exactly its " + ROWS_PER_TENANT + " rows");
        }

        /**
         * Makes every role but the superuser {@code postgres} prove its password (SCRAM-SHA-256) over TCP, as
         * {@link IsolationBenchmark} does: zonky's default {@code pg_hba.conf} trusts everyone.
         */
        private void requirePasswords() throws Exception {
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
        private void checkAppRoleAuthenticates() throws Exception {
            for (int attempt = 1; ; attempt++) { // the server applies pg_hba.conf asynchronously after the reload
                try (Connection c = DriverManager.getConnection(jdbcUrl(DATABASE), APP_ROLE, "wrong")) {
                    if (attempt == 50) {
                        throw new IllegalStateException(APP_ROLE + " logs in with a wrong password: the server"
                                + " trusts it");
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
            }
        }

        private String jdbcUrl(String database) {
            return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
        }

        private Connection admin(String database) throws SQLException {
            return DriverManager.getConnection(jdbcUrl(database), "postgres", "postgres");
        }

        @Override
        public void close() throws Exception {
            try {
                if (monitor != null) {
                    monitor.close();
                }
                if (pool != null) {
                    pool.close();
                }
                if (tenantData != null) {
                    tenantData.close();
                }
                if (catalog != null) {
                    catalog.close(); // the jdbc catalog's cache holds a control-plane connection for its listener
                }
                if (controlPlane != null) {
                    controlPlane.close();
                }
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
    }

    /** The rows (id, title, price) of tenant {@code t}: the same ids, titles and prices {@link #createAndLoad} gives it. */
    static String rowsOf(int t) {
        return "SELECT g, 'Listing ' || g || ', 3 bd, 2 ba', 100000 + g FROM generate_series(1, "
                + (TENANTS * ROWS_PER_TENANT) + ") g WHERE (g - 1) % " + TENANTS + " = " + t;
    }

    /** {@code listings} with all tenants' rows and an index on {@code tenant_id}, owned by {@code postgres}. */
    static void createAndLoad(Connection admin) throws SQLException {
        exec(admin, "CREATE TABLE listings (id bigint PRIMARY KEY, tenant_id text NOT NULL,"
                + " title text NOT NULL, price numeric)");
        exec(admin, "INSERT INTO listings (id, tenant_id, title, price)"
                + " SELECT g, 't' || lpad((((g - 1) % " + TENANTS + ") + 1)::text, 3, '0'),"
                + " 'Listing ' || g || ', 3 bd, 2 ba', 100000 + g"
                + " FROM generate_series(1, " + (TENANTS * ROWS_PER_TENANT) + ") g");
        exec(admin, "CREATE INDEX IF NOT EXISTS listings_tenant_id_idx ON listings (tenant_id)");
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * The client threads. Each phase the main thread names a variant and a deadline; every thread runs that
     * variant's requests until the deadline, counting them, and all meet at a barrier.
     */
    private static final class Workers implements AutoCloseable {
        private final CyclicBarrier barrier = new CyclicBarrier(THREADS + 1);
        private final Thread[] threads = new Thread[THREADS];
        private final long[] counts = new long[THREADS];
        private volatile Bench bench;
        private volatile long deadline;
        private volatile boolean stop;
        private volatile Throwable failure;

        Workers() {
            for (int k = 0; k < THREADS; k++) {
                int thread = k;
                threads[k] = new Thread(() -> work(thread), "client-" + k);
                threads[k].setDaemon(true);
                threads[k].start();
            }
        }

        private void work(int thread) {
            try {
                while (true) {
                    barrier.await();
                    if (stop) {
                        return;
                    }
                    Bench b = bench;
                    long end = deadline;
                    long done = 0;
                    try {
                        while (System.nanoTime() - end < 0) {
                            b.request(thread);
                            done++;
                        }
                    } catch (Throwable e) {
                        failure = e;
                    }
                    counts[thread] = done;
                    barrier.await();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }

        /** Runs {@code b}'s requests on all threads for {@code millis}; returns how many were done. */
        long phase(Bench b, long start, long millis) throws Exception {
            bench = b;
            deadline = start + millis * 1_000_000;
            barrier.await();
            barrier.await();
            if (failure != null) {
                throw new IllegalStateException(b.variant + " failed", failure);
            }
            long sum = 0;
            for (long c : counts) {
                sum += c;
            }
            return sum;
        }

        @Override
        public void close() throws Exception {
            stop = true;
            barrier.await();
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    /** Sums per variant; per batch too. */
    private static final class Totals {
        final long[] requests;
        final long[] nanos;
        final long[] jvmCpu;
        final long[] serverCpu;
        final long[] serverCpuRequests;
        final long[] borrows;
        final long[] switches;
        final long[] switchNanos;
        final long[] waits;
        final long[] cacheHits;
        final long[] cacheMisses;
        final long[][] batchRequests;
        final long[][] batchNanos;
        int rounds;

        Totals(int n) {
            requests = new long[n];
            nanos = new long[n];
            jvmCpu = new long[n];
            serverCpu = new long[n];
            serverCpuRequests = new long[n];
            borrows = new long[n];
            switches = new long[n];
            switchNanos = new long[n];
            waits = new long[n];
            cacheHits = new long[n];
            cacheMisses = new long[n];
            batchRequests = new long[BATCHES][n];
            batchNanos = new long[BATCHES][n];
        }
    }

    private static void run(Workers workers, Bench[] benches, double seconds, Totals totals) throws Exception {
        int n = benches.length;
        long start = System.nanoTime();
        long length = (long) (seconds * 1e9);
        int round = 0;
        while (System.nanoTime() - start < length) {
            int batch = (int) Math.min(BATCHES - 1, (System.nanoTime() - start) * BATCHES / length);
            for (int k = 0; k < n; k++) {
                int v = (round + k) % n;
                Bench b = benches[v];
                List<Path> backends = b.backends();
                workers.phase(b, System.nanoTime(), LEAD_IN_MILLIS); // not counted
                EndpointStatistics stats0 = b.statistics();
                CatalogCacheStats cache0 = b.cacheStats();
                long server0 = cpu(backends);
                long jvm0 = jvmCpu();
                long t0 = System.nanoTime();
                long requests = workers.phase(b, t0, BLOCK_MILLIS);
                long t1 = System.nanoTime();
                long jvm1 = jvmCpu();
                long server1 = cpu(backends);
                EndpointStatistics stats1 = b.statistics();
                CatalogCacheStats cache1 = b.cacheStats();
                if (totals != null) {
                    totals.requests[v] += requests;
                    totals.nanos[v] += t1 - t0;
                    totals.jvmCpu[v] += jvm1 - jvm0;
                    if (server0 >= 0 && server1 >= 0) {
                        totals.serverCpu[v] += server1 - server0;
                        totals.serverCpuRequests[v] += requests;
                    }
                    if (stats0 != null) {
                        totals.borrows[v] += stats1.borrows() - stats0.borrows();
                        totals.switches[v] += stats1.switches() - stats0.switches();
                        totals.switchNanos[v] += stats1.switchTime().minus(stats0.switchTime()).toNanos();
                        totals.waits[v] += stats1.waits() - stats0.waits();
                    }
                    if (cache0 != null) {
                        totals.cacheHits[v] += cache1.hits() - cache0.hits();
                        totals.cacheMisses[v] += cache1.misses() - cache0.misses();
                    }
                    totals.batchRequests[batch][v] += requests;
                    totals.batchNanos[batch][v] += t1 - t0;
                }
            }
            round++;
        }
        if (totals != null) {
            totals.rounds = round;
        }
    }

    private static void report(Variant[] variants, Bench[] benches, Totals t) {
        int n = variants.length;
        int bare = 0; // selected() puts bare first
        System.out.printf("%d rounds%n", t.rounds);
        System.out.printf("%-20s %9s %8s %21s %15s %8s %8s %8s %8s %8s %8s %9s%n", "variant", "req/s", "vs bare",
                "batch ratio (99.9%)", "batch min-max", "wall us", "jvm cpu", "pg cpu", "borrows", "switch",
                "sw us", "waits");
        double bareRate = t.requests[bare] * 1e9 / t.nanos[bare];
        for (int v = 0; v < n; v++) {
            double rate = t.requests[v] * 1e9 / t.nanos[v];
            double[] ratios = new double[BATCHES];
            int filled = 0; // batches in which both ran (all of them unless the run is shorter than 10 rounds)
            double sum = 0;
            double min = Double.MAX_VALUE;
            double max = 0;
            for (int b = 0; b < BATCHES; b++) {
                if (t.batchRequests[b][v] == 0 || t.batchRequests[b][bare] == 0) {
                    continue;
                }
                double r = (t.batchRequests[b][v] * 1e9 / t.batchNanos[b][v])
                        / (t.batchRequests[b][bare] * 1e9 / t.batchNanos[b][bare]);
                ratios[filled++] = r;
                sum += r;
                min = Math.min(min, r);
                max = Math.max(max, r);
            }
            double mean = sum / filled;
            double ss = 0;
            for (int b = 0; b < filled; b++) {
                ss += (ratios[b] - mean) * (ratios[b] - mean);
            }
            double half = filled < 2 ? Double.NaN
                    : T_999[filled - 2] * Math.sqrt(ss / (filled - 1)) / Math.sqrt(filled);
            String tds = variants[v].tenantDataSource()
                    ? String.format("%8d %8.3f %8.1f %9.4f", t.borrows[v],
                            t.borrows[v] == 0 ? 0 : (double) t.switches[v] / t.borrows[v],
                            t.switches[v] == 0 ? 0 : t.switchNanos[v] / 1e3 / t.switches[v],
                            t.borrows[v] == 0 ? 0 : (double) t.waits[v] / t.borrows[v])
                    : String.format("%8s %8s %8s %9s", "-", "-", "-", "-");
            System.out.printf("%-20s %9.0f %8.3f %13.3f ± %5.3f %7.3f-%-7.3f %8.1f %8.1f %8.1f %s%n", variants[v], rate,
                    rate / bareRate, mean, half, min, max, THREADS * (t.nanos[v] / 1e3) / t.requests[v],
                    t.jvmCpu[v] / 1e3 / t.requests[v],
                    t.serverCpuRequests[v] == 0 ? Double.NaN : t.serverCpu[v] / 1e3 / t.serverCpuRequests[v], tds);
        }
        System.out.println("(wall us: microseconds per request and thread (4 threads); jvm cpu: CPU of this JVM, all"
                + " threads, per request; pg cpu: CPU of the variant's PostgreSQL client backends per request;"
                + " borrows, switch (share of borrows that switched tenant), sw us (mean time of a switch), waits"
                + " (per borrow): TenantDataSource.statistics() over the counted parts)");
        for (int v = 0; v < n; v++) {
            if (benches[v].cacheStats() != null) {
                System.out.printf("%s: tenant cache over the counted parts: %d hits, %d misses (%d requests)%n",
                        variants[v], t.cacheHits[v], t.cacheMisses[v], t.requests[v]);
            }
        }
    }

    private static long cpu(List<Path> stats) {
        long sum = 0;
        for (Path p : stats) {
            try {
                sum += Long.parseLong(Files.readString(p).trim().split(" ")[0]);
            } catch (Exception e) {
                return -1; // a backend went away (or not Linux)
            }
        }
        return sum;
    }

    private static long jvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
