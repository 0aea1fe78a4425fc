package com.enterprisehub.geo.platform.internal;

import com.enterprisehub.geo.platform.PlatformException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The control plane's schema ({@code geo_platform}) and small JDBC helpers. The schema is created on first
 * use under an advisory lock, so several instances starting at once create it once. Not part of the API.
 */
public final class Jdbc {
    /** Advisory lock key for creating the schema ("geo_plat" in ASCII). */
    private static final long SCHEMA_LOCK = 0x67656f5f706c6174L;

    private static final String[] SCHEMA = {
        "CREATE SCHEMA IF NOT EXISTS geo_platform",
        "CREATE TABLE IF NOT EXISTS geo_platform.tenants (id text PRIMARY KEY, market text NOT NULL,"
                + " organization text NOT NULL, subscription_tier text NOT NULL, feature_flags jsonb NOT NULL,"
                + " configuration jsonb NOT NULL, isolation_level text NOT NULL, state text NOT NULL,"
                + " created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)",
        "CREATE INDEX IF NOT EXISTS tenants_by_market ON geo_platform.tenants (market, id)",
        // One row per deployment or provisioning step of a market or tenant: the journal runs resume from.
        "CREATE TABLE IF NOT EXISTS geo_platform.steps (subject text NOT NULL, step text NOT NULL,"
                + " ordinal int NOT NULL, status text NOT NULL, attempts int NOT NULL, started_at timestamptz,"
                + " finished_at timestamptz, duration_micros bigint, evidence text, error text,"
                + " PRIMARY KEY (subject, step))",
        "CREATE TABLE IF NOT EXISTS geo_platform.markets (market text PRIMARY KEY, state text NOT NULL,"
                + " updated_at timestamptz NOT NULL, readiness jsonb)",
        // The region a market was deployed to (its REGION step), where its objects and keys are looked up later.
        "ALTER TABLE geo_platform.markets ADD COLUMN IF NOT EXISTS region text",
        "CREATE TABLE IF NOT EXISTS geo_platform.audit (seq bigserial PRIMARY KEY, at timestamptz NOT NULL,"
                + " actor text NOT NULL, action text NOT NULL, subject text NOT NULL, detail text NOT NULL)",
        "CREATE INDEX IF NOT EXISTS audit_by_subject ON geo_platform.audit (subject, seq)",
        // The compliance configuration of a market or tenant, so every instance and restart evaluates the same one.
        // What an offboarding export wrote: the authority on its objects and key (its manifest is not trusted).
        "CREATE TABLE IF NOT EXISTS geo_platform.exports (tenant text PRIMARY KEY, export_key_id text NOT NULL,"
                + " record jsonb NOT NULL, deleted_at timestamptz)",
        "CREATE TABLE IF NOT EXISTS geo_platform.compliance (subject text PRIMARY KEY, configuration jsonb NOT NULL,"
                + " updated_at timestamptz NOT NULL, updated_by text NOT NULL)",
    };

    private Jdbc() {
    }

    /** Creates the control plane's tables if they are missing. Idempotent and safe to run concurrently. */
    public static void createSchema(DataSource dataSource) {
        inTransaction(dataSource, "Creating the control plane schema geo_platform", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
                for (String sql : SCHEMA) {
                    s.execute(sql);
                }
            }
            return null;
        });
    }

    /** A {@link PlatformException} for a failed database call, naming what was being done. */
    public static PlatformException failed(String doing, SQLException e) {
        return new PlatformException(doing + " failed: " + e.getMessage() + " (SQLState " + e.getSQLState()
                + "). Check that the control plane database is reachable and its role may use schema geo_platform.",
                e);
    }

    /** Runs {@code work} in one transaction, rolling back if it throws. */
    public static <T> T inTransaction(DataSource dataSource, String doing, SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback); // keep the original failure visible
                }
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw failed(doing, e);
        }
    }

    /** Work on a connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Every row {@code sql} selects with {@code parameters}, in one transaction of its own. */
    public static <T> List<T> query(DataSource dataSource, String doing, String sql, Row<T> row,
            Object... parameters) {
        return inTransaction(dataSource, doing, c -> query(c, sql, row, parameters));
    }

    /** Every row {@code sql} selects with {@code parameters}, on {@code c}. */
    public static <T> List<T> query(Connection c, String sql, Row<T> row, Object... parameters) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, parameters)) {
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row.map(rs));
                }
            }
            return rows;
        }
    }

    /** Runs an update in one transaction of its own; returns the number of rows changed. */
    public static int update(DataSource dataSource, String doing, String sql, Object... parameters) {
        return inTransaction(dataSource, doing, c -> {
            try (PreparedStatement ps = prepare(c, sql, parameters)) {
                return ps.executeUpdate();
            }
        });
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... parameters) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
