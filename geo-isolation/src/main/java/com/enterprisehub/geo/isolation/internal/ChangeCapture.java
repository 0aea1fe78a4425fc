package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.isolation.IsolationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Change capture for a tenant move, so that the freeze reads only the rows changed since the last catch-up instead of
 * the whole tenant. Not part of the API.
 *
 * <p>Before the snapshot copy, a trigger on each of the tenant's source tables (shared tables: one trigger for every
 * tenant being moved, which logs the rows of the tenants in their hash buckets, each under its own tenant id) writes
 * the primary key of every row inserted, updated or deleted into {@code geo_move.log} of the source database, with the
 * writing transaction's id. The copy records its snapshot ({@code pg_current_snapshot()} of its repeatable-read
 * transaction). A catch-up pass opens a new repeatable-read snapshot, reads the keys logged by transactions the
 * previous snapshot did not see, replaces those rows on the target with the source's (deleted where the source has
 * none) and compares the replaced rows, count and checksum, on both sides; then the new snapshot becomes the mark and
 * the log is pruned. A key logged by a transaction still running is read by the next pass. So, with the copy verified
 * whole and every pass verified on its keys, the target equals the source at the last pass's snapshot, and the freeze's
 * pass is as small as the writes made since the pass before it.
 *
 * <p>What the triggers cannot see makes the capture <em>degraded</em> and the freeze falls back to comparing the
 * whole tenant (as before change capture): a {@code TRUNCATE} (a statement trigger logs it, and the table's file
 * changes), any DDL on a captured table (an event trigger logs it: {@code ALTER TABLE ... DISABLE TRIGGER}, a column
 * rewrite, which also changes the file; the event trigger misses the DDL of a transaction that began before it
 * existed, the file does not), a table's file other than when its capture began, a capture trigger
 * missing, replaced or not {@code ENABLE ALWAYS} (so {@code session_replication_role = replica} cannot silence it),
 * a source table not captured (created during the move), or table definitions changed since the copy. The triggers
 * and the log name no tenant in anything another tenant can read (pg_trigger is readable by every role): the
 * tenants being moved are in {@code geo_move.captured}, which only the administrator reads.
 */
public final class ChangeCapture {
    /** How many keys one statement of a pass carries. */
    private static final int KEY_BATCH = 1000;
    private static final String TRIGGER = "geo_move_capture";
    private static final String TRUNCATE_TRIGGER = "geo_move_truncate";
    /**
     * How a marker (a {@code TRUNCATE}, a DDL command) is logged: under {@code '*'} and the table's oid, for every move
     * that captures the table, and looked up by no one when it is written (see {@link #MARKERS_OF}).
     */
    private static final String MARKER_PREFIX = "*";
    /** In a trigger function: the marker of the trigger's table. */
    private static final String MARKER = "'" + MARKER_PREFIX + "' || TG_RELID::text";
    /** Both names, as a SQL list. */
    private static final String TRIGGERS = "('" + TRIGGER + "', '" + TRUNCATE_TRIGGER + "')";
    /**
     * How many buckets a shared table's capture trigger sorts tenants into, by {@code hashtext(tenant_id)}. The trigger
     * passes the buckets of the tenants it captures to its function, which returns at once for a row of a tenant in
     * none of them (63 in 64 of other tenants' rows), before looking up the tenants being moved. A server-side loop
     * of 200,000 single-row inserts of another tenant on PostgreSQL 17: 5 µs each without a trigger; the lookup cost
     * 7.6 µs more per row, this early return 2.6 µs (a {@code WHEN} clause on the bucket 4.3 µs: it is parsed and
     * prepared again by every statement). The buckets are what the catalog shows of a move (pg_trigger's arguments
     * are readable by every role): 6 bits of a hash, which a 64th of all tenant ids share, not a tenant's name.
     */
    static final int BUCKETS = 64;
    /** The name of the lock that serializes installing and removing capture (see {@link AdminLocks}). */
    private static final String LOCK = "geo-move-capture";
    /** How long installing capture waits for a table's lock: below deadlock_timeout (1 s by default). */
    private static final String LOCK_TIMEOUT = "500ms";
    /** How long one attempt to drop a table's capture triggers waits for its lock. */
    private static final String DROP_TIMEOUT = "200ms";
    /** How many attempts. */
    private static final int DROP_ATTEMPTS = 5;

    private ChangeCapture() {
    }

    /**
     * Where the catch-up stands: the snapshot the target equals the source at, the source tables' definitions then,
     * and the tenant's rows per table.
     *
     * @param snapshot a {@code pg_snapshot} in text form
     * @param fingerprint a digest of the source tables' definitions
     * @param rows rows per table (by name) at {@code snapshot}
     */
    public record Mark(String snapshot, String fingerprint, Map<String, Long> rows) {
        public Mark {
            rows = java.util.Collections.unmodifiableMap(new TreeMap<>(rows));
        }
    }

    /**
     * One catch-up pass.
     *
     * @param mark where the catch-up stands after it
     * @param keys how many rows (keys) it replaced or deleted on the target
     */
    public record Pass(Mark mark, long keys) {
    }

