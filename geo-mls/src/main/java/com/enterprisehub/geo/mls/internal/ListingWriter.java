package com.enterprisehub.geo.mls.internal;

import com.enterprisehub.geo.mls.ListingTables;
import com.enterprisehub.geo.spi.crypto.Digests;
import com.enterprisehub.geo.spi.listing.Area;
import com.enterprisehub.geo.spi.listing.Listing;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import com.enterprisehub.geo.spi.listing.MediaReference;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
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
    private static final String UPSERT = "INSERT INTO " + T + " AS t (feed_id, listing_key, listing_id,"
            + " standard_status, modification_timestamp, removed, property_type, property_sub_type, list_price, currency,"
            + " bedrooms_total, bathrooms_total_integer, living_area, living_area_units, lot_size_area, lot_size_units,"
            + " unparsed_address, city, state_or_province, postal_code, country, latitude, longitude, media,"
            + " replicated_at) VALUES (?, ?, ?, ?, ?, false, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?::jsonb, now()) ON CONFLICT ON CONSTRAINT " + T + "_pkey DO UPDATE SET"
            + " listing_id = EXCLUDED.listing_id, standard_status = EXCLUDED.standard_status,"
            + " modification_timestamp = EXCLUDED.modification_timestamp, removed = false,"
            + " property_type = EXCLUDED.property_type, property_sub_type = EXCLUDED.property_sub_type,"
            + " list_price = EXCLUDED.list_price, currency = EXCLUDED.currency,"
            + " bedrooms_total = EXCLUDED.bedrooms_total, bathrooms_total_integer = EXCLUDED.bathrooms_total_integer,"
            + " living_area = EXCLUDED.living_area, living_area_units = EXCLUDED.living_area_units,"
            + " lot_size_area = EXCLUDED.lot_size_area, lot_size_units = EXCLUDED.lot_size_units,"
            + " unparsed_address = EXCLUDED.unparsed_address, city = EXCLUDED.city,"
            + " state_or_province = EXCLUDED.state_or_province, postal_code = EXCLUDED.postal_code,"
            + " country = EXCLUDED.country, latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,"
            + " media = EXCLUDED.media, replicated_at = now()"
            + " WHERE t.modification_timestamp <= EXCLUDED.modification_timestamp";
    private static final String REMOVE = "INSERT INTO " + T + " AS t (feed_id, listing_key, standard_status,"
            + " modification_timestamp, removed, replicated_at) VALUES (?, ?, ?, ?, true, now())"
            + " ON CONFLICT ON CONSTRAINT " + T + "_pkey DO UPDATE SET standard_status = EXCLUDED.standard_status,"
            + " modification_timestamp = EXCLUDED.modification_timestamp, removed = true, replicated_at = now()"
            + " WHERE t.modification_timestamp <= EXCLUDED.modification_timestamp";
    private static final String QUARANTINE = "INSERT INTO " + ListingTables.QUARANTINE + " (feed_id, record_digest,"
            + " listing_key, reason, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT ON CONSTRAINT "
            + ListingTables.QUARANTINE + "_pkey DO NOTHING";

    /** What a batch did. */
    public record Counts(int stored, int removed, int quarantined) {
    }

    /**
     * Writes {@code records} of feed {@code feedId} for the tenant bound now, in one transaction.
     *
     * @throws SQLException if the database refuses (nothing of the batch is written)
     */
    public Counts write(DataSource dataSource, String feedId, List<ListingRecord> records) throws SQLException {
        int stored = 0;
        int removed = 0;
        int quarantined = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement upsert = c.prepareStatement(UPSERT);
                    PreparedStatement remove = c.prepareStatement(REMOVE);
                    PreparedStatement quarantine = c.prepareStatement(QUARANTINE)) {
                for (ListingRecord r : records) {
                    if (r instanceof ListingRecord.Upsert u) {
                        bind(upsert, feedId, u.listing());
                        upsert.addBatch();
                        stored++;
                    } else if (r instanceof ListingRecord.Removal x) {
                        remove.setString(1, feedId);
                        remove.setString(2, x.listingKey());
                        remove.setString(3, x.status().resoName());
                        remove.setTimestamp(4, Timestamp.from(x.modificationTimestamp()));
                        remove.addBatch();
                        removed++;
                    } else if (r instanceof ListingRecord.Rejected q) {
                        quarantine.setString(1, feedId);
                        quarantine.setString(2, Digests.sha256Hex((q.reason() + "\n" + q.source())
                                .getBytes(StandardCharsets.UTF_8)));
                        quarantine.setString(3, q.key().orElse(null));
                        quarantine.setString(4, clean(q.reason()));
                        quarantine.setString(5, clean(q.source()));
                        quarantine.addBatch();
                        quarantined++;
                    }
                }
                if (stored > 0) {
                    upsert.executeBatch();
                }
                if (removed > 0) {
                    remove.executeBatch();
                }
                if (quarantined > 0) {
                    quarantine.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return new Counts(stored, removed, quarantined);
    }

    private static void bind(PreparedStatement ps, String feedId, Listing l) throws SQLException {
        ps.setString(1, feedId);
        ps.setString(2, l.listingKey());
        text(ps, 3, l.listingId());
        ps.setString(4, l.standardStatus().resoName());
        ps.setTimestamp(5, Timestamp.from(l.modificationTimestamp()));
        text(ps, 6, l.propertyType());
        text(ps, 7, l.propertySubType());
        ps.setBigDecimal(8, l.listPrice().orElse(null));
        ps.setString(9, l.currency().getCurrencyCode());
        integer(ps, 10, l.bedroomsTotal());
        integer(ps, 11, l.bathroomsTotalInteger());
        area(ps, 12, l.livingArea());
        area(ps, 14, l.lotSize());
        text(ps, 16, l.address().unparsedAddress());
        text(ps, 17, l.address().city());
        text(ps, 18, l.address().stateOrProvince());
        text(ps, 19, l.address().postalCode());
        text(ps, 20, l.address().country());
        if (l.location().isPresent()) {
            ps.setDouble(21, l.location().get().latitude());
            ps.setDouble(22, l.location().get().longitude());
        } else {
            ps.setNull(21, Types.DOUBLE);
            ps.setNull(22, Types.DOUBLE);
        }
        ps.setString(23, l.media().isEmpty() ? null : mediaJson(l.media()));
    }

    private static void text(PreparedStatement ps, int i, Optional<String> value) throws SQLException {
        ps.setString(i, value.map(ListingWriter::clean).orElse(null));
    }

    private static void integer(PreparedStatement ps, int i, OptionalInt value) throws SQLException {
        if (value.isPresent()) {
            ps.setInt(i, value.getAsInt());
        } else {
            ps.setNull(i, Types.INTEGER);
        }
    }

    private static void area(PreparedStatement ps, int i, Optional<Area> value) throws SQLException {
        ps.setBigDecimal(i, value.map(Area::value).orElse(null));
        ps.setString(i + 1, value.map(a -> a.units().resoName()).orElse(null));
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
