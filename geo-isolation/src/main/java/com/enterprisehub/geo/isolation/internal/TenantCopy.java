package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.isolation.IsolationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

/**
 * Copies one tenant's rows between two shapes of storage, as the administrators of both sides (who must bypass
 * row-level security): shared tables whose rows carry {@code tenant_id} (BASIC) and tables of the tenant's own
 * (ENHANCED: its schema; MAXIMUM: its database). Tables are paired by name; each must have the same columns on
 * both sides (besides {@code tenant_id}) and a primary key. Rows travel with {@code COPY} in PostgreSQL's text
 * form, so every value arrives exactly as it was. Counts and checksums are computed in SQL on both sides, over
 * each row's 64-bit hash (see {@link Table#rowHash}); rows compared one by one use the MD5 of their {@code jsonb}
 * without {@code tenant_id}. Not part of the API.
 */
public final class TenantCopy {
    /** How many keys one catch-up statement carries. */
    private static final int KEY_BATCH = 1000;

    private TenantCopy() {
    }

    /**
     * Where a tenant's tables are on one side of a move.
     *
     * @param shared whether its rows live in the shared tables among other tenants' (BASIC)
     * @param schemas for the others, a POSIX regular expression matching the schemas of its tables
     */
    public record Side(boolean shared, String schemas) {
        public Side {
            if (!shared) {
                Objects.requireNonNull(schemas, "schemas");
            }
        }

        /** The shared tables of an endpoint's database (BASIC). */
        public static Side sharedTables() {
            return new Side(true, null);
        }

        /** The tables of the schemas {@code schemas} matches (ENHANCED: its schema; MAXIMUM: its database's). */
        public static Side ownTables(String schemas) {
            return new Side(false, schemas);
        }
    }

    /**
     * A tenant table on one side.
     *
     * @param name its name, which pairs it with the other side's table
     * @param qualified its quoted {@code schema.table}
     * @param columns its columns but {@code tenant_id}, quoted, in name order
     * @param copied the columns that are copied (not generated), quoted, in name order
     * @param key its primary key's columns but {@code tenant_id}, quoted, in name order
     * @param serials its columns filled from a sequence: quoted column and quoted sequence
     * @param types each column's type as {@code format_type} shows it (with its modifier), by quoted column; a type of
     *        the table's own schema without that schema (a tenant's schema qualifies the enum its migrations made
     *        there, where a shared table's shows it bare); a user-defined type followed by its definition
     *        ({@link #TYPE_DEFINITION})
     * @param rowHash the SQL expression of a row's 64-bit hash over alias {@code t} ({@code hash_record_extended} of
     *        its columns but {@code tenant_id}, in name order). A column is hashed by value only when its type's hash
     *        tells apart every two values that print differently and never maps a value to 0, the hash of a NULL
     *        field: smallint, integer, bigint, boolean, uuid, bytea, date, timestamp, timestamptz, text. Every other
     *        type is hashed by its text form. By value, a float 0, a numeric NaN and an empty jsonb hash as 0, like
     *        NULL; an enum hashes as its label's OID, which differs between databases; and numeric ignores the scale
     *        (1.5, 1.50), float the sign of zero, interval '1 day' against '24 hours', jsonb 1.0 against 1, citext
     *        the case. A collatable value is hashed under {@code COLLATE "C"}, byte by byte (a case-insensitive
     *        collation would hash {@code 'A'} as {@code 'a'}).
     */
    public record Table(String name, String qualified, List<String> columns, List<String> copied, List<String> key,
            Map<String, String> serials, Map<String, String> types, String rowHash) {
    }

    /** A source table and its target. */
    public record Pair(Table source, Table target) {
    }

    /**
     * A table's rows in canonical form.
     *
     * @param rows how many rows
     * @param checksum the sum, modulo 2^64 and order-independent, of each row's hash ({@link Table#rowHash})
     */
    public record Check(long rows, String checksum) {
    }

    /** The tenant tables of one side, by name. */
    public static Map<String, Table> tables(Connection c, Side side) throws SQLException {
        List<String> qualified = side.shared() ? ControlPlane.tenantTables(c) : TenantData.tablesOf(c, side.schemas());
        Map<String, Table> tables = new TreeMap<>();
        for (String q : qualified) {
            Table t = describe(c, q);
            if (tables.put(t.name(), t) != null) {
                throw new IsolationException("Two tenant tables are named " + t.name() + " (in different schemas);"
                        + " a move pairs tables by name. Rename one before moving the tenant.");
            }
        }
        return tables;
    }

