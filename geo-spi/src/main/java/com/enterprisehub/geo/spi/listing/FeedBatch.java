package com.enterprisehub.geo.spi.listing;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link ListingFeed#pull} returns. Immutable.
 *
 * @param records the records, in the feed's order (at most the number asked for)
 * @param checkpoint where the feed stands once these records are stored: pulling from it returns what follows them,
 *     never one of them again and never skipping one
 * @param caughtUp whether the feed had nothing more when the batch was read (pull again later for increments)
 */
public record FeedBatch(List<ListingRecord> records, FeedCheckpoint checkpoint, boolean caughtUp) {
    /** Copies the records. */
    public FeedBatch {
        records = List.copyOf(Objects.requireNonNull(records, "records"));
        Objects.requireNonNull(checkpoint, "checkpoint");
    }
}
