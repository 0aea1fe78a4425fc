package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.isolation.migration.Migration;
import java.util.List;

/**
 * The tables replicated listings land in, in each tenant's own database space, and the SQL that makes them.
 *
 * <ul>
 *   <li>{@value #LISTINGS}: one row per feed and {@code ListingKey} (a removed listing stays as a tombstone with
 *       {@code removed = true}, so that an older record replayed later cannot bring it back);</li>
 *   <li>{@value #QUARANTINE}: records that failed validation, with the reason and the record as received (once per
 *       distinct record: a replayed batch adds nothing).</li>
 * </ul>
 *
 * <p>For {@code BASIC} tenants the tables are shared, with a {@code tenant_id} column: run {@link #sharedSql()} as the
 * endpoint's administrator, then protect both tables ({@code TenantDataSource.Builder.protectTable}). For
 * {@code ENHANCED}, {@code MAXIMUM} and {@code REGULATORY} tenants add {@link #migration(int)} to the data source's
 * {@code SchemaMigrations}: each tenant's schema or database gets its own tables, without {@code tenant_id}.
 */
public final class ListingTables {
    /** The listings table. */
    public static final String LISTINGS = "mls_listing";
    /** The quarantine table. */
    public static final String QUARANTINE = "mls_quarantine";
    /** Both tables, to protect. */
    public static final List<String> TABLES = List.of(LISTINGS, QUARANTINE);

    private static final String LISTING_COLUMNS = "feed_id text NOT NULL, listing_key text NOT NULL,"
            + " listing_id text, standard_status text NOT NULL, modification_timestamp timestamptz NOT NULL,"
            + " removed boolean NOT NULL DEFAULT false, property_type text, property_sub_type text,"
            + " list_price numeric(16,2), currency char(3), bedrooms_total integer, bathrooms_total_integer integer,"
            + " living_area numeric(14,2), living_area_units text, lot_size_area numeric(16,4), lot_size_units text,"
            + " unparsed_address text, city text, state_or_province text, postal_code text, country text,"
            + " latitude double precision, longitude double precision, media jsonb,"
            + " replicated_at timestamptz NOT NULL DEFAULT now()";
    private static final String QUARANTINE_COLUMNS = "feed_id text NOT NULL, record_digest text NOT NULL,"
            + " listing_key text, reason text NOT NULL, source text NOT NULL,"
            + " quarantined_at timestamptz NOT NULL DEFAULT now()";

    private ListingTables() {
    }

    /** The shared tables of BASIC tenants (in the endpoint's {@code public} schema), each keyed with its tenant. */
    public static String sharedSql() {
        return "CREATE TABLE IF NOT EXISTS " + LISTINGS + " (tenant_id text NOT NULL, " + LISTING_COLUMNS
                + ", PRIMARY KEY (tenant_id, feed_id, listing_key));"
                + " CREATE INDEX IF NOT EXISTS " + LISTINGS + "_modified_idx ON " + LISTINGS
                + " (tenant_id, feed_id, modification_timestamp);"
                + " CREATE TABLE IF NOT EXISTS " + QUARANTINE + " (tenant_id text NOT NULL, " + QUARANTINE_COLUMNS
                + ", PRIMARY KEY (tenant_id, feed_id, record_digest))";
    }

    /** The tables of one tenant's own schema or database, as a migration of this version. */
    public static Migration migration(int version) {
        return new Migration(version, "mls listings and quarantine",
                "CREATE TABLE " + LISTINGS + " (" + LISTING_COLUMNS + ", PRIMARY KEY (feed_id, listing_key));"
                        + " CREATE INDEX " + LISTINGS + "_modified_idx ON " + LISTINGS
                        + " (feed_id, modification_timestamp);"
                        + " CREATE TABLE " + QUARANTINE + " (" + QUARANTINE_COLUMNS
                        + ", PRIMARY KEY (feed_id, record_digest))");
    }
}
