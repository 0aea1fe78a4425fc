package com.enterprisehub.geo.mls.internal;

import com.enterprisehub.geo.mls.ListingTables;
import com.enterprisehub.geo.spi.crypto.Digests;
import com.enterprisehub.geo.spi.listing.Listing;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import com.enterprisehub.geo.spi.listing.MediaReference;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;

/**
 * Writes a batch of records into the bound tenant's {@link ListingTables} in one transaction: upserts keyed by feed and
 * {@code ListingKey} that never replace a newer {@code ModificationTimestamp} (so replaying a batch changes nothing),
 * tombstones for removals, and quarantine rows (once per distinct record). The connection comes from the data source
 * under the caller's {@code TenantContext}; the SQL never names a tenant, so the rows are the bound tenant's (BASIC:
 * {@code tenant_id} defaults to the bound tenant and row-level security refuses any other). The same SQL serves every
 * level: the conflict target is the primary key constraint, whatever its columns. Thread-safe (stateless).
 */
public final class ListingWriter {
    private static final String T = ListingTables.LISTINGS;
    /** The listing columns after feed_id, in the order of the arrays bound to {@link #UPSERT}, with their types. */
    private static final String[][] COLUMNS = {{"listing_key", "text"}, {"listing_id", "text"},
            {"standard_status", "text"}, {"modification_timestamp", "timestamptz"}, {"property_type", "text"},
            {"property_sub_type", "text"}, {"list_price", "numeric"}, {"currency", "text"},
            {"bedrooms_total", "integer"}, {"bathrooms_total_integer", "integer"}, {"living_area", "numeric"},
            {"living_area_units", "text"}, {"lot_size_area", "numeric"}, {"lot_size_units", "text"},
            {"unparsed_address", "text"}, {"city", "text"}, {"state_or_province", "text"}, {"postal_code", "text"},
            {"country", "text"}, {"latitude", "double precision"}, {"longitude", "double precision"},
            {"media", "jsonb"}};
    /**
     * One statement per batch: the batch's values as one text array per column, unnested. Far cheaper than a
     * statement per row (one plan, one executor start), and the rows of one statement must have distinct keys, which
     * {@link #latestPerKey} ensures.
     */
    private static final String UPSERT = upsertSql();
    private static final String REMOVE = "INSERT INTO " + T + " AS t (feed_id, listing_key, standard_status,"
            + " modification_timestamp, removed, replicated_at) SELECT ?, k, s, m::timestamptz, true, now()"
            + " FROM unnest(?::text[], ?::text[], ?::text[]) AS u(k, s, m)"
            + " ON CONFLICT ON CONSTRAINT " + T + "_pkey DO UPDATE SET standard_status = EXCLUDED.standard_status,"
            + " modification_timestamp = EXCLUDED.modification_timestamp, removed = true, replicated_at = now()"
            + " WHERE t.modification_timestamp < EXCLUDED.modification_timestamp"
            + " OR (t.modification_timestamp = EXCLUDED.modification_timestamp AND (NOT t.removed"
            + " OR t.standard_status IS DISTINCT FROM EXCLUDED.standard_status))";

    private static String upsertSql() {
        StringBuilder names = new StringBuilder();
        StringBuilder values = new StringBuilder();
        StringBuilder arrays = new StringBuilder();
        StringBuilder aliases = new StringBuilder();
        StringBuilder updates = new StringBuilder();
        StringBuilder stored = new StringBuilder();
        StringBuilder incoming = new StringBuilder();
        for (int i = 0; i < COLUMNS.length; i++) {
            String sep = i == 0 ? "" : ", ";
            names.append(", ").append(COLUMNS[i][0]);
            values.append(", c").append(i).append("::").append(COLUMNS[i][1]);
            arrays.append(sep).append("?::text[]");
            aliases.append(sep).append('c').append(i);
            if (i > 0) {
                updates.append(COLUMNS[i][0]).append(" = EXCLUDED.").append(COLUMNS[i][0]).append(", ");
                stored.append(i > 1 ? ", " : "").append("t.").append(COLUMNS[i][0]);
                incoming.append(i > 1 ? ", " : "").append("EXCLUDED.").append(COLUMNS[i][0]);
            }
        }
        return "INSERT INTO " + T + " AS t (feed_id" + names + ", removed, replicated_at) SELECT ?" + values
                + ", false, now() FROM unnest(" + arrays + ") AS u(" + aliases + ") ON CONFLICT ON CONSTRAINT " + T
                + "_pkey DO UPDATE SET " + updates + "removed = false, replicated_at = now()"
                // a removal wins a tie: an upsert with the removal's own timestamp does not bring the listing back
                + " WHERE t.modification_timestamp < EXCLUDED.modification_timestamp"
                + " OR (t.modification_timestamp = EXCLUDED.modification_timestamp AND NOT t.removed"
                // the same record read again (an overlap window, a replayed batch) writes nothing and is not counted
                + " AND (" + stored + ") IS DISTINCT FROM (" + incoming + "))";
    }