    /**
     * The definition of a column's ({@code ty}) user-defined type, or its element type's for an array: an enum's labels
     * in their order, a composite's fields and their types in order, a domain's base type, {@code NOT NULL} and
     * {@code CHECK} constraints ({@code NOT NULL} from {@code typnotnull}: PostgreSQL 17 also lists it among the
     * constraints, 16 does not). Types are compared by name and this: values travel in text form and hash by their
     * text, so two types of the same name whose labels sort differently, or whose fields are in another order, would
     * copy and verify while meaning something else.
     */
    private static final String TYPE_DEFINITION = "(SELECT CASE b.typtype"
            + " WHEN 'e' THEN 'enum(' || coalesce((SELECT string_agg(quote_literal(e.enumlabel), ', '"
            + " ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = b.oid), '') || ')'"
            + " WHEN 'c' THEN 'composite(' || coalesce((SELECT string_agg(quote_ident(f.attname) || ' '"
            + " || format_type(f.atttypid, f.atttypmod), ', ' ORDER BY f.attnum) FROM pg_attribute f"
            + " WHERE f.attrelid = b.typrelid AND f.attnum > 0 AND NOT f.attisdropped), '') || ')'"
            + " WHEN 'd' THEN 'domain(' || format_type(b.typbasetype, b.typtypmod) || CASE WHEN b.typnotnull"
            + " THEN ' NOT NULL' ELSE '' END || coalesce((SELECT ' ' || string_agg(pg_get_constraintdef(k.oid), ' '"
            + " ORDER BY pg_get_constraintdef(k.oid)) FROM pg_constraint k WHERE k.contypid = b.oid AND k.contype = 'c'),"
            + " '') || ')'"
            + " ELSE 'type ' || b.typtype::text END"
            + " FROM pg_type b WHERE b.oid = CASE WHEN ty.typcategory = 'A' AND ty.typelem <> 0 THEN ty.typelem"
            + " ELSE ty.oid END)";