    /**
     * Installs capture for the tenant's source tables and empties its log. Idempotent. Two transactions: the objects of
     * schema {@code geo_move} first (no lock on any tenant table), then the triggers, which wait at most
     * {@value #LOCK_TIMEOUT} for each table's lock: less than PostgreSQL's {@code deadlock_timeout} (1 s), so that when
     * a writer's transaction and this one wait for each other, this one gives up first and the writer never fails.
     *
     * @return false (nothing installed for this move) if a table is partitioned or a table's lock was not granted in
     *     time: the freeze then compares the whole tenant
     */
    public static boolean install(Connection src, boolean shared, List<TenantCopy.Table> tables, String tenant)
            throws SQLException {
        if (!partitioned(src, tables).isEmpty()) {
            forgetMark(src, tenant);
            return false;
        }
        try {
            inTransaction(src, () -> {
                Sql.execute(src, "SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
                lock(src);
                objects(src);
            });
            inTransaction(src, () -> {
                // CREATE TRIGGER locks each table against writes (SHARE ROW EXCLUSIVE) once the writes in flight end,
                // and every writer of the table queues behind it: a short wait, then without capture
                Sql.execute(src, "SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
                lock(src);
                Sql.execute(src, "INSERT INTO geo_move.installing VALUES (pg_backend_pid()) ON CONFLICT DO NOTHING");
                for (TenantCopy.Table t : tables) {
                    String before = digest(src, t);
                    try (PreparedStatement ps = src.prepareStatement("INSERT INTO geo_move.captured (tenant, relid,"
                            + " tbl, shared) VALUES (?, ?::regclass, ?, ?) ON CONFLICT (relid, tenant) DO NOTHING")) {
                        ps.setString(1, tenant);
                        ps.setString(2, t.qualified());
                        ps.setString(3, t.name());
                        ps.setBoolean(4, shared);
                        ps.executeUpdate();
                    }
                    triggers(src, shared, t);
                    // the table's file, read once its lock is held (the triggers took it): a TRUNCATE committed while
                    // the install waited for the lock is in the copy, and must not degrade every pass
                    try (PreparedStatement ps = src.prepareStatement("UPDATE geo_move.captured c SET file ="
                            + " k.relfilenode FROM pg_class k WHERE k.oid = c.relid AND c.tenant = ?"
                            + " AND c.relid = ?::regclass")) {
                        ps.setString(1, tenant);
                        ps.setString(2, t.qualified());
                        ps.executeUpdate();
                    }
                    // what the triggers are now: a trigger replaced or dropped afterwards degrades the capture. Other
                    // moves of the table take the new definition only if theirs was intact until now: a trigger
                    // replaced or dropped under them must not be made good by this install
                    try (PreparedStatement ps = src.prepareStatement("UPDATE geo_move.captured SET triggers = "
                            + TRIGGER_DIGEST + " WHERE relid = ?::regclass AND (tenant = ? OR triggers = ?)")) {
                        ps.setString(1, t.qualified());
                        ps.setString(2, t.qualified());
                        ps.setString(3, tenant);
                        ps.setString(4, before);
                        ps.executeUpdate();
                    }
                }
                deleteEntries(src, tenant);
                deleteWhere(src, "DELETE FROM geo_move.mark WHERE tenant = ?", tenant);
                Sql.execute(src, "DELETE FROM geo_move.installing WHERE pid = pg_backend_pid()");
            });
        } catch (SQLException e) {
            if (!"55P03".equals(e.getSQLState()) && !"40P01".equals(e.getSQLState())) {
                throw e;
            }
            LoggerHolder.LOG.info("Change capture for tenant {}'s move not installed: a table's lock was not granted"
                    + " within {} ({}); the freeze compares the whole tenant", tenant, LOCK_TIMEOUT, e.getMessage());
            forgetMark(src, tenant);
            return false;
        }
        return true;
    }

    /** A mark an earlier attempt recorded describes an earlier copy, not the one that follows. */
    private static void forgetMark(Connection src, String tenant) throws SQLException {
        if (installed(src)) {
            deleteWhere(src, "DELETE FROM geo_move.mark WHERE tenant = ?", tenant);
        }
    }

    /** Schema {@code geo_move}: the log, the captured tables, the marks, the functions, the DDL event trigger. */
    private static void objects(Connection src) throws SQLException {
        Sql.execute(src, "CREATE SCHEMA IF NOT EXISTS geo_move");
        Sql.execute(src, "REVOKE ALL ON SCHEMA geo_move FROM PUBLIC");
        Sql.execute(src, "CREATE TABLE IF NOT EXISTS geo_move.log (tenant text NOT NULL, tbl text NOT NULL,"
                + " key jsonb, xid xid8 NOT NULL DEFAULT pg_current_xact_id())");
        Sql.execute(src, "CREATE INDEX IF NOT EXISTS log_tenant ON geo_move.log (tenant)");
        Sql.execute(src, "CREATE TABLE IF NOT EXISTS geo_move.captured (tenant text NOT NULL, relid oid NOT NULL,"
                + " tbl text NOT NULL, shared boolean NOT NULL, PRIMARY KEY (relid, tenant))");
        Sql.execute(src, "ALTER TABLE geo_move.captured ADD COLUMN IF NOT EXISTS triggers text");
        // the table's file when the capture began: a TRUNCATE or a rewrite (ALTER TABLE ... USING) gives it a new one
        Sql.execute(src, "ALTER TABLE geo_move.captured ADD COLUMN IF NOT EXISTS file oid");
        Sql.execute(src, "CREATE TABLE IF NOT EXISTS geo_move.mark (tenant text PRIMARY KEY, snapshot pg_snapshot"
                + " NOT NULL, fingerprint text NOT NULL, tables text[] NOT NULL, counts bigint[] NOT NULL)");
        // DDL run by capture's own transactions is not a change of the tenant's tables
        Sql.execute(src, "CREATE TABLE IF NOT EXISTS geo_move.installing (pid integer PRIMARY KEY)");
        Sql.execute(src, "REVOKE ALL ON ALL TABLES IN SCHEMA geo_move FROM PUBLIC");
        functions(src);
    }

    private static void functions(Connection src) throws SQLException {
        // the key of a row as {"column": value, ...} over the key columns TG_ARGV[0] lists (a JSON array)
        String key = "(SELECT jsonb_object_agg(c, r -> c) FROM jsonb_array_elements_text(TG_ARGV[0]::jsonb) c)";
        String tenantOf = "SELECT 1 FROM geo_move.captured c WHERE c.relid = TG_RELID AND c.tenant = ";
        String column = ControlPlane.TENANT_COLUMN;
        Sql.execute(src, "CREATE OR REPLACE FUNCTION geo_move.capture_shared() RETURNS trigger LANGUAGE plpgsql"
                + " SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$"
                + " DECLARE r jsonb; o jsonb; n jsonb; BEGIN"
                + " IF TG_LEVEL = 'STATEMENT' THEN"
                + "   INSERT INTO geo_move.log (tenant, tbl, key) VALUES (" + MARKER + ", TG_TABLE_NAME, NULL);"
                + "   RETURN NULL;"
                + " END IF;"
                + " IF TG_OP IN ('UPDATE', 'DELETE') THEN"
                + "   IF " + logged("OLD", tenantOf) + " THEN"
                + "     r := to_jsonb(OLD); o := " + key + ";"
                + "     INSERT INTO geo_move.log (tenant, tbl, key) VALUES (OLD." + column + ", TG_TABLE_NAME, o);"
                + "   END IF;"
                + " END IF;"
                + " IF TG_OP IN ('INSERT', 'UPDATE') THEN"
                + "   IF " + logged("NEW", tenantOf) + " THEN"
                + "     r := to_jsonb(NEW); n := " + key + ";"
                + "     IF TG_OP = 'INSERT' THEN"
                + "       INSERT INTO geo_move.log (tenant, tbl, key) VALUES (NEW." + column + ", TG_TABLE_NAME, n);"
                + "     ELSIF OLD." + column + " IS DISTINCT FROM NEW." + column + " OR n IS DISTINCT FROM o THEN"
                + "       INSERT INTO geo_move.log (tenant, tbl, key) VALUES (NEW." + column + ", TG_TABLE_NAME, n);"
                + "     END IF;"
                + "   END IF;"
                + " END IF;"
                + " RETURN NULL; END $f$");
        Sql.execute(src, "CREATE OR REPLACE FUNCTION geo_move.capture_own() RETURNS trigger LANGUAGE plpgsql"
                + " SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$"
                + " DECLARE r jsonb; o jsonb; BEGIN"
                + " IF TG_LEVEL = 'STATEMENT' THEN"
                + "   INSERT INTO geo_move.log (tenant, tbl, key) VALUES (" + MARKER + ", TG_TABLE_NAME, NULL);"
                + "   RETURN NULL;"
                + " END IF;"
                // a row is logged under its table ('#' and its oid), not looked up: see logged()
                + " IF TG_OP <> 'INSERT' THEN"
                + "   r := to_jsonb(OLD); o := " + key + ";"
                + "   INSERT INTO geo_move.log (tenant, tbl, key) VALUES ('#' || TG_RELID::text, TG_TABLE_NAME, o);"
                + " END IF;"
                + " IF TG_LEVEL = 'ROW' AND TG_OP <> 'DELETE' THEN"
                + "   r := to_jsonb(NEW);"
                + "   IF TG_OP = 'INSERT' OR " + key + " IS DISTINCT FROM o THEN"
                + "     INSERT INTO geo_move.log (tenant, tbl, key) VALUES ('#' || TG_RELID::text, TG_TABLE_NAME, "
                + key + ");"
                + "   END IF;"
                + " END IF;"
                + " RETURN NULL; END $f$");
        // any DDL on a table (ALTER TABLE ... DISABLE TRIGGER, a rewrite of a column): a marker under the table, and a
        // move that captures it compares the whole tenant. Every table's, not only the captured ones': whether a table
        // is captured would be read in the DDL transaction's snapshot, which can predate the capture (the event
        // trigger exists only while a move captures; its markers go with the last capture). A temporary table is no
        // tenant's; a dropped schema must not break every DDL of the database
        Sql.execute(src, "CREATE OR REPLACE FUNCTION geo_move.on_ddl() RETURNS event_trigger LANGUAGE plpgsql"
                + " SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$ BEGIN"
                + " IF EXISTS (SELECT 1 FROM geo_move.installing i WHERE i.pid = pg_backend_pid()) THEN RETURN; END IF;"
                + " INSERT INTO geo_move.log (tenant, tbl, key) SELECT DISTINCT '" + MARKER_PREFIX + "' || d.objid::text,"
                + " d.object_identity, NULL::jsonb FROM pg_event_trigger_ddl_commands() d"
                + " WHERE d.classid = 'pg_class'::regclass AND NOT d.in_extension"
                + " AND d.schema_name NOT LIKE 'pg\\_temp%';"
                + " EXCEPTION WHEN undefined_table THEN RETURN;"
                + " END $f$");
        Sql.execute(src, "REVOKE ALL ON FUNCTION geo_move.capture_shared(), geo_move.capture_own(), geo_move.on_ddl()"
                + " FROM PUBLIC");
        try (PreparedStatement ps = src.prepareStatement(
                "SELECT 1 FROM pg_event_trigger WHERE evtname = 'geo_move_ddl'"); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                Sql.execute(src, "CREATE EVENT TRIGGER geo_move_ddl ON ddl_command_end EXECUTE FUNCTION"
                        + " geo_move.on_ddl()");
            }
        }
    }

    /**
     * The log rows of a tenant ({@code ?}, {@code ?}): its rows of shared tables, logged under its id, and the rows of
     * its own tables, logged under {@code '#'} and the table's oid.
     */
    private static final String ENTRIES_OF = "(tenant = ? OR tenant IN (SELECT '#' || c.relid::text FROM"
            + " geo_move.captured c WHERE c.tenant = ?))";

    /**
     * The markers that concern a tenant's move ({@code ?}, {@code ?}): those of the tables it captures, and those an
     * earlier version logged under its id. A marker is not in the log of one tenant: it stays for every move of its
     * table, and only those its transaction committed before a move's mark are behind that move; it goes when no
     * move captures its table ({@link #pruneOthers}). A marker written by a transaction whose snapshot predates the
     * capture is there too: nothing was looked up to write it.
     */
    private static final String MARKERS_OF = "key IS NULL AND (tenant = ? OR tenant IN (SELECT '" + MARKER_PREFIX
            + "' || c.relid::text FROM geo_move.captured c WHERE c.tenant = ?))";

    /**
     * The MD5 of a table's ({@code ?}) capture triggers: their definitions, and the transaction that last wrote each
     * one's catalog row. {@code ALTER TABLE ... DISABLE TRIGGER} and {@code ENABLE ALWAYS TRIGGER} rewrite it, so a
     * trigger disabled while rows were written and enabled again no longer looks untouched (the DDL event trigger
     * misses both when their transactions began before the capture existed: a review found the row lost). Freezing
     * keeps a row's xmin readable (PostgreSQL 9.4 and later), so {@code VACUUM} changes nothing here.
     */
    private static final String TRIGGER_DIGEST = "(SELECT md5(string_agg(pg_get_triggerdef(t.oid) || ' ' ||"
            + " t.xmin::text, ';' ORDER BY t.tgname)) FROM pg_trigger t WHERE t.tgrelid = ?::regclass AND t.tgname IN "
            + TRIGGERS + ")";

    /** The digest of a table's capture triggers now (null when it has none). */
    private static String digest(Connection src, TenantCopy.Table t) throws SQLException {
        try (PreparedStatement ps = src.prepareStatement("SELECT " + TRIGGER_DIGEST)) {
            ps.setString(1, t.qualified());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * A table's capture triggers: a row trigger and a {@code TRUNCATE} trigger. On a shared table the row trigger
     * passes its function the buckets of the tenants captured (read from {@code geo_move.captured}, this tenant's row
     * included), so that the function returns at once for other tenants' rows.
     */
    private static void triggers(Connection src, boolean shared, TenantCopy.Table t) throws SQLException {
        String function = shared ? "geo_move.capture_shared" : "geo_move.capture_own";
        String args = SchemaTenants.literal(json(t.key()));
        // an argument of this install's own, so that its definition differs from every earlier one: a trigger
        // replaced under a move must not turn out identical to what that move recorded (another tenant of the same
        // buckets installing), which would make it good again
        String install = SchemaTenants.literal(java.util.UUID.randomUUID().toString());
        if (shared) {
            // the buckets of every tenant whose move captures the table, this one's included (its row is in), hashed
            // in the tenant_id column's collation as the function hashes it: under a nondeterministic collation
            // hashtext hashes the sort key, not the bytes
            try (PreparedStatement ps = src.prepareStatement("SELECT ',' || string_agg(DISTINCT (hashtext(c.tenant"
                    + collation(src, t) + ") & " + (BUCKETS - 1) + ")::text, ',') || ',' FROM geo_move.captured c"
                    + " WHERE c.relid = ?::regclass")) {
                ps.setString(1, t.qualified());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    args += ", " + SchemaTenants.literal(rs.getString(1));
                }
            }
        }
        Sql.execute(src, "CREATE OR REPLACE TRIGGER " + TRIGGER + " AFTER INSERT OR UPDATE OR DELETE ON " + t.qualified()
                + " FOR EACH ROW EXECUTE FUNCTION " + function + "(" + args + ", " + install + ")");
        Sql.execute(src, "CREATE OR REPLACE TRIGGER " + TRUNCATE_TRIGGER + " AFTER TRUNCATE ON " + t.qualified()
                + " FOR EACH STATEMENT EXECUTE FUNCTION " + function + "(" + args + ")");
        // fired under session_replication_role = replica too
        Sql.execute(src, "ALTER TABLE " + t.qualified() + " ENABLE ALWAYS TRIGGER " + TRIGGER);
        Sql.execute(src, "ALTER TABLE " + t.qualified() + " ENABLE ALWAYS TRIGGER " + TRUNCATE_TRIGGER);
    }

    /** {@code COLLATE} and the collation of the table's tenant_id column (empty if none or not collatable). */
    private static String collation(Connection src, TenantCopy.Table t) throws SQLException {
        try (PreparedStatement ps = src.prepareStatement("SELECT a.attcollation::regcollation::text FROM pg_attribute a"
                + " WHERE a.attrelid = ?::regclass AND a.attname = '" + ControlPlane.TENANT_COLUMN + "'"
                + " AND a.attcollation <> 0")) {
            ps.setString(1, t.qualified());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? " COLLATE " + rs.getString(1) : "";
            }
        }
    }

    /**
     * In the capture function: whether to log a row ({@code NEW} or {@code OLD}). A row of a tenant in one of the
     * buckets the trigger passes as {@code TG_ARGV[1]} ({@code ",8,17,"}) is logged under its own tenant id, whichever
     * tenant of the bucket it is: the pass reads its own tenant's rows, and the others are pruned. The function does
     * not look the tenant up in {@code geo_move.captured}: that read would run in the writer's snapshot, and a
     * repeatable-read transaction whose snapshot predates the capture would not find the tenant, log nothing, and its
     * row, written after the copy's snapshot, would be lost (a review found it; {@code ChangeCaptureMoveTest}). Only a
     * trigger of an earlier version, without buckets, still looks the tenant up.
     */
    private static String logged(String row, String tenantOf) {
        return "((TG_ARGV[1] IS NULL AND EXISTS (" + tenantOf + row + "." + ControlPlane.TENANT_COLUMN + "))"
                + " OR strpos(TG_ARGV[1], " + bucketText(row) + ") > 0)";
    }

    /** In the capture function: the bucket of the row's ({@code NEW} or {@code OLD}) tenant, as {@code ",8,"}. */
    private static String bucketText(String row) {
        return "',' || (hashtext(" + row + "." + ControlPlane.TENANT_COLUMN + ") & " + (BUCKETS - 1) + ")::text || ','";
    }

    /** Partitioned tables among {@code tables} (their partitions could be truncated unseen). */
    private static List<String> partitioned(Connection src, List<TenantCopy.Table> tables) throws SQLException {
        List<String> found = new ArrayList<>();
        for (TenantCopy.Table t : tables) {
            try (PreparedStatement ps = src.prepareStatement("SELECT relkind = 'p' FROM pg_class WHERE oid = ?::regclass")) {
                ps.setString(1, t.qualified());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        found.add(t.name());
                    }
                }
            }
        }
        return found;
    }

    /** Records where the catch-up stands (after the copy or a pass). */
    public static void record(Connection src, String tenant, Mark mark) throws SQLException {
        try (PreparedStatement ps = src.prepareStatement("INSERT INTO geo_move.mark (tenant, snapshot, fingerprint,"
                + " tables, counts) VALUES (?, ?::pg_snapshot, ?, ?, ?) ON CONFLICT (tenant) DO UPDATE SET snapshot ="
                + " excluded.snapshot, fingerprint = excluded.fingerprint, tables = excluded.tables,"
                + " counts = excluded.counts")) {
            ps.setString(1, tenant);
            ps.setString(2, mark.snapshot());
            ps.setString(3, mark.fingerprint());
            ps.setArray(4, src.createArrayOf("text", mark.rows().keySet().toArray()));
            ps.setArray(5, src.createArrayOf("bigint", mark.rows().values().toArray()));
            ps.executeUpdate();
        }
        // keys every later pass has seen already
        try (PreparedStatement ps = src.prepareStatement("DELETE FROM geo_move.log WHERE " + ENTRIES_OF
                + " AND key IS NOT NULL AND pg_visible_in_snapshot(xid, ?::pg_snapshot)")) {
            ps.setString(1, tenant);
            ps.setString(2, tenant);
            ps.setString(3, mark.snapshot());
            ps.executeUpdate();
        }
        pruneOthers(src);
    }

    /**
     * Deletes the keys logged for tenants no move captures (other tenants of the captured buckets). A tenant whose
     * capture is installed later starts from an empty log of its own anyway.
     */
    private static void pruneOthers(Connection src) throws SQLException {
        Sql.execute(src, "DELETE FROM geo_move.log l WHERE NOT EXISTS (SELECT 1 FROM geo_move.captured c WHERE"
                + " c.tenant = l.tenant OR '#' || c.relid::text = l.tenant OR '" + MARKER_PREFIX
                + "' || c.relid::text = l.tenant)");
    }

    /** Deletes the tenant's log rows ({@link #ENTRIES_OF}). */
    private static void deleteEntries(Connection src, String tenant) throws SQLException {
        try (PreparedStatement ps = src.prepareStatement("DELETE FROM geo_move.log WHERE " + ENTRIES_OF)) {
            ps.setString(1, tenant);
            ps.setString(2, tenant);
            ps.executeUpdate();
        }
    }

    /** Where the catch-up of the tenant's move stands, if capture is installed and the copy recorded it. */
    public static Optional<Mark> mark(Connection src, String tenant) throws SQLException {
        if (!installed(src)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = src.prepareStatement("SELECT snapshot::text, fingerprint, tables, counts FROM"
                + " geo_move.mark WHERE tenant = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String[] tables = (String[]) rs.getArray(3).getArray();
                Long[] counts = (Long[]) rs.getArray(4).getArray();
                Map<String, Long> rows = new TreeMap<>();
                for (int i = 0; i < tables.length; i++) {
                    rows.put(tables[i], counts[i]);
                }
                return Optional.of(new Mark(rs.getString(1), rs.getString(2), rows));
            }
        }
    }

    private static boolean installed(Connection src) throws SQLException {
        try (PreparedStatement ps = src.prepareStatement("SELECT to_regclass('geo_move.mark') IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /**
     * Why the capture cannot be trusted for these tables now, if it cannot (read in the caller's transaction): a
     * marker in the log (TRUNCATE, DDL), a table not captured, a capture trigger missing, replaced or not always
     * enabled, or definitions changed since the copy.
     */
    private static Optional<String> degraded(Connection src, boolean shared, List<TenantCopy.Pair> pairs,
            String tenant, Mark mark) throws SQLException {
        if (!mark.fingerprint().equals(fingerprint(pairs))) {
            return Optional.of("the source tables' definitions changed since the copy");
        }
        try (PreparedStatement ps = src.prepareStatement("SELECT string_agg(DISTINCT tbl, ', ') FROM geo_move.log"
                + " WHERE " + MARKERS_OF + " AND NOT pg_visible_in_snapshot(xid, ?::pg_snapshot)")) {
            ps.setString(1, tenant);
            ps.setString(2, tenant);
            ps.setString(3, mark.snapshot());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getString(1) != null) {
                    return Optional.of("a TRUNCATE or DDL changed " + rs.getString(1) + " during the move");
                }
            }
        }
        for (TenantCopy.Pair p : pairs) {
            try (PreparedStatement ps = src.prepareStatement("SELECT EXISTS (SELECT 1 FROM geo_move.captured c"
                    + " WHERE c.tenant = ? AND c.relid = ?::regclass AND c.triggers = " + TRIGGER_DIGEST + "),"
                    + " (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = ?::regclass AND t.tgname IN " + TRIGGERS
                    + " AND t.tgenabled = 'A' AND t.tgfoid = ?::regproc),"
                    + " EXISTS (SELECT 1 FROM geo_move.captured c JOIN pg_class k ON k.oid = c.relid WHERE"
                    + " c.tenant = ? AND c.relid = ?::regclass AND c.file IS DISTINCT FROM k.relfilenode)")) {
                ps.setString(1, tenant);
                ps.setString(2, p.source().qualified());
                ps.setString(3, p.source().qualified());
                ps.setString(4, p.source().qualified());
                ps.setString(5, shared ? "geo_move.capture_shared" : "geo_move.capture_own");
                ps.setString(6, tenant);
                ps.setString(7, p.source().qualified());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1) || rs.getInt(2) != 2) {
                        return Optional.of("table " + p.source().name() + " is not captured (created during the move,"
                                + " or its capture trigger was dropped, replaced or disabled)");
                    }
                    if (rs.getBoolean(3)) {
                        // the markers' backstop: a DDL command's marker is missed by a transaction that began before
                        // the event trigger existed (PostgreSQL collects its commands only if it knew of an event
                        // trigger when the command began)
                        return Optional.of("table " + p.source().name() + " was truncated or rewritten during the"
                                + " move (its file changed)");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** A digest of the source tables' definitions (names, columns, types, keys, sequences). */
    public static String fingerprint(List<TenantCopy.Pair> pairs) {
        StringBuilder b = new StringBuilder();
        for (TenantCopy.Pair p : pairs) {
            b.append(p.source()).append('\n');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One catch-up pass (see the class comment): the rows whose keys were logged since {@code mark} are replaced on
     * the target, in one target transaction, and verified key by key; the new mark is recorded.
     *
     * @return the pass, or empty if the capture is degraded (nothing was changed; compare the whole tenant)
     * @throws IsolationException if the replaced rows do not verify (nothing of this pass is kept on the target)
     */
    public static Optional<Pass> pass(Connection src, TenantCopy.Side from, Connection tgt, TenantCopy.Side to,
            List<TenantCopy.Pair> pairs, String tenant, Mark mark) throws SQLException {
        boolean sourceAuto = src.getAutoCommit();
        boolean targetAuto = tgt.getAutoCommit();
        int sourceIsolation = src.getTransactionIsolation();
        src.setAutoCommit(false);
        src.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        tgt.setAutoCommit(false);
        String snapshot;
        Map<String, Long> rows = new TreeMap<>(mark.rows());
        long keys = 0;
        try {
            try (PreparedStatement ps = src.prepareStatement("SELECT pg_current_snapshot()::text");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                snapshot = rs.getString(1); // the transaction's snapshot: every read below is in it
            }
            Optional<String> why = degraded(src, from.shared(), pairs, tenant, mark);
            if (why.isPresent()) {
                src.rollback();
                tgt.rollback();
                LoggerHolder.LOG.info("Change capture of tenant {}'s move is degraded ({}); the freeze compares the"
                        + " whole tenant", tenant, why.get());
                return Optional.empty();
            }
            Map<String, List<String>> changed = new LinkedHashMap<>();
            try (PreparedStatement ps = src.prepareStatement("SELECT tbl, key::text FROM geo_move.log WHERE "
                    + ENTRIES_OF + " AND key IS NOT NULL AND NOT pg_visible_in_snapshot(xid, ?::pg_snapshot)"
                    + " GROUP BY 1, 2")) {
                ps.setString(1, tenant);
                ps.setString(2, tenant);
                ps.setString(3, mark.snapshot());
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changed.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                    }
                }
            }
            if (!changed.isEmpty()) {
                Sql.execute(tgt, "SET LOCAL session_replication_role = replica");
                CopyManager in = tgt.unwrap(PGConnection.class).getCopyAPI();
                PGConnection out = src.unwrap(PGConnection.class);
                for (TenantCopy.Pair p : pairs) {
                    List<String> tableKeys = changed.getOrDefault(p.source().name(), List.of());
                    List<List<String>> batches = new ArrayList<>();
                    for (int i = 0; i < tableKeys.size(); i += KEY_BATCH) {
                        batches.add(tableKeys.subList(i, Math.min(tableKeys.size(), i + KEY_BATCH)));
                    }
                    // every changed row of the table out first, then in: a unique value that moved from one key to
                    // another in different batches must not meet itself
                    long deleted = 0;
                    for (List<String> batch : batches) {
                        deleted += TenantCopy.deleteKeys(tgt, to, p, tenant, batch);
                    }
                    long inserted = 0;
                    for (List<String> batch : batches) {
                        inserted += TenantCopy.streamKeys(out, in, from, to, p, tenant, batch);
                    }
                    for (List<String> batch : batches) {
                        TenantCopy.Check s = TenantCopy.checkKeys(src, from, p.source(), tenant, batch);
                        TenantCopy.Check t = TenantCopy.checkKeys(tgt, to, p.target(), tenant, batch);
                        if (!s.equals(t)) {
                            throw new IsolationException("Catching up the move of tenant '" + tenant + "' failed to"
                                    + " verify " + batch.size() + " changed rows of " + p.source().name() + " (source "
                                    + s + ", target " + t + "). Nothing was switched; call move again to retry, or"
                                    + " cancelMove.");
                        }
                    }
                    rows.merge(p.source().name(), inserted - deleted, Long::sum);
                    keys += tableKeys.size();
                }
            }
            tgt.commit();
            src.commit();
        } catch (SQLException e) {
            rollbackQuietly(tgt, e);
            rollbackQuietly(src, e);
            if ("23505".equals(e.getSQLState())) {
                // the target's unique constraints refused the replaced rows (a value several keys passed between):
                // nothing of this pass was kept; the whole comparison sorts it out
                LoggerHolder.LOG.info("A catch-up pass of tenant {}'s move hit a unique constraint ({}); the freeze"
                        + " compares the whole tenant", tenant, e.getMessage());
                return Optional.empty();
            }
            throw e;
        } catch (RuntimeException e) {
            rollbackQuietly(tgt, e);
            rollbackQuietly(src, e);
            throw e;
        } finally {
            src.setAutoCommit(sourceAuto);
            tgt.setAutoCommit(targetAuto);
            src.setTransactionIsolation(sourceIsolation);
        }
        Mark next = new Mark(snapshot, mark.fingerprint(), rows);
        record(src, tenant, next);
        return Optional.of(new Pass(next, keys));
    }

    /**
     * Waits, at most {@code millis}, until every transaction that was running at the mark's snapshot has ended (the
     * keys such a transaction logged are invisible to the pass at that snapshot: the sessions a freeze ends are the
     * tenant's own, not an administrator's or a prepared transaction). A pass after it reads what they wrote.
     *
     * @return whether they all ended in time
     */
    public static boolean settle(Connection src, Mark mark, long millis) throws SQLException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            try (PreparedStatement ps = src.prepareStatement("SELECT count(*) FROM pg_snapshot_xip(?::pg_snapshot) x"
                    + " WHERE pg_xact_status(x) = 'in progress'"
                    + " AND x IS DISTINCT FROM pg_current_xact_id_if_assigned()")) {
                ps.setString(1, mark.snapshot());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return true;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Removes the tenant's capture: its log, mark and captured tables at once; then a table's triggers when no other
     * tenant's move captures it, each table in a transaction of its own that waits at most {@value #DROP_TIMEOUT} for
     * the table's lock ({@code DROP TRIGGER} locks out readers too), tried a few times; a trigger not dropped is left
     * inert (no tenant of its table is captured) and goes with the next removal. The event trigger goes when nothing is
     * captured any more. Idempotent; nothing when not installed.
     */
    public static void remove(Connection src, String tenant) throws SQLException {
        if (!installed(src)) {
            return;
        }
        inTransaction(src, () -> {
            lock(src);
            deleteEntries(src, tenant); // before its tables are forgotten
            deleteWhere(src, "DELETE FROM geo_move.captured WHERE tenant = ?", tenant);
            deleteWhere(src, "DELETE FROM geo_move.mark WHERE tenant = ?", tenant);
            pruneOthers(src);
        });
        // tables with a capture trigger that no move captures any more (this tenant's, or left by an earlier removal)
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = src.prepareStatement("SELECT DISTINCT t.tgrelid::regclass::text FROM pg_trigger t"
                + " WHERE t.tgname IN " + TRIGGERS + " AND NOT EXISTS (SELECT 1 FROM"
                + " geo_move.captured c WHERE c.relid = t.tgrelid)"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        for (String table : tables) {
            dropTriggers(src, table, tenant);
        }
        inTransaction(src, () -> {
            lock(src);
            try (PreparedStatement ps = src.prepareStatement("SELECT 1 FROM geo_move.captured LIMIT 1");
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    Sql.execute(src, "DROP EVENT TRIGGER IF EXISTS geo_move_ddl");
                }
            }
        });
    }

    private static void dropTriggers(Connection src, String table, String tenant) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                inTransaction(src, () -> {
                    lock(src);
                    Sql.execute(src, "SET LOCAL lock_timeout = '" + DROP_TIMEOUT + "'");
                    Sql.execute(src, "INSERT INTO geo_move.installing VALUES (pg_backend_pid()) ON CONFLICT DO NOTHING");
                    try (PreparedStatement ps = src.prepareStatement("SELECT 1 FROM geo_move.captured"
                            + " WHERE relid = ?::regclass LIMIT 1")) {
                        ps.setString(1, table);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                // another move captures it since; the guard row must not outlive this transaction
                                Sql.execute(src, "DELETE FROM geo_move.installing WHERE pid = pg_backend_pid()");
                                return;
                            }
                        }
                    }
                    Sql.execute(src, "DROP TRIGGER IF EXISTS " + TRIGGER + " ON " + table);
                    Sql.execute(src, "DROP TRIGGER IF EXISTS " + TRUNCATE_TRIGGER + " ON " + table);
                    Sql.execute(src, "DELETE FROM geo_move.installing WHERE pid = pg_backend_pid()");
                });
                return;
            } catch (SQLException e) {
                if (!"55P03".equals(e.getSQLState()) && !"40P01".equals(e.getSQLState())) {
                    throw e;
                }
                if (attempt >= DROP_ATTEMPTS) {
                    LoggerHolder.LOG.info("The capture triggers of {} stay for now (inert: no move captures it; its lock"
                            + " was not granted in {} attempts, after tenant {}'s move)", table, DROP_ATTEMPTS, tenant);
                    return;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Serializes installing and removing capture in one database (moves of several tenants), to the transaction's end. */
    private static void lock(Connection src) throws SQLException {
        try (PreparedStatement ps = src.prepareStatement("SELECT pg_advisory_xact_lock(" + AdminLocks.key(src) + ")")) {
            ps.setString(1, LOCK);
            ps.execute();
        }
    }

    private static void deleteWhere(Connection c, String sql, String tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, tenant);
            ps.executeUpdate();
        }
    }

    private interface Work {
        void run() throws SQLException;
    }

    private static void inTransaction(Connection c, Work work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** A JSON array of the unquoted names of quoted identifiers. */
    private static String json(List<String> quoted) {
        List<String> names = new ArrayList<>();
        for (String q : quoted) {
            String name = q.startsWith("\"") ? q.substring(1, q.length() - 1).replace("\"\"", "\"") : q;
            names.add("\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return "[" + String.join(",", names) + "]";
    }

    private static final class LoggerHolder {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChangeCapture.class);
    }
}