    private static final String QUARANTINE = "INSERT INTO " + ListingTables.QUARANTINE + " (feed_id, record_digest,"
            + " listing_key, reason, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT ON CONSTRAINT "
            + ListingTables.QUARANTINE + "_pkey DO NOTHING";

    /** What a batch did: rows stored and removed (records skipped as older than the stored row not counted). */
    public record Counts(int stored, int removed, int quarantined) {
    }

    /**
     * Writes {@code records} of feed {@code feedId} for the tenant bound now, in one transaction. When the database
     * refuses a value (SQLSTATE class 22, data exception: a value Listing accepted but a column cannot hold), the
     * batch is split and written in halves until the offending record is alone; that record is quarantined with the
     * database's reason and the others are stored (then in several transactions: writing a record again changes
     * nothing, so a crash between them loses and duplicates nothing).
     *
     * @throws SQLException if the database refuses otherwise (nothing of that transaction is written)
     */
    public Counts write(DataSource dataSource, String feedId, List<ListingRecord> records) throws SQLException {
        List<ListingRecord> latest = latestPerKey(records);
        try {
            return writeOnce(dataSource, feedId, latest);
        } catch (SQLException e) {
            Optional<SQLException> data = dataException(e);
            if (data.isEmpty() || latest.isEmpty()) {
                throw e;
            }
            if (latest.size() == 1) {
                ListingRecord r = latest.get(0);
                if (r instanceof ListingRecord.Rejected) {
                    throw e; // the quarantine itself refused it: nothing smaller to set aside
                }
                String message = String.valueOf(data.get().getMessage());
                ListingRecord.Rejected q = new ListingRecord.Rejected(r.key(), "The database refused a value of this"
                        + " record (SQLSTATE " + data.get().getSQLState() + ": "
                        + message.substring(0, Math.min(300, message.length())) + ").", r.toString());
                return writeOnce(dataSource, feedId, List.of(q));
            }
            int half = latest.size() / 2;
            Counts first = write(dataSource, feedId, latest.subList(0, half));
            Counts second = write(dataSource, feedId, latest.subList(half, latest.size()));
            return new Counts(first.stored() + second.stored(), first.removed() + second.removed(),
                    first.quarantined() + second.quarantined());
        }
    }

