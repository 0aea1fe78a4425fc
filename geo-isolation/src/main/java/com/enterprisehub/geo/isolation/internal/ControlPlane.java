package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.isolation.IsolationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The administrator's side of BASIC isolation on one database: installs the control plane, protects
 * tenant tables with row-level security, and records placements. Every operation is idempotent. Not
 * part of the API.
 */
public final class ControlPlane {
    /** The names of the two policies put on each tenant table. */
    public static final String RESTRICTIVE_POLICY = "geo_tenant_isolation";
    public static final String PERMISSIVE_POLICY = "geo_tenant_rows";
    public static final String TENANT_COLUMN = "tenant_id";

    /** The tenant bound to this session (its pid and start time both match), once per statement. */
    private static final String BOUND_TENANT = "(SELECT t.tenant FROM geo_control.bound_tenant t)";

    private ControlPlane() {
    }

    /**
     * Installs (or updates) the control plane and stores the binding key. A database that already holds a
     * different key is refused: every instance of the application must use the same key. The script runs only when
     * it differs from the one the control plane records as installed (another version of the SDK, another
     * application role, or none installed): re-creating the binding view takes a lock that waits for every tenant
     * statement in flight and blocks every one queued behind it, which an instance starting beside running ones must
     * not do. The control plane's catalog state is recorded too, and a change to it (a login trigger disabled, a
     * function replaced by hand) makes the next start apply the script again.
     *
     * @param appRole the shared application role, or null on a dedicated server (which has none)
     */
    public static void install(Connection admin, String appRole, byte[] key) throws SQLException {
        String script = script();
        if (appRole == null) {
            script = script.substring(0, script.indexOf("-- @app-role"));
        }
        script = script.replace("{{app_role}}", appRole == null ? "" : Sql.quote(appRole));
        String sha256 = sha256(script);
        Optional<String> installed = recorded(admin, "SELECT script_sha256 || ' ' || state_md5"
                + " FROM geo_control.installed WHERE id = 1", null);
        if (installed.isEmpty() || !installed.get().equals(sha256 + " " + controlPlaneState(admin))) {
            // recorded in the script's own (implicit) transaction: only if all of it applied
            applyWithLockTimeout(admin, script + "\nINSERT INTO geo_control.installed (id, script_sha256, state_md5)"
                    + " VALUES (1, '" + sha256 + "', " + CONTROL_PLANE_STATE + ") ON CONFLICT (id) DO UPDATE SET"
                    + " script_sha256 = excluded.script_sha256, state_md5 = excluded.state_md5",
                    "the isolation control plane");
        }
        try (PreparedStatement ps = admin.prepareStatement("SELECT key FROM geo_control.binding_key WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                if (!MessageDigest.isEqual(rs.getBytes(1), key)) {
                    throw new IsolationException("This database's control plane holds a different binding key than"
                            + " the one configured. Every instance must use the same key: load it from your secret"
                            + " store. To rotate it, update geo_control.binding_key as the administrator and"
                            + " restart all instances.");
                }
                return;
            }
        }
        try (PreparedStatement ps = admin.prepareStatement(
                "INSERT INTO geo_control.binding_key (id, key) VALUES (1, ?) ON CONFLICT (id) DO NOTHING")) {
            ps.setBytes(1, key);
            ps.execute();
        }
    }

    /**
     * Puts a table under tenant row-level security: its {@code tenant_id} column becomes NOT NULL,
     * non-empty and defaults to the bound tenant; RLS is enabled and forced (owners too); a restrictive
     * and a permissive policy with USING and WITH CHECK compare it with the bound tenant; it gets an
     * index; the application role gets DML on it. Nothing is applied when the control plane records these same
     * statements as applied to the table and the table's catalog state (row security, the column's constraint and
     * default, policies, indexes, grants, its sequences' grants) is still what they left: {@code ALTER TABLE} takes
     * the table's strongest lock and checks every row, which an instance starting beside running ones must not do.
     * A protection edited by hand is applied again.
     */
    public static void protectTable(Connection admin, String table, String appRole) throws SQLException {
        String qualified = Sql.quoteQualified(table);
        String[] parts = table.contains(".") ? table.split("\\.") : new String[] {"public", table};
        try (PreparedStatement ps = admin.prepareStatement("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND a.attname = ? AND NOT a.attisdropped")) {
            ps.setString(1, parts[0]);
            ps.setString(2, parts[1]);
            ps.setString(3, TENANT_COLUMN);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IsolationException("Table " + table + " has no column " + TENANT_COLUMN + "; add it"
                            + " (ALTER TABLE " + qualified + " ADD COLUMN " + TENANT_COLUMN + " text NOT NULL) and"
                            + " protect the table again.");
                }
                String type = rs.getString(1);
                if (!type.equals("text") && !type.startsWith("character varying")) {
                    throw new IsolationException("Column " + table + "." + TENANT_COLUMN + " is " + type
                            + "; it must be text or varchar.");
                }
            }
        }
        String constraint = Sql.quote(parts[1] + "_tenant_id_not_empty");
        String index = Sql.quote(parts[1] + "_tenant_id_idx");
        String ddl = "ALTER TABLE " + qualified + " ALTER COLUMN " + TENANT_COLUMN + " SET NOT NULL;"
                + " ALTER TABLE " + qualified + " ALTER COLUMN " + TENANT_COLUMN
                + " SET DEFAULT geo_control.current_tenant();"
                + " ALTER TABLE " + qualified + " DROP CONSTRAINT IF EXISTS " + constraint + ";"
                + " ALTER TABLE " + qualified + " ADD CONSTRAINT " + constraint + " CHECK (" + TENANT_COLUMN
                + " <> '');"
                + " ALTER TABLE " + qualified + " ENABLE ROW LEVEL SECURITY;"
                + " ALTER TABLE " + qualified + " FORCE ROW LEVEL SECURITY;"
                + " DROP POLICY IF EXISTS " + RESTRICTIVE_POLICY + " ON " + qualified + ";"
                + " DROP POLICY IF EXISTS " + PERMISSIVE_POLICY + " ON " + qualified + ";"
                + " CREATE POLICY " + RESTRICTIVE_POLICY + " ON " + qualified + " AS RESTRICTIVE FOR ALL TO PUBLIC"
                + " USING (" + TENANT_COLUMN + " = " + BOUND_TENANT + ") WITH CHECK (" + TENANT_COLUMN + " = "
                + BOUND_TENANT + ");"
                + " CREATE POLICY " + PERMISSIVE_POLICY + " ON " + qualified + " AS PERMISSIVE FOR ALL TO PUBLIC"
                + " USING (" + TENANT_COLUMN + " = " + BOUND_TENANT + ") WITH CHECK (" + TENANT_COLUMN + " = "
                + BOUND_TENANT + ");"
                + " CREATE INDEX IF NOT EXISTS " + index + " ON " + qualified + " (" + TENANT_COLUMN + ");"
                + " REVOKE ALL ON " + qualified + " FROM PUBLIC, " + Sql.quote(appRole) + ";"
                + " GRANT SELECT, INSERT, UPDATE, DELETE ON " + qualified + " TO " + Sql.quote(appRole) + ";"
                + " DO $$ DECLARE s text; BEGIN FOR s IN SELECT pg_get_serial_sequence('" + qualified
                + "', a.attname) FROM pg_attribute a WHERE a.attrelid = '" + qualified + "'::regclass AND a.attnum > 0"
                + " AND NOT a.attisdropped AND pg_get_serial_sequence('" + qualified + "', a.attname) IS NOT NULL"
                + " LOOP EXECUTE 'GRANT USAGE ON SEQUENCE ' || s || ' TO " + Sql.quote(appRole).replace("'", "''")
                + "'; END LOOP; END $$";
        String sha256 = sha256(ddl);
        String state = protectionState(admin, qualified);
        Optional<String> applied = recorded(admin, "SELECT ddl_sha256 || ' ' || state_md5"
                + " FROM geo_control.protected_table WHERE tbl = ?", qualified);
        if (applied.isPresent() && applied.get().equals(sha256 + " " + state)) {
            return;
        }
        applyWithLockTimeout(admin, ddl, "table " + table);
        try (PreparedStatement ps = admin.prepareStatement("INSERT INTO geo_control.protected_table"
                + " (tbl, ddl_sha256, state_md5) VALUES (?, ?, ?) ON CONFLICT (tbl) DO UPDATE"
                + " SET ddl_sha256 = excluded.ddl_sha256, state_md5 = excluded.state_md5")) {
            ps.setString(1, qualified);
            ps.setString(2, sha256);
            ps.setString(3, protectionState(admin, qualified));
            ps.executeUpdate();
        }
    }

    /** How long one attempt to apply DDL waits for a lock before it gives way (and tries again). */
    private static final String LOCK_TIMEOUT = "2s";
    /** How many times DDL that could not take its locks is tried. */
    private static final int LOCK_ATTEMPTS = 5;

    /**
     * Runs {@code ddl} (one implicit transaction) waiting at most {@link #LOCK_TIMEOUT} for each lock: a statement
     * that would wait longer gives way and the whole is tried again, up to {@link #LOCK_ATTEMPTS} times. Waiting
     * without limit in the lock queue would block every statement queued behind it, and could deadlock with a
     * tenant's transaction (PostgreSQL then aborts one of the two, maybe the tenant's).
     */
    private static void applyWithLockTimeout(Connection admin, String ddl, String what) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                Sql.execute(admin, "SET lock_timeout = '" + LOCK_TIMEOUT + "'");
                Sql.execute(admin, ddl);
                return;
            } catch (SQLException e) {
                if (!"55P03".equals(e.getSQLState()) && !"40P01".equals(e.getSQLState())
                        || attempt == LOCK_ATTEMPTS) {
                    if ("55P03".equals(e.getSQLState())) {
                        throw new IsolationException("Applying " + what + " could not take its locks in "
                                + LOCK_ATTEMPTS + " attempts of " + LOCK_TIMEOUT + ": transactions kept the tables"
                                + " busy (pg_locks shows them). Start again when they have ended.", e);
                    }
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            } finally {
                Sql.execute(admin, "RESET lock_timeout");
            }
        }
    }

    /** The policies of relation {@code c} (name, kind, command, roles, expressions) as one text, for the states below. */
    private static final String POLICIES = "(SELECT string_agg(pol.polname || ' ' || pol.polpermissive::text || ' '"
            + " || pol.polcmd::text || ' ' || pol.polroles::text || ' ' || coalesce(pg_get_expr(pol.polqual, pol.polrelid),"
            + " '') || ' ' || coalesce(pg_get_expr(pol.polwithcheck, pol.polrelid), ''), ',' ORDER BY pol.polname)"
            + " FROM pg_policy pol WHERE pol.polrelid = c.oid)";

    /**
     * What the control plane consists of in the catalog, as an MD5 expression: the installing role; its schema's
     * grants; its functions (definition, grants); its views and tables (owner, grants, column grants, options, row
     * security, policies, triggers, a view's definition); the event triggers running its functions (enabled or not);
     * and the grants the script takes from PUBLIC in {@code pg_catalog} (large objects, activity, locks, cancel and
     * terminate). A login trigger disabled, a function replaced or a column of the binding table granted by hand
     * changes it, and the next start applies the script again, as every start did before.
     */
    private static final String CONTROL_PLANE_STATE = "(SELECT md5(concat_ws('|', current_user,"
            + " (SELECT n.nspacl::text FROM pg_namespace n WHERE n.nspname = 'geo_control'),"
            + " (SELECT string_agg(p.oid::regprocedure::text || ' ' || coalesce(p.proacl::text, ''), ','"
            + " ORDER BY p.oid::regprocedure::text) FROM pg_proc p WHERE p.pronamespace = 'pg_catalog'::regnamespace"
            + " AND (p.proname LIKE 'lo\\_%' OR p.proname IN ('loread', 'lowrite', 'pg_stat_get_activity',"
            + " 'pg_stat_get_backend_activity', 'pg_lock_status', 'pg_blocking_pids', 'pg_cancel_backend',"
            + " 'pg_terminate_backend'))),"
            + " (SELECT string_agg(c.relname || ' ' || coalesce(c.relacl::text, ''), ',' ORDER BY c.relname)"
            + " FROM pg_class c WHERE c.oid IN ('pg_catalog.pg_stat_activity'::regclass, 'pg_catalog.pg_locks'::regclass)),"
            + " (SELECT string_agg(p.oid::regprocedure::text || ' ' || pg_get_functiondef(p.oid) || ' '"
            + " || coalesce(p.proacl::text, ''), ',' ORDER BY p.oid::regprocedure::text) FROM pg_proc p"
            + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'geo_control' AND p.prokind = 'f'),"
            + " (SELECT string_agg(c.relname || ' ' || c.relkind::text || ' ' || c.relowner::regrole::text || ' '"
            + " || coalesce(c.relacl::text, '') || ' ' || c.relrowsecurity::text || ' ' || c.relforcerowsecurity::text"
            + " || ' ' || coalesce(c.reloptions::text, '') || ' ' || coalesce(pg_get_viewdef(c.oid), '') || ' '"
            + " || coalesce((SELECT string_agg(a.attname || ' ' || a.attacl::text, ',' ORDER BY a.attnum)"
            + " FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attacl IS NOT NULL), '') || ' '"
            + " || coalesce(" + POLICIES + ", '') || ' '"
            + " || coalesce((SELECT string_agg(pg_get_triggerdef(tg.oid) || ' ' || tg.tgenabled::text, ','"
            + " ORDER BY tg.tgname) FROM pg_trigger tg WHERE tg.tgrelid = c.oid), ''), ',' ORDER BY c.relname)"
            + " FROM pg_class c"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'geo_control'"
            + " AND c.relkind IN ('r', 'v', 'p')),"
            + " (SELECT string_agg(e.evtname || ' ' || e.evtevent || ' ' || e.evtenabled::text, ',' ORDER BY e.evtname)"
            + " FROM pg_event_trigger e JOIN pg_proc p ON p.oid = e.evtfoid JOIN pg_namespace n ON n.oid = p.pronamespace"
            + " WHERE n.nspname = 'geo_control'))))";

    private static String controlPlaneState(Connection admin) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT " + CONTROL_PLANE_STATE);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** What a table's protection consists of in the catalog, as an MD5 (see {@link #protectTable}). */
    private static String protectionState(Connection admin, String qualified) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT md5(concat_ws('|', c.relrowsecurity,"
                + " c.relforcerowsecurity, c.relacl::text, a.attnotnull, pg_get_expr(d.adbin, d.adrelid),"
                + " " + POLICIES + ","
                + " (SELECT string_agg(k.conname || ' ' || pg_get_constraintdef(k.oid), ',' ORDER BY k.conname)"
                + " FROM pg_constraint k WHERE k.conrelid = c.oid),"
                + " (SELECT string_agg(pg_get_indexdef(i.indexrelid), ',' ORDER BY pg_get_indexdef(i.indexrelid))"
                + " FROM pg_index i"
                + " WHERE i.indrelid = c.oid),"
                + " (SELECT string_agg(s.oid::regclass::text || ' ' || coalesce(s.relacl::text, ''), ','"
                + " ORDER BY s.oid) FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'"
                + " WHERE dep.refobjid = c.oid AND dep.classid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i'))))"
                + " FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = '" + TENANT_COLUMN + "'"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum WHERE c.oid = ?::regclass")) {
            ps.setString(1, qualified);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * The one value {@code query} (with {@code parameter} for its {@code ?}, if not null) reads from the control
     * plane; empty when it reads none or the control plane's records are not installed.
     */
    private static Optional<String> recorded(Connection admin, String query, String parameter) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT to_regclass('geo_control.protected_table')"
                + " IS NOT NULL AND to_regclass('geo_control.installed') IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return Optional.empty();
            }
        }
        try (PreparedStatement ps = admin.prepareStatement(query)) {
            if (parameter != null) {
                ps.setString(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The FROM and WHERE of a catalog query over relations of the given kinds ({@code 'r', 'p'}) that have
     * a {@code tenant_id} column, outside the system schemas and {@code geo_control}; {@code c} is the
     * relation, {@code n} its schema. Callers select what they need and may append {@code AND ...}.
     */
    static String tenantRelations(String relkinds, boolean includePartitions) {
        return " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = '" + TENANT_COLUMN + "'"
                + " AND NOT a.attisdropped"
                + " WHERE c.relkind IN (" + relkinds + ")" + (includePartitions ? "" : " AND NOT c.relispartition")
                + " AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname !~ '" + LOCATION_PATTERN + "'"
                + " AND n.nspname NOT IN ('information_schema', 'geo_control')";
    }

    /**
     * The tenant tables of this database: every ordinary or partitioned table with a {@code tenant_id}
     * column outside the system schemas and {@code geo_control}, as quoted {@code schema.table}.
     */
    public static List<String> tenantTables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                + tenantRelations("'r', 'p'", false) + " ORDER BY 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    /** Removes a tenant's placement record. */
    public static void removePlacement(Connection admin, String tenant) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("DELETE FROM geo_control.tenant_placement WHERE tenant = ?")) {
            ps.setString(1, tenant);
            ps.executeUpdate();
        }
    }

    /**
     * A placement as recorded in a control plane, with the state routing should use: a {@code MOVING} placement
     * whose move's lease ran out reads {@code READY} (a mover died while the tenant was frozen; {@code bind_placement}
     * serves it on its source again until a move resumes or is cancelled).
     */
    public record PlacementRow(String tenant, String level, String endpoint, String state, String location) {
    }

    /** Placements recorded on this database. */
    public static List<PlacementRow> placements(Connection admin) throws SQLException {
        List<PlacementRow> placements = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement("SELECT tenant, level, endpoint, CASE WHEN state ="
                + " 'MOVING' AND lease_until <= clock_timestamp() THEN 'READY' ELSE state END, coalesce(location, '')"
                + " FROM geo_control.tenant_placement");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                placements.add(new PlacementRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)));
            }
        }
        return placements;
    }

    /**
     * The name of a new tenant's schema and role (ENHANCED) or database and login role (MAXIMUM, REGULATORY) on
     * the database the admin connection is on: {@code geo_t<oid>_<16 hex digits>}, the database's OID keeping
     * tenants of different databases on one server (roles and databases are server-wide) apart, the digits
     * {@link BindingTokens#locationSuffix derived} from the tenant id with the binding key, so the catalogs every
     * session can read (pg_namespace, pg_roles, pg_database) do not list the customers. The placement records the
     * name: tenants placed before keep theirs ({@code geo_t<oid>_<id>}), and a resumed provisioning reuses it.
     */
    public static String location(Connection admin, String tenant, BindingTokens tokens) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT oid FROM pg_database WHERE datname = current_database()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return LOCATION_PREFIX + rs.getLong(1) + "_" + tokens.locationSuffix(tenant);
        }
    }

    /** The location the control plane records for {@code tenant}, if it records one. */
    public static Optional<String> recordedLocation(Connection admin, String tenant) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT location FROM geo_control.tenant_placement WHERE tenant = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** What every tenant schema, role and database name starts with. */
    public static final String LOCATION_PREFIX = "geo_t";
    /** A POSIX regular expression matching tenant schema, role and database names. */
    public static final String LOCATION_PATTERN = "^geo_t[0-9]+_[a-z0-9][a-z0-9_]*$";

    /**
     * A digest of the tables and columns (names and types, in order) of each tenant schema of this
     * database: two schemas with the same digest give prepared statements the same result types.
     */
    public static Map<String, String> schemaShapes(Connection admin) throws SQLException {
        return schemaShapes(admin, LOCATION_PATTERN);
    }

    /** The shape of one tenant schema (see {@link #schemaShapes(Connection)}). */
    public static String schemaShape(Connection admin, String schema) throws SQLException {
        return schemaShapes(admin, "^" + schema + "$").getOrDefault(schema, "schema:missing");
    }

    private static Map<String, String> schemaShapes(Connection admin, String pattern) throws SQLException {
        Map<String, String> shapes = new HashMap<>();
        try (PreparedStatement ps = admin.prepareStatement("SELECT n.nspname, md5(coalesce(string_agg(c.relname || '.'"
                + " || a.attname || ':' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY c.relname, a.attnum), ''))"
                + " FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v')"
                + " LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " WHERE n.nspname ~ ? GROUP BY n.nspname")) {
            ps.setString(1, pattern);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    shapes.put(rs.getString(1), "schema:" + rs.getString(2));
                }
            }
        }
        return shapes;
    }

    /** Records a placement in {@code state}; a placement on another endpoint is left alone and reported. */
    public static void recordPlacement(Connection admin, String tenant, String level, String endpoint, String state,
            String location) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("INSERT INTO geo_control.tenant_placement"
                + " (tenant, level, endpoint, state, location) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant) DO UPDATE"
                + " SET state = excluded.state, updated_at = now()"
                + " WHERE geo_control.tenant_placement.endpoint = excluded.endpoint"
                + " AND geo_control.tenant_placement.level = excluded.level"
                + " AND geo_control.tenant_placement.location IS NOT DISTINCT FROM excluded.location")) {
            ps.setString(1, tenant);
            ps.setString(2, level);
            ps.setString(3, endpoint);
            ps.setString(4, state);
            ps.setString(5, location);
            if (ps.executeUpdate() == 0) {
                throw new IsolationException("Tenant '" + tenant + "' is already placed elsewhere (another endpoint"
                        + " or level) on this database; offboard it there first.");
            }
        }
    }

    private static String script() {
        try (InputStream in = ControlPlane.class.getResourceAsStream("control-plane.sql")) {
            if (in == null) {
                throw new IllegalStateException("control-plane.sql is missing from the geo-isolation jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
