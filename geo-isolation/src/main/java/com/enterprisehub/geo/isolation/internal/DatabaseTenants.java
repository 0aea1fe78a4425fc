package com.enterprisehub.geo.isolation.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * The administrator's side of MAXIMUM and REGULATORY isolation: one database per tenant, reachable only by
 * the tenant's own login role, which is a member of no role, owns nothing and may create nothing. Its data
 * lives in the database's {@code public} schema, owned by the administrator. Every operation is idempotent.
 * Not part of the API.
 */
public final class DatabaseTenants {
    private DatabaseTenants() {
    }

    /**
     * Creates (or updates) the tenant's login role and password, and its database, which only that role may
     * connect to. The password is sent as a SCRAM-SHA-256 verifier computed here: it never crosses the wire
     * nor reaches a server log in clear.
     */
    public static void create(Connection admin, String location, char[] password) throws SQLException {
        String name = Sql.quote(location);
        TenantObjects.createRole(admin, location,
                "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION NOINHERIT");
        admin.unwrap(PGConnection.class).alterUserPassword(location, password, "scram-sha-256");
        if (!databaseExists(admin, location)) {
            Sql.execute(admin, "CREATE DATABASE " + name);
        }
        Sql.execute(admin, "REVOKE ALL ON DATABASE " + name + " FROM PUBLIC;"
                + " GRANT CONNECT ON DATABASE " + name + " TO " + name);
    }

    /**
     * Inside the tenant's database: schema {@code public} is usable by the tenant role only (PUBLIC loses
     * USAGE and CREATE), and tables and sequences migrations create there are granted to it.
     */
    public static void prepare(Connection tenantAdmin, String location) throws SQLException {
        String name = Sql.quote(location);
        Sql.execute(tenantAdmin, "REVOKE ALL ON SCHEMA public FROM PUBLIC;"
                + " GRANT USAGE ON SCHEMA public TO " + name + ";"
                + TenantObjects.defaultPrivileges("public", name, TenantObjects.sequenceRights(false)));
    }

    /** Grants the tenant role DML on every table and sequence of {@code public}; the migration history stays read-only. */
    public static void secure(Connection tenantAdmin, String location) throws SQLException {
        TenantObjects.grantData(tenantAdmin, "public", location, TenantObjects.sequenceRights(false));
    }

    /** Whether the tenant's database or role exists on the server. */
    public static boolean exists(Connection admin, String location) throws SQLException {
        return TenantObjects.exists(admin, "pg_database", "datname", location);
    }

    /** Drops the tenant's database (closing its sessions) and then its role. */
    public static void drop(Connection admin, String location) throws SQLException {
        String name = Sql.quote(location);
        Sql.execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        Sql.execute(admin, "DROP ROLE IF EXISTS " + name);
    }

    private static boolean databaseExists(Connection admin, String location) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, location);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