    /** The data exception (SQLSTATE class 22) in {@code e} or its chain of next exceptions, if any. */
    private static Optional<SQLException> dataException(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x.getSQLState() != null && x.getSQLState().startsWith("22")) {
                return Optional.of(x);
            }
        }
        return Optional.empty();
    }

    private Counts writeOnce(DataSource dataSource, String feedId, List<ListingRecord> latest) throws SQLException {
        List<Listing> upserts = new ArrayList<>();
        List<ListingRecord.Removal> removals = new ArrayList<>();
        List<ListingRecord.Rejected> rejected = new ArrayList<>();
        for (ListingRecord r : latest) {
            if (r instanceof ListingRecord.Upsert u) {
                upserts.add(u.listing());
            } else if (r instanceof ListingRecord.Removal x) {
                removals.add(x);
            } else if (r instanceof ListingRecord.Rejected q) {
                rejected.add(q);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Exception failure = null;
            int stored = 0;
            int removed = 0;
            try {
                if (!upserts.isEmpty()) {
                    stored = upsert(c, feedId, upserts);
                }
                if (!removals.isEmpty()) {
                    removed = remove(c, feedId, removals);
                }
                if (!rejected.isEmpty()) {
                    quarantine(c, feedId, rejected);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                failure = e;
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException x) {
                    if (failure == null) {
                        throw x;
                    }
                    failure.addSuppressed(x); // the original failure is what the caller must see
                }
            }
            return new Counts(stored, removed, rejected.size());
        }
    }

    /**
     * The records with one per key: the latest by {@code ModificationTimestamp}, the later in the batch on a tie
     * except that a removal beats an upsert with the same timestamp (as the table's rule does); rejected records all
     * stay.
     */
    static List<ListingRecord> latestPerKey(List<ListingRecord> records) {
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ListingRecord r = records.get(i);
            if (r instanceof ListingRecord.Rejected) {
                continue;
            }
            String key = r.key().orElseThrow();
            Integer before = last.get(key);
            int order = before == null ? 1 : timestamp(r).compareTo(timestamp(records.get(before)));
            boolean tieLostToRemoval = order == 0 && records.get(before) instanceof ListingRecord.Removal
                    && r instanceof ListingRecord.Upsert;
            if (order > 0 || order == 0 && !tieLostToRemoval) {
                last.put(key, i);
            }
        }
        if (last.size() == records.size()) {
            return records;
        }
        List<ListingRecord> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ListingRecord r = records.get(i);
            if (r instanceof ListingRecord.Rejected || last.get(r.key().orElseThrow()) == i) {
                out.add(r);
            }
        }
        return out;
    }

    private static Instant timestamp(ListingRecord r) {
        if (r instanceof ListingRecord.Upsert u) {
            return u.listing().modificationTimestamp();
        }
        return ((ListingRecord.Removal) r).modificationTimestamp();
    }

    /**
     * Returns the rows written: upserts skipped as older than the stored row, or as the very record already stored
     * (same timestamp, same values), are not.
     */
    private static int upsert(Connection c, String feedId, List<Listing> listings) throws SQLException {
        int n = listings.size();
        String[][] columns = new String[COLUMNS.length][n];
        for (int row = 0; row < n; row++) {
            Listing l = listings.get(row);
            String[] v = {l.listingKey(), opt(l.listingId()), l.standardStatus().resoName(),
                    l.modificationTimestamp().toString(), opt(l.propertyType()), opt(l.propertySubType()),
                    l.listPrice().map(BigDecimal::toPlainString).orElse(null), l.currency().getCurrencyCode(),
                    integer(l.bedroomsTotal()), integer(l.bathroomsTotalInteger()),
                    l.livingArea().map(a -> a.value().toPlainString()).orElse(null),
                    l.livingArea().map(a -> a.units().resoName()).orElse(null),
                    l.lotSize().map(a -> a.value().toPlainString()).orElse(null),
                    l.lotSize().map(a -> a.units().resoName()).orElse(null), opt(l.address().unparsedAddress()),
                    opt(l.address().city()), opt(l.address().stateOrProvince()), opt(l.address().postalCode()),
                    opt(l.address().country()), l.location().map(p -> Double.toString(p.latitude())).orElse(null),
                    l.location().map(p -> Double.toString(p.longitude())).orElse(null),
                    l.media().isEmpty() ? null : mediaJson(l.media())};
            for (int col = 0; col < v.length; col++) {
                columns[col][row] = v[col];
            }
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, feedId);
            for (int col = 0; col < COLUMNS.length; col++) {
                Array array = c.createArrayOf("text", columns[col]);
                ps.setArray(col + 2, array);
            }
            return ps.executeUpdate();
        }
    }

    private static int remove(Connection c, String feedId, List<ListingRecord.Removal> removals)
            throws SQLException {
        int n = removals.size();
        String[] keys = new String[n];
        String[] statuses = new String[n];
        String[] times = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = removals.get(i).listingKey();
            statuses[i] = removals.get(i).status().resoName();
            times[i] = removals.get(i).modificationTimestamp().toString();
        }
        try (PreparedStatement ps = c.prepareStatement(REMOVE)) {
            ps.setString(1, feedId);
            ps.setArray(2, c.createArrayOf("text", keys));
            ps.setArray(3, c.createArrayOf("text", statuses));
            ps.setArray(4, c.createArrayOf("text", times));
            return ps.executeUpdate();
        }
    }

    private static void quarantine(Connection c, String feedId, List<ListingRecord.Rejected> rejected)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(QUARANTINE)) {
            for (ListingRecord.Rejected q : rejected) {
                ps.setString(1, feedId);
                ps.setString(2, Digests.sha256Hex((q.reason() + "\n" + q.source()).getBytes(StandardCharsets.UTF_8)));
                ps.setString(3, q.key().orElse(null));
                ps.setString(4, clean(q.reason()));
                ps.setString(5, clean(q.source()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String opt(Optional<String> value) {
        return value.map(ListingWriter::clean).orElse(null);
    }

    private static String integer(OptionalInt value) {
        return value.isPresent() ? Integer.toString(value.getAsInt()) : null;
    }

    /** PostgreSQL text cannot hold NUL. */
    private static String clean(String s) {
        return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    static String mediaJson(List<MediaReference> media) {
        StringBuilder json = new StringBuilder("[");
        for (MediaReference m : media) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"MediaKey\":").append(quote(m.mediaKey())).append(",\"MediaURL\":")
                    .append(quote(m.mediaUrl().toString())).append(",\"Order\":").append(m.order()).append('}');
        }
        return json.append(']').toString();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch == 0) {
                        b.append('\uFFFD'); // jsonb refuses \u0000
                    } else if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
