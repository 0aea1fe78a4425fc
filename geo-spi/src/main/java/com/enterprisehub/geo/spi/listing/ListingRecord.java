package com.enterprisehub.geo.spi.listing;

import com.enterprisehub.geo.core.GeoValidationException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One record a feed delivers: a listing to store, a listing to remove, or a record that failed validation (to be
 * quarantined with its reason while the feed goes on). Immutable.
 */
public sealed interface ListingRecord {

    /** The record's {@code ListingKey}, when it has a valid one. */
    Optional<String> key();

    /**
     * A listing to insert or replace (when {@code ModificationTimestamp} is not older than the stored one).
     *
     * @param listing the listing
     */
    record Upsert(Listing listing) implements ListingRecord {
        /** Checks the listing is given. */
        public Upsert {
            Objects.requireNonNull(listing, "listing");
        }

        @Override
        public Optional<String> key() {
            return Optional.of(listing.listingKey());
        }
    }

    /**
     * A listing the source took off the market or deleted (RESO {@code StandardStatus} {@code Delete}; REAXML
     * {@code status="withdrawn"}, {@code "sold"} or {@code "offmarket"}). A copy keeps the key, the status and the
     * timestamp (a tombstone), so that an older record replayed later cannot bring the listing back.
     *
     * @param listingKey the {@code ListingKey}
     * @param modificationTimestamp when the source removed it
     * @param status why: {@code Delete}, {@code Withdrawn}, {@code Closed}, {@code Canceled} or {@code Expired}
     */
    record Removal(String listingKey, Instant modificationTimestamp, StandardStatus status) implements ListingRecord {
        /**
         * Checks the removal.
         *
         * @throws GeoValidationException if the key is invalid
         */
        public Removal {
            Listing.checkKey(listingKey);
            Objects.requireNonNull(modificationTimestamp, "modificationTimestamp");
            Objects.requireNonNull(status, "status");
        }

        @Override
        public Optional<String> key() {
            return Optional.of(listingKey);
        }
    }

    /**
     * A record that failed validation; the replicator quarantines it in the tenant's database with the reason.
     *
     * @param key the record's {@code ListingKey} if it had a valid one
     * @param reason what is wrong, for a person (never a secret)
     * @param source the record as received, cut to {@value #MAX_SOURCE} characters
     */
    record Rejected(Optional<String> key, String reason, String source) implements ListingRecord {
        /** How much of the received record is kept. */
        public static final int MAX_SOURCE = 8_000;

        /** Checks the values and cuts the source to {@value #MAX_SOURCE} characters. */
        public Rejected {
            Objects.requireNonNull(key, "key");
            if (reason == null || reason.isBlank()) {
                throw new GeoValidationException("A rejected listing record needs a reason.");
            }
            source = Objects.requireNonNull(source, "source");
            if (source.length() > MAX_SOURCE) {
                source = source.substring(0, MAX_SOURCE);
            }
        }
    }
}
