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
 * Exports a tenant's rows (BASIC: its rows of every tenant table; ENHANCED: every table of its schema;
 * MAXIMUM and REGULATORY: every table of its database) and erases BASIC tenants' rows, as the
 * administrator, who must bypass row-level security (a superuser or a BYPASSRLS role). Not part of the API.
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
        return export(admin, ControlPlane.tenantTables(admin), tenant, out);
    }

    /**
     * Writes every row of {@code tables} (quoted {@code schema.table}), or only the tenant's rows when
     * {@code tenant} is not null, as JSON Lines in one repeatable-read snapshot.
     */
    public static Map<String, Long> export(Connection admin, List<String> tables, String tenant, Writer out)
            throws SQLException {
        requireBypass(admin);
        Map<String, Long> counts = new LinkedHashMap<>();
        boolean autoCommit = admin.getAutoCommit();
        admin.setAutoCommit(false);
        admin.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            for (String table : tables) {
                long n = 0;
                try (PreparedStatement ps = admin.prepareStatement("SELECT json_build_object('table', ?::text, 'row',"
                        + " row_to_json(t))::text FROM " + table + " t"
                        + (tenant == null ? "" : " WHERE t." + ControlPlane.TENANT_COLUMN + " = ?"))) {
                    ps.setFetchSize(FETCH_SIZE);
                    ps.setString(1, unquote(table));
                    if (tenant != null) {
                        ps.setString(2, tenant);
                    }
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
        return erase(admin, tenant, true);
    }

    /**
     * As {@link #erase(Connection, String)}; the placement record is removed in the same transaction only when
     * {@code removePlacement} (a move erasing its source keeps the tenant's new placement).
     */
    public static Map<String, Long> erase(Connection admin, String tenant, boolean removePlacement)
            throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        boolean autoCommit = admin.getAutoCommit();
        admin.setAutoCommit(false);
        try {
            List<String> remaining = referencedLast(admin, counts, table -> {
                Savepoint savepoint = admin.setSavepoint();
                try (PreparedStatement ps = admin.prepareStatement("DELETE FROM " + table + " WHERE "
                        + ControlPlane.TENANT_COLUMN + " = ?")) {
                    ps.setString(1, tenant);
                    counts.merge(unquote(table), (long) ps.executeUpdate(), Long::sum);
                    admin.releaseSavepoint(savepoint);
                } catch (SQLException e) {
                    admin.rollback(savepoint);
                    throw e;
                }
            });
            if (!remaining.isEmpty()) {
                throw new IsolationException("Erasing tenant '" + tenant + "' failed: rows in " + remaining
                        + " are still referenced by rows outside the tenant tables. Nothing was erased.");
            }
            requireNoneLeft(admin, tenant, "nothing was erased");
            if (removePlacement) {
                ControlPlane.removePlacement(admin, tenant);
            }
            admin.commit();
            return counts;
        } catch (SQLException | RuntimeException e) {
            admin.rollback();
            throw e;
        } finally {
            admin.setAutoCommit(autoCommit);
        }
    }

    /** How many rows one statement of {@link #eraseInBatches} deletes. */
    private static final int ERASE_BATCH = 5_000;

    /**
     * Deletes every row of the tenant from every shared tenant table, {@value #ERASE_BATCH} rows per statement, each
     * statement a transaction of its own, at {@code pace}; then verifies that none remains. For a move erasing its
     * source, which the switch made unreachable: no session sees the partial erase, and calling it again finishes
     * it. One long transaction would hold a million rows' locks and its snapshot for the whole erase, and run at
     * full speed. A batch refused because a row of the tenant outside it refers to one inside (a table referring to
     * itself) is followed by the rest of that table in one statement; a table whose rows are still referenced by
     * another (23503) is retried after the others. The placement record stays (the tenant's new one).
     *
     * @return rows deleted per table
     * @throws IsolationException if rows are still referenced from outside the tenant tables (those deleted stay
     *         deleted)
     */
    public static Map<String, Long> eraseInBatches(Connection admin, String tenant, Pace pace) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        boolean autoCommit = admin.getAutoCommit();
        admin.setAutoCommit(true);
        try {
            List<String> remaining = referencedLast(admin, counts, table -> {
                // the tenant's column checked again on the rows found: the statement deletes no other row
                try (PreparedStatement ps = admin.prepareStatement("DELETE FROM " + table + " WHERE ctid = ANY"
                        + " (ARRAY(SELECT ctid FROM " + table + " WHERE " + ControlPlane.TENANT_COLUMN + " = ?"
                        + " LIMIT " + ERASE_BATCH + ")) AND " + ControlPlane.TENANT_COLUMN + " = ?")) {
                    ps.setString(1, tenant);
                    ps.setString(2, tenant);
                    pace.restart();
                    int deleted;
                    do {
                        deleted = ps.executeUpdate();
                        counts.merge(unquote(table), (long) deleted, Long::sum);
                        pace.tick();
                    } while (deleted > 0);
                } catch (SQLException e) {
                    if (!"23503".equals(e.getSQLState())) {
                        throw e;
                    }
                    // a batch's row referenced by one of the tenant's rows outside it (a table referring to itself:
                    // offices and their parents): the rest of the table in one statement, which checks references at
                    // its end; still referenced (by another table not yet emptied), it is tried again later
                    try (PreparedStatement all = admin.prepareStatement("DELETE FROM " + table + " WHERE "
                            + ControlPlane.TENANT_COLUMN + " = ?")) {
                        all.setString(1, tenant);
                        counts.merge(unquote(table), (long) all.executeUpdate(), Long::sum);
                    }
                }
            });
            if (!remaining.isEmpty()) {
                throw new IsolationException("Erasing tenant '" + tenant + "' failed: rows in " + remaining
                        + " are still referenced by rows outside the tenant tables. Delete those references, then"
                        + " call move again to finish the erase.");
            }
            requireNoneLeft(admin, tenant, "call move again to finish the erase");
            return counts;
        } finally {
            admin.setAutoCommit(autoCommit);
        }
    }

    /** Deletes the tenant's rows of one table (throwing what PostgreSQL reported). */
    private interface TableDelete {
        void delete(String table) throws SQLException;
    }

    /**
     * Runs {@code delete} on every tenant table (each counted in {@code counts} from 0); a table whose rows are still
     * referenced by a table not yet emptied (23503) is tried again after the others, pass after pass, until none is
     * left or a pass empties none.
     *
     * @return the tables still referenced at the end
     */
    private static List<String> referencedLast(Connection admin, Map<String, Long> counts, TableDelete delete)
            throws SQLException {
        List<String> remaining = new ArrayList<>(ControlPlane.tenantTables(admin));
        remaining.forEach(t -> counts.put(unquote(t), 0L));
        for (int pass = 0; pass <= remaining.size() && !remaining.isEmpty(); pass++) {
            List<String> blocked = new ArrayList<>();
            for (String table : remaining) {
                try {
                    delete.delete(table);
                } catch (SQLException e) {
                    if (!"23503".equals(e.getSQLState())) {
                        throw e;
                    }
                    blocked.add(table);
                }
            }
            remaining = blocked;
        }
        return remaining;
    }

    /** Refuses when any shared tenant table still holds a row of the tenant; {@code then} tells what happens. */
    private static void requireNoneLeft(Connection admin, String tenant, String then) throws SQLException {
        for (String table : ControlPlane.tenantTables(admin)) {
            try (PreparedStatement ps = admin.prepareStatement("SELECT count(*) FROM " + table + " WHERE "
                    + ControlPlane.TENANT_COLUMN + " = ?")) {
                ps.setString(1, tenant);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) != 0) {
                        throw new IsolationException("Erasing tenant '" + tenant + "' left " + rs.getLong(1)
                                + " rows in " + table + "; " + then + ".");
                    }
                }
            }
        }
    }

    /**
     * The tables (ordinary and partitioned, quoted {@code schema.table}) of the schemas matching the POSIX
     * regular expression {@code schemas}, except the migration history and a move's change capture
     * ({@code geo_move}).
     */
    public static List<String> tablesOf(Connection c, String schemas) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname ~ ?"
                + " AND n.nspname <> 'geo_move' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
                + " AND c.relname <> 'geo_schema_history'"
                + " ORDER BY 1")) {
            ps.setString(1, schemas);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    /** Rows per table (quoted {@code schema.table}), as the administrator sees them. */
    public static Map<String, Long> count(Connection admin, List<String> tables) throws SQLException {
        requireBypass(admin);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : tables) {
            try (PreparedStatement ps = admin.prepareStatement("SELECT count(*) FROM " + table);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                counts.put(unquote(table), rs.getLong(1));
            }
        }
        return counts;
    }

    /** Refuses an administrator who would see only some rows (row-level security applies to it). */
    private static void requireBypass(Connection admin) throws SQLException {
        try (PreparedStatement ps = admin.prepareStatement(
                "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || !rs.getBoolean(1)) {
                throw new IsolationException("The endpoint's administrator role is subject to row-level security,"
                        + " so an export would silently miss rows. Use a superuser or a role with BYPASSRLS as the"
                        + " endpoint's administrator.");
            }
        }
    }

    private static String unquote(String quoted) {
        return quoted.replace("\"", "");
    }
}
