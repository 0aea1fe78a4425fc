package com.enterprisehub.geo.isolation.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The administrator's side of ENHANCED isolation: one schema per tenant, and a NOLOGIN role of the same
 * name with privileges on that schema only. The application role is a member of every tenant role
 * {@code WITH INHERIT FALSE, SET TRUE}: it holds none of their privileges until
 * {@code geo_control.switch_to} takes the bound tenant's role. Every table of a tenant schema also carries
 * a policy that compares the session's verified binding with the schema's tenant, so SQL that takes another
 * tenant's role on a borrowed connection still reads and writes nothing of that tenant. Every operation is
 * idempotent. Not part of the API.
 */
public final class SchemaTenants {
    /** The policy every table of a tenant schema carries. */
    public static final String SCHEMA_POLICY = "geo_tenant_schema";

    private SchemaTenants() {
    }

    /**
     * Creates the tenant's role and schema (owned by the administrator, so the tenant role can never change
     * a table's policies), grants the role USAGE on its schema and DML on the tables migrations will create.
     */
    public static void create(Connection admin, String appRole, String location) throws SQLException {
        String name = Sql.quote(location);
        TenantObjects.createRole(admin, location, "NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION");
        Sql.execute(admin, "GRANT geo_tenant TO " + name + " WITH INHERIT TRUE;"
                + " GRANT " + name + " TO " + Sql.quote(appRole) + " WITH INHERIT FALSE, SET TRUE;"
                + " CREATE SCHEMA IF NOT EXISTS " + name + ";"
                + " REVOKE ALL ON SCHEMA " + name + " FROM PUBLIC;"
                + " GRANT USAGE ON SCHEMA " + name + " TO " + name + ";"
                + TenantObjects.defaultPrivileges(name, name, TenantObjects.sequenceRights(true)));
    }

    /**
     * Puts every table of the tenant's schema under the binding policy (row security enabled and forced,
     * policy added where missing), makes its views run with the reader's rights, grants the tenant role DML
     * on its tables and sequences, and leaves the migration history read-only.
     */
    public static void secure(Connection admin, String tenant, String location) throws SQLException {
        String name = Sql.quote(location);
        String check = "(SELECT t.tenant FROM geo_control.bound_tenant t) = " + literal(tenant);
        Sql.execute(admin, "DO $$ DECLARE r record; BEGIN"
                + " FOR r IN SELECT c.oid::regclass AS t, c.relkind, EXISTS (SELECT 1 FROM pg_policy p"
                + " WHERE p.polrelid = c.oid AND p.polname = '" + SCHEMA_POLICY + "') AS has_policy"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = " + literal(location) + " AND c.relkind IN ('r', 'p', 'v') LOOP"
                + " IF r.relkind = 'v' THEN EXECUTE format('ALTER VIEW %s SET (security_invoker = true)', r.t);"
                + " ELSE"
                + " EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', r.t);"
                + " EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', r.t);"
                + " IF NOT r.has_policy THEN EXECUTE format('CREATE POLICY " + SCHEMA_POLICY + " ON %s FOR ALL TO PUBLIC"
                + " USING (" + check.replace("'", "''") + ") WITH CHECK (" + check.replace("'", "''") + ")', r.t);"
                + " END IF; END IF; END LOOP; END $$");
        TenantObjects.grantData(admin, location, location, TenantObjects.sequenceRights(true));
    }

    /** Whether the tenant's schema exists. */
    public static boolean exists(Connection admin, String location) throws SQLException {
        return TenantObjects.exists(admin, "pg_namespace", "nspname", location);
    }

    /**
     * Drops the tenant's schema with everything in it, then its role (its memberships and the privileges and
     * default privileges granted to it in this database go with it).
     */
    public static void drop(Connection admin, String location) throws SQLException {
        String name = Sql.quote(location);
        Sql.execute(admin, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
        Sql.execute(admin, "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + location + "') THEN"
                + " EXECUTE 'DROP OWNED BY " + name + "'; EXECUTE 'DROP ROLE " + name + "'; END IF; END $$");
    }

    /** A SQL string literal of a value that was validated to contain no quote. */
    static String literal(String value) {
        if (value.indexOf('\'') >= 0 || value.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("not a validated name: " + value);
        }
        return "'" + value + "'";
    }
}