    private static Table describe(Connection c, String qualified) throws SQLException {
        String name = null;
        List<String> columns = new ArrayList<>();
        List<String> copied = new ArrayList<>();
        List<String> key = new ArrayList<>();
        Map<String, String> serials = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        List<String> hashed = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT c.relname, quote_ident(a.attname), a.attgenerated <> '',"
                + " coalesce(a.attnum = ANY (i.indkey), false), pg_get_serial_sequence(?, a.attname),"
                + " CASE WHEN ty.typnamespace = c.relnamespace AND starts_with(format_type(a.atttypid, a.atttypmod),"
                + " quote_ident(n.nspname) || '.') THEN substr(format_type(a.atttypid, a.atttypmod),"
                + " length(quote_ident(n.nspname)) + 2) ELSE format_type(a.atttypid, a.atttypmod) END"
                // inside a definition too, the table's own schema is left out (a field of the tenant schema's enum)
                + " || CASE WHEN ty.typnamespace <> 'pg_catalog'::regnamespace THEN ' ' || replace(" + TYPE_DEFINITION
                + ", quote_ident(n.nspname) || '.', '') ELSE '' END,"
                + " a.atttypid IN ('pg_catalog.int2'::regtype,"
                + " 'pg_catalog.int4'::regtype, 'pg_catalog.int8'::regtype, 'pg_catalog.bool'::regtype,"
                + " 'pg_catalog.uuid'::regtype, 'pg_catalog.bytea'::regtype, 'pg_catalog.date'::regtype,"
                + " 'pg_catalog.timestamp'::regtype, 'pg_catalog.timestamptz'::regtype, 'pg_catalog.text'::regtype),"
                + " a.attcollation <> 0"
                + " FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " JOIN pg_type ty ON ty.oid = a.atttypid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary"
                + " WHERE c.oid = ?::regclass AND a.attname <> '" + ControlPlane.TENANT_COLUMN + "'"
                + " ORDER BY a.attname")) {
            ps.setString(1, qualified);
            ps.setString(2, qualified);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    name = rs.getString(1);
                    String column = rs.getString(2);
                    columns.add(column);
                    if (!rs.getBoolean(3)) {
                        copied.add(column);
                    }
                    if (rs.getBoolean(4)) {
                        key.add(column);
                    }
                    if (rs.getString(5) != null) {
                        serials.put(column, rs.getString(5));
                    }
                    types.put(column, rs.getString(6));
                    boolean byValue = rs.getBoolean(7);
                    hashed.add("t." + column + (byValue ? "" : "::text") + (byValue && !rs.getBoolean(8) ? ""
                            : " COLLATE \"C\""));
                }
            }
        }
        return new Table(name == null ? qualified : name, qualified, columns, copied, key, serials, types,
                "hash_record_extended(ROW(" + String.join(", ", hashed) + "), 0)");
    }

    /**
     * Pairs every source table with the target's table of the same name and checks that they can be copied: the
     * same columns, a primary key. Target tables with no source table are left out (the tenant has no rows there).
     *
     * @throws IsolationException naming each table that does not fit, and what to do
     */
    public static List<Pair> pair(Connection source, Side from, Map<String, Table> sourceTables,
            Map<String, Table> target, String tenant) throws SQLException {
        List<Pair> pairs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Table s : sourceTables.values()) {
            Table t = target.get(s.name());
            if (t == null) {
                // refused even when the tenant has no rows there now: rows written before the fence would be
                // neither copied nor verified, and then erased with the source
                problems.add("table " + s.name() + " has no counterpart on the target (" + (from.shared()
                        ? "add it to the tenant's migrations" : "create it among the shared tables with a tenant_id"
                        + " column and protect it") + ")");
                continue;
            }
            if (!s.columns().equals(t.columns())) {
                problems.add("table " + s.name() + " has columns " + s.columns() + " on the source but " + t.columns()
                        + " on the target (align the migrations with the shared tables)");
                continue;
            }
            List<String> retyped = new ArrayList<>();
            for (String column : s.columns()) {
                if (!s.types().get(column).equals(t.types().get(column))) {
                    retyped.add(column + " is " + s.types().get(column) + " on the source but " + t.types().get(column)
                            + " on the target");
                }
            }
            if (!retyped.isEmpty()) {
                // the text-form copy would convert (or fail on) every value, and a conversion the canonical form
                // does not show (varchar(n) to text, a wider numeric) would pass the checksums unnoticed
                problems.add("table " + s.name() + ": " + String.join(", ", retyped) + " (give the columns the same"
                        + " types in the migrations and the shared tables)");
                continue;
            }
            if (s.key().isEmpty() || !s.key().equals(t.key())) {
                problems.add("table " + s.name() + " needs the same primary key on both sides (besides tenant_id);"
                        + " source " + s.key() + ", target " + t.key());
                continue;
            }
            pairs.add(new Pair(s, t));
        }
        if (!problems.isEmpty()) {
            throw new IsolationException("The tenant cannot be moved: " + String.join("; ", problems)
                    + ". Nothing was switched: the tenant stays on its source. Fix this and call move again with the"
                    + " same target, or cancel the move (cancelMove), which erases the target.");
        }
        return pairs;
    }

    /**
     * Refuses a move whose source holds large objects: a column of type {@code oid} or {@code lo} copies only the
     * object's number, and erasing the source (dropping its database) destroys the object itself.
     *
     * @param ownDatabase whether the source is a database of the tenant's own (its large objects are the tenant's)
     * @throws IsolationException naming the columns, or saying the database holds large objects
     */
    public static void refuseLargeObjects(Connection source, Collection<Table> tables, boolean ownDatabase)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        for (Table t : tables) {
            try (PreparedStatement ps = source.prepareStatement("SELECT a.attname FROM pg_attribute a"
                    + " JOIN pg_type ty ON ty.oid = a.atttypid WHERE a.attrelid = ?::regclass AND a.attnum > 0"
                    + " AND NOT a.attisdropped AND (ty.oid = 'oid'::regtype OR ty.typname = 'lo'"
                    + " OR (ty.typtype = 'd' AND ty.typbasetype = 'oid'::regtype))")) {
                ps.setString(1, t.qualified());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        columns.add(t.name() + "." + rs.getString(1));
                    }
                }
            }
        }
        if (!columns.isEmpty()) {
            throw new IsolationException("The tenant cannot be moved: columns " + columns + " refer to large objects"
                    + " (oid/lo), which a move does not copy (only their numbers) and erasing the source would destroy."
                    + " Store their contents in bytea columns first. Nothing was changed.");
        }
        if (ownDatabase) {
            try (PreparedStatement ps = source.prepareStatement("SELECT count(*) FROM pg_largeobject_metadata");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new IsolationException("The tenant cannot be moved: its database holds " + rs.getLong(1)
                            + " large object(s), which a move does not copy and erasing the source would destroy."
                            + " Store their contents in bytea columns and unlink them first. Nothing was changed.");
                }
            }
        }
    }

    /** The WHERE condition selecting the tenant's rows of a table on {@code side} ({@code alias}.tenant_id). */
    private static String tenantRows(Side side, String alias, String tenant) {
        return side.shared() ? alias + "." + ControlPlane.TENANT_COLUMN + " = " + SchemaTenants.literal(tenant)
                : "true";
    }

    /**
     * What a snapshot copy copied.
     *
     * @param rows rows copied per table (by name)
     * @param snapshot the source snapshot it copied ({@code pg_snapshot} text form), for change capture
     */
    public record Copied(Map<String, Long> rows, String snapshot) {
    }

    /**
     * Copies the tenant's rows of every pair from one repeatable-read snapshot of the source into the target, in one
     * target transaction that first removes whatever an earlier, interrupted copy left there, and verifies the copy
     * before it commits (counts and checksums per table, the source's in the copied snapshot). Foreign keys and user
     * triggers of the target are not fired while copying ({@code session_replication_role = replica}: the rows
     * already satisfied them on the source); sequences of the target are advanced past the copied values. The rows
     * stream at {@code pace}.
     *
     * @return rows copied per table, and the snapshot
     * @throws IsolationException if the copy does not verify (nothing is kept on the target)
     */
    public static Copied copy(Connection source, Side from, Connection target, Side to, List<Pair> pairs,
            String tenant, Pace pace) throws SQLException {
        Map<String, Long> copied = new LinkedHashMap<>();
        boolean sourceAuto = source.getAutoCommit();
        boolean targetAuto = target.getAutoCommit();
        source.setAutoCommit(false);
        source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        target.setAutoCommit(false);
        try {
            source.setReadOnly(true);
            String snapshot;
            try (PreparedStatement ps = source.prepareStatement("SELECT pg_current_snapshot()::text");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                snapshot = rs.getString(1); // the first statement: the transaction's snapshot, which COPY reads
            }
            Sql.execute(target, "SET LOCAL session_replication_role = replica");
            clear(target, to, pairs, tenant);
            CopyManager in = target.unwrap(PGConnection.class).getCopyAPI();
            PGConnection out = source.unwrap(PGConnection.class);
            for (Pair p : pairs) {
                copied.put(p.source().name(), stream(out, in, from, to, p, tenant, null, pace));
            }
            Map<String, Check> s = checksInTransaction(source, from,
                    pairs.stream().map(Pair::source).toList(), tenant);
            Map<String, Check> t = checksInTransaction(target, to,
                    pairs.stream().map(Pair::target).toList(), tenant);
            List<String> differing = new ArrayList<>();
            for (Pair p : pairs) {
                if (!s.get(p.source().name()).equals(t.get(p.target().name()))) {
                    differing.add(p.source().name() + " (source " + s.get(p.source().name()) + ", target "
                            + t.get(p.target().name()) + ")");
                }
            }
            if (!differing.isEmpty()) {
                throw new IsolationException("The snapshot copy of tenant '" + tenant + "' does not verify: "
                        + differing + ". Nothing was kept on the target; the tenant stays on its source. Call move"
                        + " again to retry.");
            }
            advanceSequences(target, to, pairs, tenant, source);
            source.commit();
            target.commit();
            return new Copied(copied, snapshot);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(source, e);
            rollbackQuietly(target, e);
            throw e;
        } finally {
            source.setReadOnly(false);
            source.setAutoCommit(sourceAuto);
            target.setAutoCommit(targetAuto);
        }
    }

    /**
     * Deletes the tenant's rows of a pair's target table with these keys (JSON objects of the key columns), in the
     * caller's transaction.
     *
     * @return rows deleted
     */
    static long deleteKeys(Connection target, Side to, Pair p, String tenant, List<String> keys) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("DELETE FROM " + p.target().qualified() + " t USING"
                + " jsonb_populate_recordset(NULL::" + p.target().qualified() + ", " + jsonArray(keys) + ") k WHERE "
                + keyMatch(p.target(), "t", "k") + " AND " + tenantRows(to, "t", tenant))) {
            return ps.executeUpdate();
        }
    }

    /** Copies the source's rows of a pair with these keys to the target (none for a key the source lacks). */
    static long streamKeys(PGConnection out, CopyManager in, Side from, Side to, Pair p, String tenant,
            List<String> keys) throws SQLException {
        return stream(out, in, from, to, p, tenant, keys, Pace.FULL_SPEED);
    }

    /** Count and checksum of the tenant's rows of a table with these keys, in the caller's transaction. */
    static Check checkKeys(Connection c, Side side, Table table, String tenant, List<String> keys)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), " + checksum(table) + " FROM "
                + table.qualified() + " t WHERE " + tenantRows(side, "t", tenant) + " AND " + withKeys(table, keys));
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Check(rs.getLong(1), rs.getBigDecimal(2).toPlainString());
        }
    }

    /**
     * The condition that row {@code t} has one of {@code keys}: a semi-join, so that one row is counted once even when
     * two key texts name it (a {@code timestamptz} key logged by sessions in different time zones).
     */
    private static String withKeys(Table table, List<String> keys) {
        return "EXISTS (SELECT 1 FROM jsonb_populate_recordset(NULL::" + table.qualified() + ", " + jsonArray(keys)
                + ") k WHERE " + keyMatch(table, "t", "k") + ")";
    }

    /** The order-independent sum, modulo 2^64, of the first 64 bits of the MD5 of each row's {@code text}. */
    private static String jsonChecksum(String text) {
        return "coalesce(sum(('x' || substr(md5(" + text + "), 1, 16))::bit(64)::bigint::numeric), 0)"
                + " % 18446744073709551616";
    }

    /**
     * The order-independent checksum of a table's rows (alias {@code t}): the sum of the rows' (signed) hashes modulo
     * 2^64 ({@code sum} of {@code bigint} is exact: {@code numeric}).
     */
    private static String checksum(Table table) {
        return "coalesce(sum(" + table.rowHash() + "), 0) % 18446744073709551616";
    }

    /** Removes the tenant's rows from the target tables of {@code pairs} (in the caller's transaction). */
    private static void clear(Connection target, Side to, List<Pair> pairs, String tenant) throws SQLException {
        if (pairs.isEmpty()) {
            return;
        }
        if (to.shared()) {
            for (Pair p : pairs) {
                Sql.execute(target, "DELETE FROM " + p.target().qualified() + " t WHERE " + tenantRows(to, "t", tenant));
            }
        } else {
            List<String> names = pairs.stream().map(p -> p.target().qualified()).toList();
            Sql.execute(target, "TRUNCATE " + String.join(", ", names));
        }
    }

    /**
     * Streams the rows of one pair from source to target: all the tenant's rows ({@code keys} null), or those whose
     * key is in {@code keys} (a JSON array of key objects, looked up by key: the primary key's index serves it), at
     * {@code pace}.
     */
    private static long stream(PGConnection out, CopyManager in, Side from, Side to, Pair p, String tenant,
            List<String> keys, Pace pace) throws SQLException {
        String columns = String.join(", ", p.source().copied());
        String select = "SELECT " + prefixed(p.source().copied()) + (to.shared() ? ", "
                + SchemaTenants.literal(tenant) + "::text" : "") + " FROM " + p.source().qualified() + " t WHERE "
                + tenantRows(from, "t", tenant) + (keys == null ? "" : " AND " + withKeys(p.source(), keys));
        String targetColumns = columns + (to.shared() ? ", " + ControlPlane.TENANT_COLUMN : "");
        String copyInto = "COPY " + p.target().qualified() + " (" + targetColumns + ") FROM STDIN";
        CopyIn copyIn = in.copyIn(copyInto);
        CopyOut copyOut = null;
        long rows = 0;
        try {
            copyOut = out.getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT");
            byte[] row;
            pace.restart();
            while ((row = copyOut.readFromCopy()) != null) {
                copyIn.writeToCopy(row, 0, row.length);
                if ((++rows & 255) == 0 && pace.due()) {
                    // the socket buffers hold tens of milliseconds of the target's work: the COPY ends (its reply
                    // comes once every row sent is stored) before the mover sleeps, and a new one goes on after it,
                    // in the same transaction; otherwise the target would go on working through the sleep
                    copyIn.endCopy();
                    pace.pause();
                    copyIn = in.copyIn(copyInto);
                }
            }
            copyIn.endCopy();
            return rows;
        } catch (SQLException | RuntimeException e) {
            if (copyOut != null && copyOut.isActive()) {
                // the target failed while the source was still sending (a paced copy's COPY ended mid-stream, or a
                // write to the target): the source's COPY is cancelled and read to its end, else the source
                // connection stays locked by it and its rollback waits forever (pgjdbc; cancelCopy on a COPY TO
                // leaves the protocol out of step). A cancel that arrives after the COPY ended finds the session
                // idle, where PostgreSQL ignores it.
                try {
                    out.cancelQuery();
                    while (copyOut.readFromCopy() != null) {
                        // discarded
                    }
                } catch (SQLException drain) {
                    if (!"57014".equals(drain.getSQLState())) {
                        e.addSuppressed(drain);
                    }
                }
            }
            throw e;
        } finally {
            if (copyIn.isActive()) {
                copyIn.cancelCopy();
            }
        }
    }

    private static String prefixed(List<String> columns) {
        return String.join(", ", columns.stream().map(c -> "t." + c).toList());
    }

    /**
     * Moves each sequence of the target tables past the largest value copied and, when the source is given, past
     * the last value its own sequence handed out (ids of rows deleted at the tail are not handed out again): the
     * tenant's own sequences (ENHANCED, MAXIMUM) to exactly that; a shared one (BASIC) only forward, never back below
     * what other tenants drew.
     *
     * @param source the source, or null (a restore has none)
     */
    public static void advanceSequences(Connection target, Side to, List<Pair> pairs, String tenant,
            Connection source) throws SQLException {
        for (Pair p : pairs) {
            for (Map.Entry<String, String> serial : p.target().serials().entrySet()) {
                String floor = "NULL::bigint";
                String sourceSequence = source == null ? null : p.source().serials().get(serial.getKey());
                if (sourceSequence != null) {
                    try (PreparedStatement ps = source.prepareStatement("SELECT CASE WHEN is_called THEN last_value END"
                            + " FROM " + sourceSequence); ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        long v = rs.getLong(1);
                        floor = rs.wasNull() ? floor : Long.toString(v);
                    }
                }
                String max = "(SELECT greatest(max(t." + serial.getKey() + ")::bigint, " + floor + ") FROM "
                        + p.target().qualified() + " t WHERE " + tenantRows(to, "t", tenant) + ")";
                String sequence = "'" + serial.getValue().replace("'", "''") + "'";
                String sql = to.shared()
                        ? "SELECT setval(" + sequence + ", m) FROM (SELECT " + max + " AS m) x WHERE m IS NOT NULL AND m >"
                                + " (SELECT last_value FROM " + serial.getValue() + ")"
                        : "SELECT setval(" + sequence + ", coalesce(m, 1), m IS NOT NULL) FROM (SELECT " + max
                                + " AS m) x";
                Sql.execute(target, sql);
            }
        }
    }

    /** Counts and checksums of the tenant's rows of each table (by name) on one side, in one snapshot. */
    public static Map<String, Check> checks(Connection c, Side side, List<Table> tables, String tenant)
            throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            Map<String, Check> checks = checksInTransaction(c, side, tables, tenant);
            c.commit();
            return checks;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * Imports an export of {@code TenantData.export} (JSON Lines: {@code {"table": "schema.table", "row": {...}}}) into
     * the tenant's tables on {@code to}, in one transaction: the lines are staged, every one must name a table the
     * target has (by name) and carry a row object; the tenant must have no rows yet; after the insert, counts and
     * checksums of the same canonical row form are compared table by table between the staged export and the target.
     * Any failure rolls the whole import back.
     *
     * @return rows imported per table
     * @throws IsolationException if the export is malformed, names a table the target lacks, does not verify, or the
     *     tenant already has rows
     */
    public static Map<String, Long> restore(Connection target, Side to, String tenant, java.io.BufferedReader export)
            throws SQLException, java.io.IOException {
        Map<String, Table> tables = tables(target, to);
        boolean auto = target.getAutoCommit();
        target.setAutoCommit(false);
        try {
            Sql.execute(target, "CREATE TEMP TABLE geo_restore (n bigint PRIMARY KEY, line jsonb NOT NULL) ON COMMIT DROP");
            long n = 0;
            try (PreparedStatement ps = target.prepareStatement("INSERT INTO geo_restore (n, line) VALUES (?, ?::jsonb)")) {
                String line;
                while ((line = export.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    ps.setLong(1, ++n);
                    ps.setString(2, line);
                    ps.addBatch();
                    if (n % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            } catch (SQLException e) {
                throw new IsolationException("The export is not valid JSON Lines (" + e.getMessage() + "). Nothing was"
                        + " imported; export the tenant again.", e);
            }
            String name = "regexp_replace(line ->> 'table', '^.*\\.', '')";
            try (PreparedStatement ps = target.prepareStatement("SELECT n FROM geo_restore WHERE jsonb_typeof(line ->"
                    + " 'row') IS DISTINCT FROM 'object' OR jsonb_typeof(line -> 'table') IS DISTINCT FROM 'string'"
                    + " ORDER BY n LIMIT 1"); ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new IsolationException("Line " + rs.getLong(1) + " of the export is not a {\"table\": ...,"
                            + " \"row\": {...}} object. Nothing was imported; export the tenant again.");
                }
            }
            List<String> named = new ArrayList<>();
            try (PreparedStatement ps = target.prepareStatement("SELECT DISTINCT " + name + " FROM geo_restore ORDER BY 1");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    named.add(rs.getString(1));
                }
            }
            List<String> missing = named.stream().filter(t -> !tables.containsKey(t)).toList();
            if (!missing.isEmpty()) {
                throw new IsolationException("The export has rows of " + missing + ", which the tenant's tables here"
                        + " lack (add them to the migrations, or to the shared tables). Nothing was imported.");
            }
            List<Table> used = named.stream().map(tables::get).toList();
            for (Map.Entry<String, Check> present : checksInTransaction(target, to, used, tenant).entrySet()) {
                if (present.getValue().rows() > 0) {
                    throw new IsolationException("Tenant '" + tenant + "' already has " + present.getValue().rows()
                            + " rows in " + present.getKey() + "; restore only into a freshly provisioned tenant."
                            + " Nothing was imported.");
                }
            }
            List<Pair> pairs = new ArrayList<>();
            // Foreign keys (and triggers) are on: the rows are inserted parents first, each table in one statement
            // (a reference inside one table is checked at the statement's end), so a row referring to a row the
            // export lacks fails the import, and nothing is kept.
            for (Table t : dependencyOrder(target, used)) {
                String columns = String.join(", ", t.copied());
                try {
                    Sql.execute(target, "INSERT INTO " + t.qualified() + " (" + columns + (to.shared() ? ", "
                            + ControlPlane.TENANT_COLUMN : "") + ") SELECT " + prefixed(t.copied()) + (to.shared()
                            ? ", " + SchemaTenants.literal(tenant) : "") + " FROM geo_restore s,"
                            + " jsonb_populate_record(NULL::" + t.qualified() + ", s.line -> 'row') t WHERE "
                            + name.replace("line", "s.line") + " = '" + t.name().replace("'", "''") + "' ORDER BY s.n");
                } catch (SQLException e) {
                    if ("23503".equals(e.getSQLState())) {
                        throw new IsolationException("The export's rows of " + t.name() + " break a foreign key ("
                                + e.getMessage() + "): the export is incomplete or was altered. Nothing was imported;"
                                + " export the tenant again.", e);
                    }
                    throw e;
                }
                pairs.add(new Pair(t, t));
            }
            advanceSequences(target, to, pairs, tenant, null);
            Map<String, Long> imported = new LinkedHashMap<>();
            // the export's rows are JSON: both sides summed over their jsonb form
            Map<String, Check> after = checksInTransaction(target, to, used, tenant,
                    t -> jsonChecksum(canonical("t")));
            List<String> differing = new ArrayList<>();
            try (PreparedStatement ps = target.prepareStatement("SELECT " + name + ", count(*), "
                    + jsonChecksum("((line -> 'row') - '" + ControlPlane.TENANT_COLUMN + "')::text")
                    + " FROM geo_restore GROUP BY 1");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Check exported = new Check(rs.getLong(2), rs.getBigDecimal(3).toPlainString());
                    Check restored = after.get(rs.getString(1));
                    if (!exported.equals(restored)) {
                        differing.add(rs.getString(1) + " (export " + exported + ", imported " + restored + ")");
                    }
                    imported.put(rs.getString(1), exported.rows());
                }
            }
            if (!differing.isEmpty()) {
                throw new IsolationException("The imported rows do not verify against the export: " + differing
                        + ". Nothing was imported.");
            }
            target.commit();
            return imported;
        } catch (SQLException | RuntimeException | java.io.IOException e) {
            rollbackQuietly(target, e);
            throw e;
        } finally {
            target.setAutoCommit(auto);
        }
    }

    /**
     * The tables in an order in which each comes after the tables its foreign keys refer to (among {@code tables});
     * tables in a cycle of foreign keys keep their name order, and a row of theirs whose parent is inserted later
     * fails the import (declare such keys {@code DEFERRABLE} and the check waits for the commit).
     */
    static List<Table> dependencyOrder(Connection c, List<Table> tables) throws SQLException {
        Map<String, Table> byQualified = new LinkedHashMap<>();
        for (Table t : tables) {
            byQualified.put(t.qualified(), t);
        }
        Map<String, java.util.Set<String>> parents = new LinkedHashMap<>();
        for (Table t : tables) {
            java.util.Set<String> refs = new java.util.TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT quote_ident(n.nspname) || '.' ||"
                    + " quote_ident(r.relname) FROM pg_constraint k JOIN pg_class r ON r.oid = k.confrelid"
                    + " JOIN pg_namespace n ON n.oid = r.relnamespace WHERE k.contype = 'f' AND k.conrelid = ?::regclass"
                    + " AND k.confrelid <> k.conrelid")) {
                ps.setString(1, t.qualified());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (byQualified.containsKey(rs.getString(1))) {
                            refs.add(rs.getString(1));
                        }
                    }
                }
            }
            parents.put(t.qualified(), refs);
        }
        List<Table> ordered = new ArrayList<>();
        java.util.Set<String> placed = new java.util.HashSet<>();
        while (ordered.size() < tables.size()) {
            boolean progress = false;
            for (Table t : tables) {
                if (!placed.contains(t.qualified()) && placed.containsAll(parents.get(t.qualified()))) {
                    ordered.add(t);
                    placed.add(t.qualified());
                    progress = true;
                }
            }
            if (!progress) { // a cycle: the rest in name order
                for (Table t : tables) {
                    if (placed.add(t.qualified())) {
                        ordered.add(t);
                    }
                }
            }
        }
        return ordered;
    }

    /** Counts and checksums as {@link #checks}, inside the caller's transaction (seeing its uncommitted rows). */
    private static Map<String, Check> checksInTransaction(Connection c, Side side, List<Table> tables, String tenant)
            throws SQLException {
        return checksInTransaction(c, side, tables, tenant, TenantCopy::checksum);
    }

    /** As {@link #checksInTransaction(Connection, Side, List, String)}, with each table's checksum expression. */
    private static Map<String, Check> checksInTransaction(Connection c, Side side, List<Table> tables, String tenant,
            java.util.function.Function<Table, String> checksum) throws SQLException {
        Map<String, Check> checks = new LinkedHashMap<>();
        for (Table t : tables) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), " + checksum.apply(t) + " FROM "
                    + t.qualified() + " t WHERE " + tenantRows(side, "t", tenant));
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                checks.put(t.name(), new Check(rs.getLong(1), rs.getBigDecimal(2).toPlainString()));
            }
        }
        return checks;
    }

    /** A row's canonical text: its jsonb without tenant_id (keys sorted, values in their JSON form). */
    private static String canonical(String alias) {
        return "(to_jsonb(" + alias + ") - '" + ControlPlane.TENANT_COLUMN + "')::text";
    }

    /**
     * Makes the target's rows of one pair equal to the source's: both sides list each row's key and the MD5 of its
     * canonical form in the same order; rows missing or different on the target are copied again, rows the source
     * no longer has are deleted. Call it only while the tenant cannot write on the source.
     *
     * @return how many rows were copied again or deleted
     */
    public static long reconcile(Connection source, Side from, Connection target, Side to, Pair p, String tenant)
            throws SQLException {
        List<String> stale = new ArrayList<>(); // keys to delete on the target
        List<String> fresh = new ArrayList<>(); // keys to copy from the source
        boolean targetAuto = target.getAutoCommit();
        target.setAutoCommit(false);
        try (PreparedStatement s = source.prepareStatement(digests(p.source(), from, tenant));
                PreparedStatement t = target.prepareStatement(digests(p.target(), to, tenant))) {
            s.setFetchSize(10_000);
            t.setFetchSize(10_000);
            boolean sourceAuto = source.getAutoCommit();
            source.setAutoCommit(false);
            try (ResultSet rs = s.executeQuery(); ResultSet rt = t.executeQuery()) {
                boolean hasS = rs.next();
                boolean hasT = rt.next();
                while (hasS || hasT) {
                    int order = !hasS ? 1 : !hasT ? -1 : compare(rs.getString(1), rt.getString(1));
                    if (order < 0) {
                        fresh.add(rs.getString(1));
                        hasS = rs.next();
                    } else if (order > 0) {
                        stale.add(rt.getString(1));
                        hasT = rt.next();
                    } else {
                        if (!rs.getString(2).equals(rt.getString(2))) {
                            stale.add(rt.getString(1));
                            fresh.add(rs.getString(1));
                        }
                        hasS = rs.next();
                        hasT = rt.next();
                    }
                }
            } finally {
                source.commit();
                source.setAutoCommit(sourceAuto);
            }
            Sql.execute(target, "SET LOCAL session_replication_role = replica");
            for (List<String> batch : batches(stale)) {
                deleteKeys(target, to, p, tenant, batch);
            }
            CopyManager in = target.unwrap(PGConnection.class).getCopyAPI();
            PGConnection out = source.unwrap(PGConnection.class);
            for (List<String> batch : batches(fresh)) {
                stream(out, in, from, to, p, tenant, batch, Pace.FULL_SPEED);
            }
            advanceSequences(target, to, List.of(p), tenant, source);
            target.commit();
            return stale.size() + fresh.size();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(target, e);
            throw e;
        } finally {
            target.setAutoCommit(targetAuto);
        }
    }

    /** Key (as jsonb text) and MD5 of the canonical form of every tenant row of a table, ordered by key bytes. */
    private static String digests(Table table, Side side, String tenant) {
        List<String> parts = new ArrayList<>();
        for (String k : table.key()) {
            parts.add("'" + unquote(k).replace("'", "''") + "', t." + k);
        }
        String key = "jsonb_build_object(" + String.join(", ", parts) + ")::text";
        return "SELECT " + key + " AS k, md5(" + canonical("t") + ") FROM " + table.qualified() + " t WHERE "
                + tenantRows(side, "t", tenant) + " ORDER BY " + key + " COLLATE \"C\"";
    }

    private static String keyMatch(Table table, String row, String keys) {
        return String.join(" AND ", table.key().stream().map(k -> row + "." + k + " = " + keys + "." + k).toList());
    }

    /** The same byte order as PostgreSQL's COLLATE "C" for the (ASCII-escaped or UTF-8) key texts. */
    private static int compare(String a, String b) {
        byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }

    private static String jsonArray(List<String> objects) {
        return "'[" + String.join(",", objects).replace("'", "''") + "]'::jsonb";
    }

    private static List<List<String>> batches(List<String> all) {
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += KEY_BATCH) {
            batches.add(all.subList(i, Math.min(all.size(), i + KEY_BATCH)));
        }
        return batches;
    }

    private static String unquote(String quoted) {
        return quoted.startsWith("\"") ? quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"") : quoted;
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
