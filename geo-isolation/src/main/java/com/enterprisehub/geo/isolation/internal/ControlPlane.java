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
     * different key is refused: every instance of the application must use the same key.
     *
     * @param appRole the shared application role, or null on a dedicated server (which has none)
     */
    public static void install(Connection admin, String appRole, byte[] key) throws SQLException {
        String script = script();
        if (appRole == null) {
            script = script.substring(0, script.indexOf("-- @app-role"));
        }
        Sql.execute(admin, script.replace("{{app_role}}", appRole == null ? "" : Sql.quote(appRole)));
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
     * index; the application role gets DML on it.
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
        Sql.execute(admin, "ALTER TABLE " + qualified + " ALTER COLUMN " + TENANT_COLUMN + " SET NOT NULL;"
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
                + " GRANT SELECT, INSERT, UPDATE, DELETE ON " + qualified + " TO " + Sql.quote(appRole) + ";");
        Sql.execute(admin, "DO $$ DECLARE s text; BEGIN FOR s IN SELECT pg_get_serial_sequence('" + qualified
                + "', a.attname) FROM pg_attribute a WHERE a.attrelid = '" + qualified + "'::regclass AND a.attnum > 0"
                + " AND NOT a.attisdropped AND pg_get_serial_sequence('" + qualified + "', a.attname) IS NOT NULL"
                + " LOOP EXECUTE 'GRANT USAGE ON SEQUENCE ' || s || ' TO " + Sql.quote(appRole).replace("'", "''")
                + "'; END LOOP; END $$");
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
