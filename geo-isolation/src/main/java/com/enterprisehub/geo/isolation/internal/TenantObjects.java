package com.enterprisehub.geo.isolation.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The SQL that the per-tenant schema (ENHANCED, {@link SchemaTenants}) and the per-tenant database
 * (MAXIMUM and REGULATORY, {@link DatabaseTenants}) set-ups share: a tenant's role, its rights on the data
 * in one schema, and whether its objects exist. Names are validated tenant locations. Not part of the API.
 */
final class TenantObjects {
    private TenantObjects() {
    }

    /** Creates role {@code location} with the given attributes, unless a role of that name exists. */
    static void createRole(Connection admin, String location, String attributes) throws SQLException {
        Sql.execute(admin, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
                + SchemaTenants.literal(location) + ") THEN CREATE ROLE " + Sql.quote(location) + " " + attributes
                + "; END IF; END $$");
    }

    /**
     * The rights on sequences: all of them ({@code USAGE, SELECT, UPDATE}) for a tenant whose role only it can
     * take (MAXIMUM, REGULATORY); {@code USAGE} only for an ENHANCED tenant, whose role the shared application role
     * can take with {@code SET ROLE}: then UPDATE would let another tenant's SQL {@code setval} a sequence and break
     * the owner's next insert. (USAGE still shows {@code last_value} through {@code pg_sequences}; sequences are
     * outside the binding's policies.)
     */
    static String sequenceRights(boolean roleShared) {
        return roleShared ? "USAGE" : "USAGE, SELECT, UPDATE";
    }

    /** SQL granting {@code role} DML on the tables, and {@code sequenceRights} on the sequences, made later. */
    static String defaultPrivileges(String schema, String role, String sequenceRights) {
        return " ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "
                + role + ";"
                + " ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " REVOKE SELECT, UPDATE ON SEQUENCES FROM "
                + role + ";"
                + " ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT " + sequenceRights + " ON SEQUENCES TO "
                + role + ";";
    }

    /**
     * Grants {@code location}'s role DML on every table and use (only) of every sequence of {@code schema} (a
     * plain name; see {@link #defaultPrivileges}), and leaves the migration history there read-only.
     */
    static void grantData(Connection admin, String schema, String location, String sequenceRights)
            throws SQLException {
        String name = Sql.quote(location);
        String quotedSchema = Sql.quote(schema);
        Sql.execute(admin, "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + quotedSchema + " TO "
                + name + ";"
                + " REVOKE SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + quotedSchema + " FROM " + name + ";"
                + " GRANT " + sequenceRights + " ON ALL SEQUENCES IN SCHEMA " + quotedSchema + " TO " + name + ";"
                + " DO $$ BEGIN IF to_regclass(" + SchemaTenants.literal(quotedSchema + ".geo_schema_history")
                + ") IS NOT NULL THEN REVOKE INSERT, UPDATE, DELETE ON " + quotedSchema + ".geo_schema_history FROM "
                + name + "; END IF; END $$");
    }

    /**
     * Whether a role named {@code location} exists, or an object of that name in a catalog:
     * {@code "pg_namespace", "nspname"} for a schema, {@code "pg_database", "datname"} for a database.
     */
    static boolean exists(Connection admin, String catalog, String nameColumn, String location) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_catalog." + catalog
                + " WHERE " + nameColumn + " = ?) OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)")) {
            ps.setString(1, location);
            ps.setString(2, location);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
