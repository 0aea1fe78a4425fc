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
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the server time of a tenant switch goes: {@code geo_control.switch_to} (with {@code bind_placement} and
 * {@code placement_lock_key}) as on main at {@code 3e57998}, the same with one part dropped or replaced at a time, and
 * the functions the SDK installs now, measured in one JVM in interleaved blocks (issue 19, "a cheaper switch").
 *
 * <p>One embedded PostgreSQL 17, one {@link TenantDataSource} with a pool of <b>one</b> connection and affinity off,
 * two BASIC tenants (rows in the shared, row-level-secured {@code listings}) and two ENHANCED tenants (a schema and a
 * role each). A borrow binds a tenant, gets the connection, runs {@code SELECT title FROM listings WHERE id = ?} once
 * and returns it; the two tenants of a level alternate, so <b>every borrow switches</b>. One thread, so the wall time
 * of a borrow is the client's, the loopback's and the server's time in series, and the server's CPU per borrow is
 * read from {@code /proc/<pid>/stat} of the pool's backend (10 ms ticks, summed over all blocks of a variant).
 *
 * <p>Variants are sets of the three functions, swapped in through an administrator connection ({@code CREATE OR
 * REPLACE} keeps their owner and grants) before each block; the first borrows of a block are not counted (plan
 * caches refill). Every round runs every variant once per level, in an order rotated each round; the first round
 * only warms up. Ratios are taken within a round (to {@code main} of the same round) and averaged, so a change of
 * machine load between rounds cancels out. Variants that make the binding wrong (no {@code UPDATE}) read no row and
 * are not checked; every other borrow must find its row. {@code noSwitch} is the reference: the installed functions
 * and the same tenant every borrow, so no switch is sent (what a borrow costs without one).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar com.enterprisehub.geo.benchmarks.SwitchCostInterleaved
 * [rounds] [borrowsPerBlock] [variant,...]} (defaults 12, 400, all).
 */
public final class SwitchCostInterleaved {
    private static final String QUERY = "SELECT title FROM listings WHERE id = ?";
    private static final Migration LISTINGS_V1 = new Migration(1, "listings",
            "CREATE TABLE listings (id bigint PRIMARY KEY, title text NOT NULL)");
    private static final int LEAD_IN = 40;

    /** main at 3e57998: the placement lock's key, a SQL function (not inlinable: it reads a table). */
    static final String MAIN_LOCK_KEY = """
CREATE OR REPLACE FUNCTION geo_control.placement_lock_key(p_tenant text) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT pg_catalog.hashtextextended(pg_catalog.concat(pg_catalog.encode(k.key, 'hex'), ':placement:', p_tenant), 0)
  FROM geo_control.binding_key k WHERE k.id OPERATOR(pg_catalog.=) 1
$$""";

    /** main at 3e57998: the binding. */
    static final String MAIN_BIND = """
CREATE OR REPLACE FUNCTION geo_control.bind_placement(p_tenant text, p_nonce text, p_token text,
                                                      OUT enhanced boolean, OUT location text,
                                                      OUT state text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_level text;
  v_lease timestamptz;
BEGIN
  PERFORM pg_catalog.pg_advisory_xact_lock_shared(geo_control.placement_lock_key(p_tenant));
  UPDATE geo_control.session_binding b SET tenant = p_tenant, bound_at = clock_timestamp()
  FROM geo_control.binding_key k
  LEFT JOIN geo_control.tenant_placement p ON p.tenant = p_tenant
  WHERE b.pid = pg_backend_pid() AND k.id = 1
    AND b.nonce_hash = sha256(convert_to(p_nonce, 'UTF8'))
    AND p_token = encode(geo_control.hmac(convert_to(p_tenant || ':' || p_nonce, 'UTF8'), k.key, 'sha256'), 'hex')
  RETURNING coalesce(p.level = 'ENHANCED', false), p.location, p.state, p.level, p.lease_until
  INTO enhanced, location, state, v_level, v_lease;
  IF FOUND AND state = 'MOVING' AND v_lease <= clock_timestamp() THEN
    state := 'READY';
  END IF;
  IF FOUND AND (state = 'MOVING' OR v_level IN ('MAXIMUM', 'REGULATORY')) THEN
    RAISE EXCEPTION 'geo: tenant % is being moved or is no longer served by this pool; look its placement up again',
      p_tenant USING ERRCODE = '55000';
  END IF;
  IF NOT FOUND THEN
    IF p_nonce IS NULL OR NOT EXISTS (SELECT 1 FROM geo_control.session_binding b
        WHERE b.pid = pg_backend_pid() AND b.nonce_hash = sha256(convert_to(p_nonce, 'UTF8'))) THEN
      RAISE EXCEPTION 'geo: tenant binding refused (this session was not opened with that nonce)'
        USING ERRCODE = '28000';
    END IF;
    RAISE EXCEPTION 'geo: tenant binding refused (token does not verify)' USING ERRCODE = '28000';
  END IF;
END $$""";

