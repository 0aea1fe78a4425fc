package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import java.util.Objects;

/**
 * What one {@link ListingReplicator#replicate} run did. Immutable.
 *
 * @param batches batches pulled and written
 * @param stored listings inserted or replaced (a replayed record counts, though it changes nothing;
 *     one older than the stored row does not)
 * @param removed removals (tombstones) written
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
