package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.isolation.IsolationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports and erases one BASIC tenant's rows in every tenant table of a database, as the administrator
 * (who must bypass row-level security: a superuser or a BYPASSRLS role). Not part of the API.
 */
public final class TenantData {
    private static final int FETCH_SIZE = 1000;

    private TenantData() {
    }

    /**
     * Writes every row of the tenant as JSON Lines, one object per row:
     * {@code {"table":"public.listings","row":{...}}}, in one repeatable-read snapshot.
     *
     * @return rows written per table
     */
    public static Map<String, Long> export(Connection admin, String tenant, Writer out) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        boolean autoCommit = admin.getAutoCommit();
        admin.setAutoCommit(false);
        admin.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            for (String table : ControlPlane.tenantTables(admin)) {
                long n = 0;
                try (PreparedStatement ps = admin.prepareStatement("SELECT json_build_object('table', ?::text, 'row',"
                        + " row_to_json(t))::text FROM " + table + " t WHERE t." + ControlPlane.TENANT_COLUMN
                        + " = ?")) {
                    ps.setFetchSize(FETCH_SIZE);
                    ps.setString(1, unquote(table));
                    ps.setString(2, tenant);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.write(rs.getString(1));
                            out.write('\n');
                            n++;
                        }
                    }
                }
                counts.put(unquote(table), n);
            }
            out.flush();
            admin.commit();
        } catch (IOException e) {
            admin.rollback();
            throw new UncheckedIOException("Writing the export of tenant '" + tenant + "' failed", e);
        } finally {
            admin.setAutoCommit(autoCommit);
        }
        return counts;
    }

    /**
     * Deletes every row of the tenant from every tenant table in one transaction (tables referencing
     * each other are retried in later passes), then verifies that none remains.
     *
     * @return rows deleted per table
     */
    public static Map<String, Long> erase(Connection admin, String tenant) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        boolean autoCommit = admin.getAutoCommit();
        admin.setAutoCommit(false);
        try {
            List<String> remaining = new ArrayList<>(ControlPlane.tenantTables(admin));
            remaining.forEach(t -> counts.put(unquote(t), 0L));
            for (int pass = 0; pass <= remaining.size() && !remaining.isEmpty(); pass++) {
                List<String> blocked = new ArrayList<>();
                for (String table : remaining) {
                    Savepoint savepoint = admin.setSavepoint();
                    try (PreparedStatement ps = admin.prepareStatement("DELETE FROM " + table + " WHERE "
                            + ControlPlane.TENANT_COLUMN + " = ?")) {
                        ps.setString(1, tenant);
                        counts.merge(unquote(table), (long) ps.executeUpdate(), Long::sum);
                        admin.releaseSavepoint(savepoint);
                    } catch (SQLException e) {
                        if (!"23503".equals(e.getSQLState())) {
                            throw e;
                        }
                        admin.rollback(savepoint); // still referenced by a table not yet emptied
                        blocked.add(table);
                    }
                }
                remaining = blocked;
            }
            if (!remaining.isEmpty()) {
                throw new IsolationException("Erasing tenant '" + tenant + "' failed: rows in " + remaining
                        + " are still referenced by rows outside the tenant tables. Nothing was erased.");
            }
            for (String table : ControlPlane.tenantTables(admin)) {
                try (PreparedStatement ps = admin.prepareStatement("SELECT count(*) FROM " + table + " WHERE "
                        + ControlPlane.TENANT_COLUMN + " = ?")) {
                    ps.setString(1, tenant);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) != 0) {
                            throw new IsolationException("Erasing tenant '" + tenant + "' left " + rs.getLong(1)
                                    + " rows in " + table + "; nothing was erased.");
                        }
                    }
                }
            }
            ControlPlane.removePlacement(admin, tenant);
            admin.commit();
            return counts;
        } catch (SQLException | RuntimeException e) {
            admin.rollback();
            throw e;
        } finally {
            admin.setAutoCommit(autoCommit);
        }
    }

    private static String unquote(String quoted) {
        return quoted.replace("\"", "");
    }
}