    /** main at 3e57998: the switch. */
    static final String MAIN_SWITCH = """
CREATE OR REPLACE FUNCTION geo_control.switch_to(p_tenant text, p_nonce text, p_token text,
                                                 p_statement_timeout text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  s record;
  found text := '';
  has_cursors boolean;
  has_listen boolean;
BEGIN
  RESET ALL;
  RESET ROLE;
  SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_cursors c WHERE c.name <> ''),
         EXISTS (SELECT 1 FROM pg_catalog.pg_listening_channels())
    INTO has_cursors, has_listen;
  IF has_cursors THEN
    found := found || ' open cursors,';
    EXECUTE 'CLOSE ALL';
  END IF;
  IF has_listen THEN
    found := found || ' LISTEN registrations,';
    UNLISTEN *;
  END IF;
  PERFORM pg_catalog.pg_advisory_unlock_all();
  DISCARD SEQUENCES;
  IF found <> '' THEN
    RAISE WARNING 'geo-session-state:%', pg_catalog.rtrim(found, ',');
  END IF;
  PERFORM pg_catalog.set_config('statement_timeout', p_statement_timeout, false);
  s := geo_control.bind_placement(p_tenant, p_nonce, p_token);
  IF s.enhanced THEN
    IF s.state IS DISTINCT FROM 'READY' THEN
      RAISE EXCEPTION 'geo: tenant % is still being provisioned', p_tenant USING ERRCODE = '55000';
    END IF;
    EXECUTE 'SET ROLE ' || pg_catalog.quote_ident(s.location);
    PERFORM pg_catalog.set_config('search_path', pg_catalog.quote_ident(s.location), false);
  END IF;
END $$""";

    /** The two-argument, inlinable form of the lock key the SDK installs now. */
    private static final String LOCK_KEY_2 = """
CREATE OR REPLACE FUNCTION geo_control.placement_lock_key(p_tenant text, p_key bytea) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT pg_catalog.hashtextextended(pg_catalog.concat(pg_catalog.encode(p_key, 'hex'), ':placement:', p_tenant), 0)
$$""";
    private static final String STATE_QUERY = """
  SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_cursors c WHERE c.name <> ''),
         EXISTS (SELECT 1 FROM pg_catalog.pg_listening_channels())
    INTO has_cursors, has_listen;
""";
    private static final String VERIFY = """
    AND b.nonce_hash = sha256(convert_to(p_nonce, 'UTF8'))
    AND p_token = encode(geo_control.hmac(convert_to(p_tenant || ':' || p_nonce, 'UTF8'), k.key, 'sha256'), 'hex')
""";
    private static final String LOCK = "  PERFORM pg_catalog.pg_advisory_xact_lock_shared(geo_control.placement_lock_key(p_tenant));\n";
    private static final String UPDATE_HEAD = """
  UPDATE geo_control.session_binding b SET tenant = p_tenant, bound_at = clock_timestamp()
  FROM geo_control.binding_key k
""";
    private static final String RETURNING = """
  RETURNING coalesce(p.level = 'ENHANCED', false), p.location, p.state, p.level, p.lease_until
  INTO enhanced, location, state, v_level, v_lease;
""";

