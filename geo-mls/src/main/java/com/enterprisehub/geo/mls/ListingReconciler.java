package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantLookup;
import com.enterprisehub.geo.mls.internal.KeyHashes;
import com.enterprisehub.geo.mls.internal.TimestampedKeys;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the listings a source dropped without ever sending a removal (a RESO server that purges a record, or a record
 * that left the feed's filter): an incremental pull by {@code ModificationTimestamp} never sees them. Run it
 * periodically (daily, say) next to the {@link ListingReplicator}:
 * <ol>
 *   <li>note the time on the tenant's database;</li>
 *   <li>read every key the source holds, keys only ({@link ListingFeed#sourceKeys}: RESO {@code $select=ListingKey},
 *       paged), kept as 64-bit hashes (8 bytes a key: a million keys take 8 MB);</li>
 *   <li>compare the feed's listings in the tenant's table that are not removed and were replicated before step 1 (a
 *       listing replicated meanwhile may be newer than the key listing);</li>
 *   <li>if no more than {@link Builder#maxWithdrawnFraction} of them are missing at the source, mark those removed
 *       (tombstones that keep the row, its status and its timestamp: never a hard delete); else change nothing and
 *       report the refusal: a broken feed answering with few or no keys must not wipe a market's listings.</li>
 * </ol>
 * The run also counts the source's keys that have no row at all ({@link ReconciliationResult#unseen()}): listings the
 * incremental pulls missed (a record committed late beyond the overlap window), reported with a WARN so that the
 * host replicates the feed again from its start. When the feed lists each key with its {@code ModificationTimestamp}
 * (geo-mls's RESO Web API feed does: {@code $select=ListingKey,ModificationTimestamp}; 16 bytes a key then), it also
 * counts the stored listings the source holds with a newer timestamp that is older than the newest one stored minus
 * the feed's overlap ({@link ReconciliationResult#changed()}; a later one is fetched by the next increment): changes
 * the increments passed without delivering; a WARN says to
 * replicate again from the start. Neither is fetched by the reconciler itself. A withdrawn listing comes back when the source sends it with a newer {@code ModificationTimestamp}. Two different
 * keys whose hashes collide (about n&middot;m/2<sup>64</sup>) would keep a dropped listing, never withdraw a present one.
 *
 * <p>Tenancy as in {@link ListingReplicator}: the feed's tenant is bound for every statement. Thread-safe.
 */
public final class ListingReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(ListingReconciler.class);
    private static final int SAMPLE = 20;
    private static final int UPDATE_CHUNK = 1_000;

    private final DataSource listings;
    private final TenantLookup tenants;
    private final double maxWithdrawnFraction;
    private final int pageSize;

    private ListingReconciler(Builder b) {
        this.listings = b.listings;
        this.tenants = b.tenants;
        this.maxWithdrawnFraction = b.maxWithdrawnFraction;
        this.pageSize = b.pageSize;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Compares {@code feed}'s source keys with the tenant's listings and withdraws the missing ones, within the bound.
     *
     * @return what was found and done; {@link ReconciliationResult#refused()} when over the bound
     * @throws ListingFeedException if the feed cannot list its keys, or the source or the database fails (nothing was
     *     withdrawn: a key listing that did not reach its end is never acted on)
     * @throws UnknownTenantException if the feed's tenant does not exist
     * @throws GeoException if another tenant is bound on this thread, or the tenant does not serve now
     */
    public ReconciliationResult reconcile(ListingFeed feed) {
        Objects.requireNonNull(feed, "feed");
        FeedSubscription subscription = Objects.requireNonNull(feed.subscription(), "feed.subscription()");
        Tenant tenant = tenants.find(subscription.tenant())
                .orElseThrow(() -> new UnknownTenantException(subscription.tenant())).requireActive();
        Optional<Tenant> bound = TenantContext.current();
        if (bound.isPresent() && !bound.get().id().equals(tenant.id())) {
            throw new GeoException("Feed '" + subscription.feedId() + "' belongs to tenant '" + tenant.id()
                    + "' but tenant '" + bound.get().id() + "' is bound on this thread; nothing was reconciled.");
        }
        String feedId = subscription.feedId();
        try (TenantContext.Scope scope = TenantContext.open(tenant)) {
            Timestamp startedAt = databaseTime(feedId, tenant);
            KeyHashes source = new KeyHashes();
            boolean stamped = feed instanceof TimestampedKeys;
            boolean listed = stamped ? ((TimestampedKeys) feed).sourceKeysWithTimestamps(pageSize, (keys, stamps) -> {
                for (int i = 0; i < keys.size(); i++) {
                    source.add(keys.get(i), stamps.get(i).map(ListingReconciler::micros).orElse(KeyHashes.NO_STAMP));
                }
            }) : feed.sourceKeys(pageSize, page -> page.forEach(source::add));
            if (!listed) {
                throw new ListingFeedException("Feed '" + feedId + "' (" + feed.getClass().getSimpleName() + ") cannot"
                        + " list its source's keys, so it cannot be reconciled; nothing was changed.");
            }
            source.seal();
            return compareAndWithdraw(feedId, tenant, startedAt, source, stamped,
                    stamped ? micros(((TimestampedKeys) feed).overlap()) : 0);
        } catch (SQLException e) {
            throw new ListingFeedException("Could not reconcile feed '" + feedId + "' of tenant '" + tenant.id()
                    + "' (SQLSTATE " + e.getSQLState() + ": " + e.getMessage() + "); nothing was withdrawn that was not"
                    + " committed. Check the tenant's listing tables and run again.", e);
        }
    }

    private Timestamp databaseTime(String feedId, Tenant tenant) throws SQLException {
        try (Connection c = listings.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT clock_timestamp()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    /** Microseconds of {@code d}, saturated at a day (overlaps are at most a day). */
    private static long micros(java.time.Duration d) {
        return Math.min(d.toMillis(), java.time.Duration.ofDays(1).toMillis()) * 1_000L;
    }

    /** Microseconds since the epoch, truncated (PostgreSQL's {@code timestamptz} keeps microseconds). */
    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    private ReconciliationResult compareAndWithdraw(String feedId, Tenant tenant, Timestamp startedAt,
            KeyHashes source, boolean stamped, long overlapMicros) throws SQLException {
        long local;
        long missingCount = 0;
        List<String> missing = new ArrayList<>();
        long changedCount = 0;
        List<String> changed = new ArrayList<>();
        long allowed;
        try (Connection c = listings.getConnection()) {
            c.setAutoCommit(false);
            try {
                long newest;
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE NOT removed AND"
                        + " replicated_at < ?), max(modification_timestamp) FROM " + ListingTables.LISTINGS
                        + " WHERE feed_id = ?")) {
                    ps.setTimestamp(1, startedAt);
                    ps.setString(2, feedId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        local = rs.getLong(1);
                        OffsetDateTime max = rs.getObject(2, OffsetDateTime.class);
                        newest = max == null ? Long.MIN_VALUE : micros(max.toInstant());
                    }
                }
                allowed = (long) Math.floor(local * maxWithdrawnFraction);
                // Every row of the feed is read, to count the source's keys that have none (never replicated) and
                // the rows older than the source's record; only the rows not removed and replicated before the start
                // are candidates for withdrawal.
                try (PreparedStatement ps = c.prepareStatement("SELECT listing_key, NOT removed AND replicated_at < ?,"
                        + " modification_timestamp FROM " + ListingTables.LISTINGS + " WHERE feed_id = ?")) {
                    ps.setFetchSize(5_000);
                    ps.setTimestamp(1, startedAt);
                    ps.setString(2, feedId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String key = rs.getString(1);
                            int at = source.indexOf(key);
                            if (at < 0) {
                                if (rs.getBoolean(2)) {
                                    missingCount++;
                                    if (missing.size() <= allowed) {
                                        missing.add(key); // one past the bound at most: enough to know it is passed
                                    }
                                }
                                continue;
                            }
                            long theirs = source.stamp(at);
                            // Newer at the source, yet older than where the next increment starts (the newest
                            // stored minus the overlap it reads again): missed. Anything later, the newest timestamp
                            // itself included (a later key), is fetched by the next increment: not counted.
                            if (theirs != KeyHashes.NO_STAMP && newest != Long.MIN_VALUE
                                    && theirs < newest - overlapMicros
                                    && theirs > micros(rs.getObject(3, OffsetDateTime.class).toInstant())) {
                                changedCount++;
                                if (changed.size() < SAMPLE) {
                                    changed.add(key);
                                }
                            }
                        }
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
        }
        // No usable timestamp from the source: nothing was compared, which is not "nothing changed".
        OptionalLong changes = stamped && source.hasStamps() ? OptionalLong.of(changedCount) : OptionalLong.empty();
        if (changedCount > 0) {
            LOG.warn("Feed '{}' of tenant '{}': {} listing(s) changed at the source with a ModificationTimestamp older"
                    + " than what the incremental pulls already passed (committed late, beyond the overlap window?);"
                    + " the rows here are stale. Replicate the feed again from FeedCheckpoint.START to fetch them"
                    + " (writing the others again changes nothing). First keys: {}", feedId, tenant.id(),
                    changedCount, changed);
        }
        List<String> sample = List.copyOf(missing.subList(0, Math.min(SAMPLE, missing.size())));
        long unseen = source.unmatched();
        if (unseen > 0) {
            LOG.warn("Feed '{}' of tenant '{}': the source lists {} key(s) that have no row here: records the"
                    + " incremental pulls missed (committed late, beyond the overlap window?). Replicate the feed"
                    + " again from FeedCheckpoint.START to fetch them (writing the others again changes nothing).",
                    feedId, tenant.id(), unseen);
        }
        if (missingCount > allowed) {
            LOG.warn("Feed '{}' of tenant '{}': reconciliation refused: the source lists {} keys and {} of the {}"
                    + " listings here are not among them, more than the {} allowed ({} of them); nothing was withdrawn."
                    + " If the source really dropped them, run with a larger maxWithdrawnFraction; first keys: {}",
                    feedId, tenant.id(), source.size(), missingCount, local, allowed, maxWithdrawnFraction, sample);
            return new ReconciliationResult(source.size(), local, missingCount, 0, true, allowed, sample, unseen,
                    changes, changed);
        }
        long withdrawn = 0;
        for (int from = 0; from < missing.size(); from += UPDATE_CHUNK) {
            List<String> chunk = missing.subList(from, Math.min(missing.size(), from + UPDATE_CHUNK));
            try (Connection c = listings.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE "
                    + ListingTables.LISTINGS + " SET removed = true, replicated_at = now() WHERE feed_id = ?"
                    + " AND listing_key = ANY(?::text[]) AND NOT removed AND replicated_at < ?")) {
                ps.setString(1, feedId);
                ps.setArray(2, c.createArrayOf("text", chunk.toArray(new String[0])));
                ps.setTimestamp(3, startedAt);
                withdrawn += ps.executeUpdate();
            }
        }
        if (withdrawn > 0) {
            LOG.info("Feed '{}' of tenant '{}': reconciliation withdrew {} listing(s) the source no longer lists"
                    + " (of {} compared; first keys: {})", feedId, tenant.id(), withdrawn, local, sample);
        }
        return new ReconciliationResult(source.size(), local, missingCount, withdrawn, false, allowed, sample,
                unseen, changes, changed);
    }

    /** Builds a {@link ListingReconciler}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private DataSource listings;
        private TenantLookup tenants;
        private double maxWithdrawnFraction = 0.05;
        private int pageSize = 5_000;

        private Builder() {
        }

        /**
         * The tenants' {@code TenantDataSource} (or a pool wrapping one) the listings are in (required).
         *
         * @throws GeoValidationException if it is neither
         */
        public Builder listings(DataSource dataSource) {
            Objects.requireNonNull(dataSource, "dataSource");
            boolean tenantBound;
            try {
                tenantBound = dataSource instanceof com.enterprisehub.geo.isolation.TenantDataSource
                        || dataSource.isWrapperFor(com.enterprisehub.geo.isolation.TenantDataSource.class);
            } catch (SQLException e) {
                tenantBound = false;
            }
            if (!tenantBound) {
                throw new GeoValidationException("Listings are read and withdrawn through the tenants' TenantDataSource"
                        + " (it binds each connection to the tenant); got a " + dataSource.getClass().getName() + ".");
            }
            this.listings = dataSource;
            return this;
        }

        /** Where the feeds' tenants are looked up: the tenant catalog (required). */
        public Builder tenants(TenantLookup lookup) {
            this.tenants = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /**
         * The largest share of a feed's compared listings one run may withdraw, from 0 to 1 (default 0.05): past it
         * the run changes nothing and reports a refusal. 1 turns the guard off (a source answering with no key then
         * withdraws every listing).
         *
         * @throws GeoValidationException if out of range
         */
        public Builder maxWithdrawnFraction(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new GeoValidationException("maxWithdrawnFraction is from 0 to 1 (0.05 = 5%); got " + fraction
                        + ".");
            }
            this.maxWithdrawnFraction = fraction;
            return this;
        }

        /** Keys asked for per request, 1 to 10,000 (default 5,000). */
        public Builder pageSize(int size) {
            if (size < 1 || size > 10_000) {
                throw new GeoValidationException("The key page size is 1 to 10,000; got " + size + ".");
            }
            this.pageSize = size;
            return this;
        }

        /**
         * The reconciler.
         *
         * @throws GeoValidationException naming every required value that is missing
         */
        public ListingReconciler build() {
            List<String> missing = new ArrayList<>();
            if (listings == null) {
                missing.add("listings(TenantDataSource)");
            }
            if (tenants == null) {
                missing.add("tenants(TenantCatalog)");
            }
            if (!missing.isEmpty()) {
                throw new GeoValidationException("The listing reconciler needs " + String.join(", ", missing) + ".");
            }
            return new ListingReconciler(this);
        }
    }
}
