package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.isolation.SelfCheckException.Finding;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks, on a connection of the application role, that nothing lets it bypass BASIC isolation.
 * Not part of the API.
 */
public final class SelfCheck {
    private SelfCheck() {
    }

    public static List<Finding> run(Connection app) throws SQLException {
        return run(app, Set.of());
    }

    /**
     * The application role's view, leaving out the relations of {@code quarantined} tenant schemas: tenants whose
     * provisioning did not finish (placement not READY). They are not routable, so their unprotected tables are no
     * one's route to data; a process killed half-way through a migration must not stop every other tenant of the
     * endpoint. Provisioning the tenant again secures them.
     */
    public static List<Finding> run(Connection app, Set<String> quarantined) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        String role;
        try (PreparedStatement ps = app.prepareStatement("SELECT r.rolname, r.rolsuper, r.rolbypassrls,"
                + " has_database_privilege(current_user, current_database(), 'TEMP'), current_database(),"
                + " has_database_privilege(current_user, current_database(), 'CREATE')"
                + " FROM pg_roles r WHERE r.rolname = current_user"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            role = rs.getString(1);
            String quoted = '"' + role + '"';
            if (rs.getBoolean(2)) {
                findings.add(new Finding("the application role " + role + " is a superuser, which bypasses"
                        + " row-level security", "ALTER ROLE " + quoted + " NOSUPERUSER;"));
            }
            if (rs.getBoolean(3)) {
                findings.add(new Finding("the application role " + role + " has BYPASSRLS",
                        "ALTER ROLE " + quoted + " NOBYPASSRLS;"));
            }
            if (rs.getBoolean(4)) {
                findings.add(new Finding("the application role " + role + " may create temporary tables, which"
                        + " can shadow tenant tables for the next borrower of a pooled connection",
                        "REVOKE TEMPORARY ON DATABASE \"" + rs.getString(5) + "\" FROM PUBLIC, " + quoted
                                + "; (then GRANT TEMPORARY to the roles that need it)"));
            }
            if (rs.getBoolean(6)) {
                findings.add(new Finding("the application role " + role + " may create schemas in database "
                        + rs.getString(5) + "; a schema named after the role comes first in the default search_path"
                        + " and can shadow tenant tables", "REVOKE CREATE ON DATABASE \"" + rs.getString(5)
                        + "\" FROM PUBLIC, " + quoted + ";"));
            }
        }
        // Memberships: only ENHANCED tenant roles, held WITH INHERIT FALSE (their privileges are taken by
        // geo_control.switch_to, never inherited), and those roles no more powerful than a tenant needs.
        try (PreparedStatement ps = app.prepareStatement("SELECT r.rolname, r.rolname ~ ? AND NOT m.inherit_option"
                + " AND NOT (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb OR r.rolcanlogin),"
                + " m.inherit_option, r.rolname ~ ? FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
                + " JOIN pg_roles me ON me.oid = m.member WHERE me.rolname = current_user ORDER BY 1")) {
            ps.setString(1, ControlPlane.LOCATION_PATTERN);
            ps.setString(2, ControlPlane.LOCATION_PATTERN);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(2)) {
                        continue;
                    }
                    String member = rs.getString(1);
                    findings.add(rs.getBoolean(4)
                            ? new Finding("the application role " + role + " holds tenant role " + member
                                    + (rs.getBoolean(3) ? " WITH INHERIT TRUE, so it has every tenant's privileges at once"
                                            : ", which may log in or has administrative attributes"),
                                    "GRANT \"" + member + "\" TO \"" + role + "\" WITH INHERIT FALSE, SET TRUE;"
                                            + " ALTER ROLE \"" + member + "\" NOLOGIN NOSUPERUSER NOBYPASSRLS"
                                            + " NOCREATEROLE NOCREATEDB;")
                            : new Finding("the application role " + role + " is a member of role " + member
                                    + ", whose privileges it can take with SET ROLE",
                                    "REVOKE \"" + member + "\" FROM \"" + role + "\";"));
                }
            }
        }
        largeObjects(app, role, findings);
        otherSessions(app, role, findings);
        tenantRoles(app, findings);
        tenantSchemas(app, quarantined, findings);
        try (PreparedStatement ps = app.prepareStatement("SELECT n.nspname FROM pg_namespace n"
                + " WHERE has_schema_privilege(current_user, n.oid, 'CREATE')"
                + " AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' ORDER BY 1");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                findings.add(new Finding("the application role " + role + " may create objects in schema "
                        + rs.getString(1) + ", which can shadow tenant tables through search_path",
                        "REVOKE CREATE ON SCHEMA \"" + rs.getString(1) + "\" FROM PUBLIC, \"" + role + "\";"));
            }
        }
        try (PreparedStatement ps = app.prepareStatement("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
                + " c.relrowsecurity, c.relforcerowsecurity,"
                + " EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = ? AND NOT p.polpermissive),"
                + " EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = ? AND p.polpermissive)"
                + ControlPlane.tenantRelations("'r', 'p'", true) + " ORDER BY 1")) {
            ps.setString(1, ControlPlane.RESTRICTIVE_POLICY);
            ps.setString(2, ControlPlane.PERMISSIVE_POLICY);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    if (!rs.getBoolean(2) || !rs.getBoolean(3) || !rs.getBoolean(4) || !rs.getBoolean(5)) {
                        findings.add(new Finding("tenant table " + table + " (it has a " + ControlPlane.TENANT_COLUMN
                                + " column) is not fully protected: row security " + (rs.getBoolean(2) ? "on" : "off")
                                + ", forced " + (rs.getBoolean(3) ? "yes" : "no") + ", isolation policies "
                                + (rs.getBoolean(4) && rs.getBoolean(5) ? "present" : "missing"),
                                "call TenantDataSource.Builder.protectTable(\"" + table + "\") (or"
                                        + " TenantDataSource.protectTable) so it is protected before use"));
                    }
                }
            }
        }
        tenantTablePrivileges(app, role, findings);
        tenantViews(app, role, findings);
        return findings;
    }

    /**
     * Advice, not refusals: unique constraints and foreign keys of the shared tenant tables that leave
     * {@code tenant_id} out. Row-level security does not hide existence, so a duplicate-key error or a successful
     * reference tells a tenant that another tenant's key exists (and such a reference then blocks that tenant's own
     * DELETE). Each with the statement that scopes it to the tenant. Read as the application role (the catalogs).
     */
    public static List<Finding> existenceOracles(Connection app) throws SQLException {
        List<Finding> advice = new ArrayList<>();
        try (PreparedStatement ps = app.prepareStatement("SELECT t.name, quote_ident(k.conname), k.contype,"
                + " pg_catalog.pg_get_constraintdef(k.oid), (SELECT string_agg(quote_ident(x.attname), ', ' ORDER BY"
                + " u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(att, ord) JOIN pg_attribute x ON x.attrelid ="
                + " k.conrelid AND x.attnum = u.att)"
                + " FROM pg_constraint k JOIN (SELECT c.oid AS relid, quote_ident(n.nspname) || '.'"
                + " || quote_ident(c.relname) AS name, a.attnum AS tenant_att"
                + ControlPlane.tenantRelations("'r', 'p'", false) + ") t ON t.relid = k.conrelid"
                + " WHERE k.contype IN ('p', 'u', 'f') AND NOT (t.tenant_att = ANY (k.conkey)) ORDER BY 1, 2")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    String name = rs.getString(2);
                    String columns = rs.getString(5);
                    String kind = rs.getString(3);
                    String t = ControlPlane.TENANT_COLUMN;
                    advice.add(switch (kind) {
                        case "f" -> new Finding("tenant table " + table + ": foreign key " + name + " ("
                                + rs.getString(4) + ") leaves " + t + " out, so a tenant can reference, and so learn of"
                                + " and pin, another tenant's row", "ALTER TABLE " + table + " DROP CONSTRAINT " + name
                                + ", ADD CONSTRAINT " + name + " FOREIGN KEY (" + t + ", " + columns + ") REFERENCES"
                                + " <the referenced table> (" + t + ", <its columns>); (the referenced table needs a"
                                + " unique key on them)");
                        default -> new Finding("tenant table " + table + ": " + ("p".equals(kind) ? "primary key "
                                : "unique constraint ") + name + " (" + columns + ") leaves " + t + " out, so a"
                                + " duplicate-key error tells a tenant that another tenant's key exists",
                                "ALTER TABLE " + table + " DROP CONSTRAINT " + name + ", ADD CONSTRAINT " + name
                                        + ("p".equals(kind) ? " PRIMARY KEY (" : " UNIQUE (") + t + ", " + columns
                                        + "); (or use keys that carry no meaning, such as generated ids, and accept"
                                        + " that their existence is visible)");
                    });
                }
            }
        }
        advice.addAll(coLocation(app));
        return advice;
    }

    /**
     * Advice: foreign keys between shared tenant tables that carry {@code tenant_id} but map it to another column of
     * the referenced table than its own {@code tenant_id}. Such tables cannot be co-located by {@code tenant_id} (Citus
     * distributes them by it; see docs/scale-out.md), and the key ties a row to a row that may be another tenant's.
     */
    private static List<Finding> coLocation(Connection app) throws SQLException {
        List<Finding> advice = new ArrayList<>();
        String t = ControlPlane.TENANT_COLUMN;
        try (PreparedStatement ps = app.prepareStatement("SELECT s.name, quote_ident(k.conname),"
                + " pg_catalog.pg_get_constraintdef(k.oid), quote_ident(rn.nspname) || '.' || quote_ident(r.relname),"
                + " quote_ident(ra.attname)"
                + " FROM pg_constraint k JOIN (SELECT c.oid AS relid, quote_ident(n.nspname) || '.'"
                + " || quote_ident(c.relname) AS name, a.attnum AS tenant_att"
                + ControlPlane.tenantRelations("'r', 'p'", false) + ") s ON s.relid = k.conrelid"
                + " JOIN pg_class r ON r.oid = k.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace"
                + " JOIN pg_attribute rt ON rt.attrelid = k.confrelid AND rt.attname = '" + t + "' AND NOT rt.attisdropped"
                + " JOIN LATERAL unnest(k.conkey, k.confkey) AS m(att, ref) ON m.att = s.tenant_att"
                + " JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = m.ref"
                + " WHERE k.contype = 'f' AND m.ref <> rt.attnum ORDER BY 1, 2")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    advice.add(new Finding("tenant table " + rs.getString(1) + ": foreign key " + rs.getString(2) + " ("
                            + rs.getString(3) + ") maps " + t + " to " + rs.getString(4) + "." + rs.getString(5)
                            + ", not to its " + t + ", so the tables cannot be co-located by " + t + " (Citus) and a"
                            + " row can refer to a row of another tenant", "ALTER TABLE " + rs.getString(1)
                            + " DROP CONSTRAINT " + rs.getString(2) + ", ADD CONSTRAINT " + rs.getString(2)
                            + " FOREIGN KEY (" + t + ", <its other columns>) REFERENCES " + rs.getString(4) + " (" + t
                            + ", <their columns>);"));
                }
            }
        }
        return advice;
    }

    /**
     * Checked as the administrator: the login roles of MAXIMUM and REGULATORY tenants have no administrative
     * attribute, belong to no role, and may connect to no other tenant's database.
     */
    public static List<Finding> tenantDatabases(Connection admin) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        try (PreparedStatement ps = admin.prepareStatement("SELECT r.rolname,"
                + " r.rolsuper OR r.rolbypassrls OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication,"
                + " (SELECT string_agg(g.rolname, ', ') FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                + " WHERE m.member = r.oid),"
                + " (SELECT string_agg(d.datname, ', ') FROM pg_database d WHERE d.datname ~ ? AND d.datname <> r.rolname"
                + " AND has_database_privilege(r.oid, d.oid, 'CONNECT'))"
                + " FROM pg_roles r WHERE r.rolname ~ ? AND r.rolcanlogin ORDER BY 1")) {
            ps.setString(1, ControlPlane.LOCATION_PATTERN);
            ps.setString(2, ControlPlane.LOCATION_PATTERN);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String role = '"' + rs.getString(1) + '"';
                    if (rs.getBoolean(2)) {
                        findings.add(new Finding("tenant login role " + role + " has an administrative attribute",
                                "ALTER ROLE " + role + " NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOREPLICATION;"));
                    }
                    if (rs.getString(3) != null) {
                        findings.add(new Finding("tenant login role " + role + " is a member of " + rs.getString(3),
                                "REVOKE " + rs.getString(3) + " FROM " + role + ";"));
                    }
                    if (rs.getString(4) != null) {
                        findings.add(new Finding("tenant login role " + role + " may connect to other tenants'"
                                + " databases: " + rs.getString(4), "REVOKE CONNECT ON DATABASE <each> FROM PUBLIC, "
                                        + role + ";"));
                    }
                }
            }
        }
        return findings;
    }

    /** ENHANCED tenant roles the application role can take must not create objects anywhere, nor temp tables. */
    /** The client-side large-object functions: row-level security does not cover large objects. */
    static final String[] LARGE_OBJECT_FUNCTIONS = {"lo_open", "lo_close", "loread", "lowrite", "lo_lseek",
        "lo_lseek64", "lo_creat", "lo_create", "lo_tell", "lo_tell64", "lo_truncate", "lo_truncate64", "lo_unlink",
        "lo_from_bytea", "lo_get", "lo_put", "lo_import", "lo_export"};

    private static void largeObjects(Connection app, String role, List<Finding> findings) throws SQLException {
        try (PreparedStatement ps = app.prepareStatement("SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p"
                + " WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname = ANY (?)"
                + " AND has_function_privilege(current_user, p.oid, 'EXECUTE') ORDER BY 1")) {
            ps.setArray(1, app.createArrayOf("text", LARGE_OBJECT_FUNCTIONS));
            List<String> usable = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    usable.add("pg_catalog." + rs.getString(1));
                }
            }
            if (!usable.isEmpty()) {
                findings.add(new Finding("the application role " + role + " may use large objects (" + usable.size()
                        + " functions, such as " + usable.get(0) + "), which row-level security does not cover: a"
                        + " tenant could list, read, change or unlink another tenant's", "REVOKE EXECUTE ON FUNCTION "
                        + String.join(", ", usable) + " FROM PUBLIC, \"" + role + "\";"));
            }
        }
    }

    /**
     * What shows or stops the sessions of the application role, which every tenant of the endpoint shares: other
     * tenants' SQL text and literals ({@code pg_stat_activity}), their locks, and cancelling or terminating them.
     */
    static final String[] OTHER_SESSION_FUNCTIONS = {"pg_stat_get_activity", "pg_stat_get_backend_activity",
        "pg_lock_status", "pg_blocking_pids", "pg_cancel_backend", "pg_terminate_backend"};

    private static void otherSessions(Connection app, String role, List<Finding> findings) throws SQLException {
        try (PreparedStatement ps = app.prepareStatement("SELECT v FROM unnest(ARRAY['pg_catalog.pg_stat_activity',"
                + " 'pg_catalog.pg_locks']) v WHERE has_table_privilege(current_user, v, 'SELECT')"
                + " UNION ALL SELECT 'FUNCTION pg_catalog.' || p.oid::regprocedure::text FROM pg_catalog.pg_proc p"
                + " WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname = ANY (?)"
                + " AND has_function_privilege(current_user, p.oid, 'EXECUTE') ORDER BY 1")) {
            ps.setArray(1, app.createArrayOf("text", OTHER_SESSION_FUNCTIONS));
            List<String> usable = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    usable.add(rs.getString(1));
                }
            }
            if (!usable.isEmpty()) {
                List<String> fixes = new ArrayList<>();
                for (String object : usable) {
                    fixes.add(object.startsWith("FUNCTION ") ? "REVOKE EXECUTE ON " + object + " FROM PUBLIC;"
                            : "REVOKE SELECT ON " + object + " FROM PUBLIC;");
                }
                findings.add(new Finding("the application role " + role + " may use " + String.join(", ", usable)
                        + ": every tenant of the endpoint shares the role, so a tenant could read another's SQL text"
                        + " and literals, see its locks, or cancel and terminate its sessions (or the role is a member"
                        + " of pg_read_all_stats, pg_monitor or pg_signal_backend, which it must not be)",
                        String.join(" ", fixes)));
            }
        }
    }

    private static void tenantRoles(Connection app, List<Finding> findings) throws SQLException {
        try (PreparedStatement ps = app.prepareStatement("SELECT r.rolname, n.nspname FROM pg_auth_members m"
                + " JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles me ON me.oid = m.member"
                + " CROSS JOIN pg_namespace n WHERE me.rolname = current_user AND r.rolname ~ ?"
                + " AND has_schema_privilege(r.oid, n.oid, 'CREATE') ORDER BY 1, 2")) {
            ps.setString(1, ControlPlane.LOCATION_PATTERN);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    findings.add(new Finding("tenant role " + rs.getString(1) + " may create objects in schema "
                            + rs.getString(2) + ", which could shadow tables or change them for other sessions",
                            "REVOKE CREATE ON SCHEMA \"" + rs.getString(2) + "\" FROM PUBLIC, \"" + rs.getString(1)
                                    + "\";"));
                }
            }
        }
        try (PreparedStatement ps = app.prepareStatement("SELECT r.rolname, current_database() FROM pg_auth_members m"
                + " JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles me ON me.oid = m.member"
                + " WHERE me.rolname = current_user AND r.rolname ~ ?"
                + " AND has_database_privilege(r.oid, current_database(), 'TEMP') ORDER BY 1")) {
            ps.setString(1, ControlPlane.LOCATION_PATTERN);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    findings.add(new Finding("tenant role " + rs.getString(1) + " may create temporary tables, which"
                            + " can shadow tenant tables for the next borrower of a pooled connection",
                            "REVOKE TEMPORARY ON DATABASE \"" + rs.getString(2) + "\" FROM PUBLIC, \""
                                    + rs.getString(1) + "\";"));
                }
            }
        }
    }

    /**
     * Every relation in a tenant schema: tables with row security enabled, forced and the binding policy;
     * views running with the reader's rights; no materialized view or foreign table (they cannot carry a
     * policy).
     */
    private static void tenantSchemas(Connection app, Set<String> quarantined, List<Finding> findings)
            throws SQLException {
        try (PreparedStatement ps = app.prepareStatement("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
                + " c.relkind, c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (SELECT 1 FROM pg_policy p"
                + " WHERE p.polrelid = c.oid AND p.polname = ?),"
                + " coalesce(c.reloptions, '{}') @> ARRAY['security_invoker=true']"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname ~ ? AND n.nspname <> ALL (?) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1")) {
            ps.setString(1, SchemaTenants.SCHEMA_POLICY);
            ps.setString(2, ControlPlane.LOCATION_PATTERN);
            ps.setArray(3, app.createArrayOf("text", quarantined.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String relation = rs.getString(1);
                    String kind = rs.getString(2);
                    boolean ok = switch (kind) {
                        case "r", "p" -> rs.getBoolean(3);
                        case "v" -> rs.getBoolean(4);
                        default -> false;
                    };
                    if (!ok) {
                        findings.add(new Finding("tenant schema relation " + relation + " is not protected by the"
                                + " tenant's binding (" + switch (kind) {
                                    case "v" -> "a view without security_invoker runs with its owner's rights";
                                    case "m", "f" -> "materialized views and foreign tables cannot carry a policy";
                                    default -> "row security off, not forced, or the binding policy missing";
                                } + ")", kind.equals("m") || kind.equals("f")
                                        ? "DROP it, or move it out of the tenant schema"
                                        : "call TenantDataSource.migrateTenants(...): it secures every tenant"
                                                + " schema, whether or not a migration was pending"));
                    }
                }
            }
        }
    }

    /** Tenant tables the role owns (an owner can switch RLS off) or may TRUNCATE (which ignores RLS). */
    private static void tenantTablePrivileges(Connection app, String role, List<Finding> findings)
            throws SQLException {
        try (PreparedStatement ps = app.prepareStatement("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
                + " pg_get_userbyid(c.relowner) = current_user,"
                + " has_table_privilege(current_user, c.oid, 'TRUNCATE'),"
                + " has_table_privilege(current_user, c.oid, 'TRIGGER'),"
                + " has_table_privilege(current_user, c.oid, 'REFERENCES')"
                + ControlPlane.tenantRelations("'r', 'p'", true) + " ORDER BY 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    if (rs.getBoolean(2)) {
                        findings.add(new Finding("the application role " + role + " owns tenant table " + table
                                + "; an owner can switch its row-level security off",
                                "ALTER TABLE " + table + " OWNER TO <an administrator role>;"));
                    }
                    if (rs.getBoolean(3) || rs.getBoolean(4) || rs.getBoolean(5)) {
                        findings.add(new Finding("the application role " + role + " has TRUNCATE, TRIGGER or"
                                + " REFERENCES on tenant table " + table + " (TRUNCATE ignores row-level security)",
                                "REVOKE TRUNCATE, TRIGGER, REFERENCES ON " + table + " FROM PUBLIC, \"" + role
                                        + "\";"));
                    }
                }
            }
        }
    }

    /**
     * Views, materialized views and foreign tables with a tenant column that the role can read: they do
     * not apply the tables' policies to the reader (a view runs as its owner unless security_invoker).
     */
    private static void tenantViews(Connection app, String role, List<Finding> findings) throws SQLException {
        try (PreparedStatement ps = app.prepareStatement("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
                + " c.relkind" + ControlPlane.tenantRelations("'v', 'm', 'f'", true)
                + " AND has_table_privilege(current_user, c.oid, 'SELECT')"
                + " AND NOT (c.relkind = 'v' AND coalesce(c.reloptions, '{}') @> ARRAY['security_invoker=true'])"
                + " ORDER BY 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String relation = rs.getString(1);
                    String kind = switch (rs.getString(2)) {
                        case "m" -> "materialized view";
                        case "f" -> "foreign table";
                        default -> "view";
                    };
                    findings.add(new Finding("the application role " + role + " can read " + kind + " " + relation
                            + ", which has a " + ControlPlane.TENANT_COLUMN + " column but does not apply the tenant"
                            + " policies to its reader", kind.equals("view")
                            ? "ALTER VIEW " + relation + " SET (security_invoker = true);"
                            : "REVOKE ALL ON " + relation + " FROM PUBLIC, \"" + role + "\";"));
                }
            }
        }
    }
}