    /** One set of the three functions; {@code basicOnly}: not valid for ENHANCED; {@code bindsWrong}: reads no row. */
    record Variant(String name, String lockKey, String bind, String switchTo, boolean basicOnly, boolean bindsWrong,
            boolean sameTenant) {
        Variant(String name, String lockKey, String bind, String switchTo) {
            this(name, lockKey, bind, switchTo, false, false, false);
        }

        Variant(String name, String lockKey, String bind, String switchTo, boolean basicOnly, boolean bindsWrong) {
            this(name, lockKey, bind, switchTo, basicOnly, bindsWrong, false);
        }
    }

    private SwitchCostInterleaved() {
    }

    /** {@code text} with {@code from} replaced by {@code to}; fails when {@code from} is not there exactly once. */
    static String cut(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalStateException("not found exactly once: " + from);
        }
        return text.replace(from, to);
    }

    static Map<String, Variant> variants(String[] installed) {
        Map<String, Variant> v = new LinkedHashMap<>();
        String k = MAIN_LOCK_KEY;
        String b = MAIN_BIND;
        String s = MAIN_SWITCH;
        v.put("main", new Variant("main", k, b, s));
        v.put("installed", new Variant("installed", installed[0], installed[1], installed[2]));
        // the reference: the installed functions, the same tenant every borrow, so no switch is sent at all
        v.put("noSwitch", new Variant("noSwitch", installed[0], installed[1], installed[2], false, false, true));
        v.put("noResetAll", new Variant("noResetAll", k, b, cut(s, "  RESET ALL;\n", "")));
        v.put("noResetRole", new Variant("noResetRole", k, b, cut(s, "  RESET ROLE;\n", "")));
        v.put("noStateQuery", new Variant("noStateQuery", k, b, cut(s, STATE_QUERY, "")));
        v.put("noUnlockAll", new Variant("noUnlockAll", k, b, cut(s, "  PERFORM pg_catalog.pg_advisory_unlock_all();\n", "")));
        v.put("noDiscardSeq", new Variant("noDiscardSeq", k, b, cut(s, "  DISCARD SEQUENCES;\n", "")));
        v.put("noTimeout", new Variant("noTimeout", k, b,
                cut(s, "  PERFORM pg_catalog.set_config('statement_timeout', p_statement_timeout, false);\n", "")));
        // every reset dropped: the switch is the binding (and, for ENHANCED, role and schema) only
        String bindOnly = cut(cut(cut(cut(cut(cut(s, "  RESET ALL;\n", ""), "  RESET ROLE;\n", ""), STATE_QUERY, ""),
                "  PERFORM pg_catalog.pg_advisory_unlock_all();\n", ""), "  DISCARD SEQUENCES;\n", ""),
                "  PERFORM pg_catalog.set_config('statement_timeout', p_statement_timeout, false);\n", "");
        v.put("noResets", new Variant("noResets", k, b, bindOnly));
        // PERFORM runs a full executor query through SPI; an assignment of the same call is a "simple expression"
        v.put("assignNotPerform", new Variant("assignNotPerform", k, b, cut(cut(cut(s,
                "  PERFORM pg_catalog.pg_advisory_unlock_all();\n", "  found := found || pg_catalog.pg_advisory_unlock_all();\n"),
                "  PERFORM pg_catalog.set_config('statement_timeout', p_statement_timeout, false);\n",
                "  has_cursors := pg_catalog.set_config('statement_timeout', p_statement_timeout, false) IS NULL;\n"),
                "  has_cursors boolean;", "  has_cursors boolean;\n  dummy text;")));
        // the cuts the SDK makes, one at a time
        v.put("roleIfTaken", new Variant("roleIfTaken", k, b, cut(s, "  RESET ROLE;\n",
                "  IF current_user OPERATOR(pg_catalog.<>) session_user THEN\n    RESET ROLE;\n  END IF;\n")));
        v.put("oneSelect", new Variant("oneSelect", k, b, cut(cut(cut(cut(s, STATE_QUERY, """
  SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_cursors c WHERE c.name <> ''),
         EXISTS (SELECT 1 FROM pg_catalog.pg_listening_channels()),
         pg_catalog.pg_advisory_unlock_all(),
         pg_catalog.set_config('statement_timeout', p_statement_timeout, false)
    INTO has_cursors, has_listen, unused, unused;
"""), "  PERFORM pg_catalog.pg_advisory_unlock_all();\n", ""),
                "  PERFORM pg_catalog.set_config('statement_timeout', p_statement_timeout, false);\n", ""),
                "  has_listen boolean;\n", "  has_listen boolean;\n  unused text;\n")));
        v.put("lockKeyInlined", new Variant("lockKeyInlined", LOCK_KEY_2 + ";\n" + k, cut(b, LOCK,
                "  PERFORM pg_catalog.pg_advisory_xact_lock_shared(geo_control.placement_lock_key(p_tenant, k.key))\n"
                + "  FROM geo_control.binding_key k WHERE k.id = 1;\n"), s));
        v.put("roleBySetConfig", new Variant("roleBySetConfig", k, b, cut(s, """
    EXECUTE 'SET ROLE ' || pg_catalog.quote_ident(s.location);
    PERFORM pg_catalog.set_config('search_path', pg_catalog.quote_ident(s.location), false);
""", """
    found := pg_catalog.set_config('role', s.location, false)
      OPERATOR(pg_catalog.||) pg_catalog.set_config('search_path', pg_catalog.quote_ident(s.location), false);
""")));
        v.put("noLock", new Variant("noLock", k, cut(b, LOCK, ""), s));
        v.put("lockKeyPlpgsql", new Variant("lockKeyPlpgsql", """
CREATE OR REPLACE FUNCTION geo_control.placement_lock_key(p_tenant text) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT pg_catalog.hashtextextended(pg_catalog.concat(pg_catalog.encode(k.key, 'hex'), ':placement:', p_tenant), 0)
    FROM geo_control.binding_key k WHERE k.id OPERATOR(pg_catalog.=) 1);
END $$""", b, s));
        v.put("noVerify", new Variant("noVerify", k, cut(b, VERIFY, ""), s));
        v.put("noUpdate", new Variant("noUpdate", k, cut(cut(b, UPDATE_HEAD, """
  SELECT coalesce(p.level = 'ENHANCED', false), p.location, p.state, p.level, p.lease_until
  INTO enhanced, location, state, v_level, v_lease
  FROM geo_control.session_binding b, geo_control.binding_key k
"""), RETURNING, ";\n"), s, false, true));
        // the binding inlined into a SECURITY DEFINER switch (BASIC only: SET ROLE is refused in such a function)
        v.put("inlinedDefiner", new Variant("inlinedDefiner", k, b, """
CREATE OR REPLACE FUNCTION geo_control.switch_to(p_tenant text, p_nonce text, p_token text,
                                                 p_statement_timeout text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  v_found text := '';
  has_cursors boolean;
  has_listen boolean;
  enhanced boolean;
  location text;
  state text;
  v_level text;
  v_lease timestamptz;
BEGIN
  RESET ALL;
""" + STATE_QUERY + """
  IF has_cursors THEN
    v_found := v_found || ' open cursors,';
    EXECUTE 'CLOSE ALL';
  END IF;
  IF has_listen THEN
    v_found := v_found || ' LISTEN registrations,';
    UNLISTEN *;
  END IF;
  PERFORM pg_catalog.pg_advisory_unlock_all();
  DISCARD SEQUENCES;
  IF v_found <> '' THEN
    RAISE WARNING 'geo-session-state:%', pg_catalog.rtrim(v_found, ',');
  END IF;
  PERFORM pg_catalog.set_config('statement_timeout', p_statement_timeout, false);
""" + LOCK + UPDATE_HEAD + """
  LEFT JOIN geo_control.tenant_placement p ON p.tenant = p_tenant
  WHERE b.pid = pg_backend_pid() AND k.id = 1
""" + VERIFY + RETURNING + """
  IF NOT FOUND OR enhanced THEN
    RAISE EXCEPTION 'geo: refused' USING ERRCODE = '28000';
  END IF;
END $$""", true, false));
        return v;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start()) {
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
                exec(admin, "CREATE INDEX ON listings (tenant_id)");
            }
            TenantCatalog catalog = InMemoryTenantCatalog.create();
            Tenant[] basic = {tenant(catalog, "alpha", IsolationLevel.BASIC), tenant(catalog, "bravo", IsolationLevel.BASIC)};
            Tenant[] enhanced = {tenant(catalog, "charlie", IsolationLevel.ENHANCED),
                tenant(catalog, "delta", IsolationLevel.ENHANCED)};
            TenantDataSource.Builder builder = TenantDataSource.builder().tenants(catalog)
                    .markets(MarketCatalog.defaults())
                    .bindingKey("switch-cost-benchmark-binding-key-0123456789".getBytes(StandardCharsets.US_ASCII))
                    .endpoint(new DatabaseEndpoint("main", DeploymentRegion.US_EAST, base + "geo",
                            new Credentials("postgres", "postgres"), new Credentials("geo_app", "app")))
                    .protectTable("listings").migrations(SchemaMigrations.of(List.of(LISTINGS_V1)))
                    .maximumPoolSize(1).tenantAffinity(false);
            // one data source (one pooled session) per level, so that a session never changes level
            try (TenantDataSource dsBasic = builder.build(); TenantDataSource dsEnhanced = builder.build();
                    Connection admin = DriverManager.getConnection(base + "geo", "postgres", "postgres")) {
                TenantDataSource ds = dsBasic;
                for (Tenant t : basic) {
                    ds.provision(t.id());
                }
                for (Tenant t : enhanced) {
                    dsEnhanced.provision(t.id());
                    try (TenantContext.Scope scope = TenantContext.open(t); Connection c = dsEnhanced.getConnection()) {
                        exec(c, "INSERT INTO listings SELECT g, 'listing ' || g FROM generate_series(1, 1000) g");
                    }
                }
                exec(admin, "ANALYZE");
                String[] installed = {def(admin, "geo_control.placement_lock_key(text)"),
                    def(admin, "geo_control.bind_placement(text,text,text)"),
                    def(admin, "geo_control.switch_to(text,text,text,text)")};
                Map<String, Variant> all = variants(installed);
                List<Variant> chosen = new ArrayList<>();
                if (args.length > 2) {
                    for (String name : args[2].split(",")) {
                        chosen.add(all.get(name));
                    }
                    if (!chosen.get(0).name().equals("main")) {
                        chosen.add(0, all.get("main"));
                    }
                } else {
                    chosen.addAll(all.values());
                }
                for (Variant v : chosen) { // each must install and bind (a smoke test of every variant)
                    install(admin, v);
                    for (int i = 0; i < 4; i++) {
                        borrow(ds, basic[i % 2], 2 + (i % 2), !v.bindsWrong());
                        if (!v.basicOnly()) {
                            borrow(dsEnhanced, enhanced[i % 2], 1 + i, !v.bindsWrong());
                        }
                    }
                }
                int n = chosen.size();
                int counted = rounds - 1;
                double[][][] wall = new double[2][n][counted]; // µs per borrow, per counted round
                double[][] cpu = new double[2][n];              // summed server CPU ticks over counted rounds
                System.out.printf("[setup] %d variants, %d rounds (the first not counted), %d borrows per block, every"
                        + " borrow a switch; %s%n", n, rounds, perBlock, System.getProperty("java.vm.version"));
                for (int r = 0; r < rounds; r++) {
                    for (int j = 0; j < n; j++) {
                        int v = (j + r) % n;
                        Variant variant = chosen.get(v);
                        install(admin, variant);
                        for (int level = 0; level < 2; level++) {
                            if (level == 1 && variant.basicOnly()) {
                                continue;
                            }
                            Tenant[] pair = level == 0 ? basic : enhanced;
                            TenantDataSource levelDs = level == 0 ? dsBasic : dsEnhanced;
                            for (int i = 0; i < LEAD_IN; i++) {
                                borrow(levelDs, pair[variant.sameTenant() ? 0 : i % 2], id(level, variant.sameTenant() ? i - i % 2 : i),
                                        !variant.bindsWrong());
                            }
                            long[] pids = appPids(admin);
                            long c0 = ticks(pids);
                            long t0 = System.nanoTime();
                            for (int i = 0; i < perBlock; i++) {
                                borrow(levelDs, pair[variant.sameTenant() ? 0 : i % 2], id(level, variant.sameTenant() ? i - i % 2 : i),
                                        !variant.bindsWrong());
                            }
                            double us = (System.nanoTime() - t0) / 1e3 / perBlock;
                            long c1 = ticks(pids);
                            if (r > 0) {
                                wall[level][v][r - 1] = us;
                                cpu[level][v] += c1 - c0;
                            }
                        }
                    }
                    if (r > 0) {
                        System.out.printf("[round %d] main: BASIC %.1f us/borrow, ENHANCED %.1f%n", r,
                                wall[0][0][r - 1], wall[1][0][r - 1]);
                    }
                }
                install(admin, all.get("installed"));
                for (int level = 0; level < 2; level++) {
                    System.out.printf("%n%s (two tenants alternating: every borrow switches; %d rounds x %d borrows)%n",
                            level == 0 ? "BASIC" : "ENHANCED", counted, perBlock);
                    System.out.printf("%-18s %14s %16s %22s %18s %16s %16s%n", "variant", "median wall us",
                            "median vs main", "vs main, quartiles", "median - main us", "server CPU us",
                            "CPU - main us");
                    double mainWall = median(wall[level][0]);
                    double mainCpu = cpu[level][0] * 1e6 / 100.0 / ((long) counted * perBlock);
                    for (int v = 0; v < n; v++) {
                        if (wall[level][v][0] == 0) {
                            continue;
                        }
                        double[] ratios = new double[counted];
                        for (int r = 0; r < counted; r++) {
                            ratios[r] = wall[level][v][r] / wall[level][0][r];
                        }
                        Arrays.sort(ratios);
                        double w = median(wall[level][v]);
                        double serverUs = cpu[level][v] * 1e6 / 100.0 / ((long) counted * perBlock);
                        System.out.printf("%-18s %14.1f %16.3f %11.3f-%-10.3f %18.1f %16.1f %16.1f%n",
                                chosen.get(v).name(), w, median(ratios), ratios[counted / 4],
                                ratios[(3 * counted) / 4], w - mainWall, serverUs, serverUs - mainCpu);
                    }
                }
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static long id(int level, int i) {
        return level == 0 ? 2 + (i % 900) * 2 + (i % 2) : 1 + (i % 1000);
    }

    private static Tenant tenant(TenantCatalog catalog, String id, IsolationLevel level) {
        return catalog.create(Tenant.builder(id).market("us-ny").organization(id).isolationLevel(level)
                .state(TenantState.ACTIVE).build());
    }

    private static void install(Connection admin, Variant v) throws SQLException {
        exec(admin, v.lockKey());
        exec(admin, v.bind());
        exec(admin, v.switchTo());
    }

    private static void borrow(TenantDataSource ds, Tenant tenant, long id, boolean check) throws SQLException {
        try (TenantContext.Scope scope = TenantContext.open(tenant); Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(QUERY)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() && check) {
                    throw new IllegalStateException("row " + id + " not found for " + tenant.id());
                }
            }
        }
    }

    /** The backends of the application role (the pool's one connection). */
    private static long[] appPids(Connection admin) throws SQLException {
        List<Long> pids = new ArrayList<>();
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE usename = 'geo_app'")) {
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
        }
        return pids.stream().mapToLong(Long::longValue).toArray();
    }

    /** User + system CPU ticks of these processes (Linux {@code /proc}; 0 elsewhere). */
    private static long ticks(long[] pids) {
        long sum = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                // the process ended or there is no /proc: counts nothing
            }
        }
        return sum;
    }

    private static String def(Connection admin, String signature) throws SQLException {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pg_get_functiondef('" + signature + "'::regprocedure)")) {
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
