package com.enterprisehub.geo.spi.listing;

import com.enterprisehub.geo.core.GeoValidationException;

/**
 * Where a feed's replication stands, opaque to everyone but the provider that wrote it (a RESO provider keeps the
 * last {@code ModificationTimestamp} and {@code ListingKey}; a REAXML provider the last file). The replicator stores
 * it as text and gives it back to {@link ListingFeed#pull}. Immutable.
 *
 * @param value the provider's text, at most {@value #MAX_LENGTH} characters; empty for the start of the feed
 */
public record FeedCheckpoint(String value) {
    /** The longest checkpoint a provider may write. */
    public static final int MAX_LENGTH = 2_000;
    /** The start of a feed: nothing replicated yet. */
    public static final FeedCheckpoint START = new FeedCheckpoint("");

    /**
     * Checks the value.
     *
     * @throws GeoValidationException if it is longer than {@value #MAX_LENGTH} characters or has control characters
     */
    public FeedCheckpoint {
        if (value == null || value.length() > MAX_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
            throw new GeoValidationException("A feed checkpoint is at most " + MAX_LENGTH + " characters without"
                    + " control characters; the provider wrote one that is not. Report it to the provider's authors.");
        }
    }

    /** Whether this is the start of the feed. */
    public boolean isStart() {
        return value.isEmpty();
    }
}
