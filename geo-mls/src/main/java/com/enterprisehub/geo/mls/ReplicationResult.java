package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import java.util.Objects;

/**
 * What one {@link ListingReplicator#replicate} run did. Immutable.
 *
 * @param batches batches pulled and written
 * @param stored listings inserted or replaced (a record read again with the stored row's timestamp and values, as an
 *     overlap window or a replayed batch does, does not count, nor does one older than the stored row)
 * @param removed removals (tombstones) written (a removal read again does not count)
 * @param quarantined records quarantined for failing validation
 * @param checkpoint the checkpoint recorded last
 * @param caughtUp whether the feed had nothing more when the run ended
 */
public record ReplicationResult(int batches, long stored, long removed, long quarantined, FeedCheckpoint checkpoint,
        boolean caughtUp) {
    /** Checks the checkpoint is given. */
    public ReplicationResult {
        Objects.requireNonNull(checkpoint, "checkpoint");
    }

    /** Every record written: stored, removed and quarantined. */
    public long records() {
        return stored + removed + quarantined;
    }
}
