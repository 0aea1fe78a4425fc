package com.enterprisehub.geo.mls;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What one {@link ListingReconciler#reconcile} run found and did. Immutable.
 *
 * @param sourceKeys distinct keys the source listed
 * @param localListings listings of the feed in the tenant's table that were compared (not removed, and replicated
 *     before the run started)
 * @param missing how many of those the source no longer lists
 * @param withdrawn how many were marked removed (tombstones; 0 when refused)
 * @param refused whether the run refused to withdraw because {@code missing} exceeded the allowed share of
 *     {@code localListings} (nothing was changed; see {@link ListingReconciler.Builder#maxWithdrawnFraction})
 * @param allowed the most listings the run would withdraw
 * @param sample up to 20 of the missing keys, for the operator's report
 * @param unseen keys the source lists that have no row here at all (removed or not): listings the incremental pulls
 *     never delivered; replicate the feed again from its start to fetch them
 * @param changed listings stored here (removed or not) whose source {@code ModificationTimestamp} is newer than the
 *     stored one but older than the newest timestamp stored for the feed minus the feed's overlap (where its next
 *     incremental pull starts reading): changes the incremental pulls have passed without delivering (committed late,
 *     beyond the overlap window); replicate the feed again from its start to fetch them. Empty when the feed lists
 *     its keys without timestamps, or the source sent none usable (nothing was compared)
 * @param changedSample up to 20 of the changed keys
 */
public record ReconciliationResult(long sourceKeys, long localListings, long missing, long withdrawn, boolean refused,
        long allowed, List<String> sample, long unseen, OptionalLong changed, List<String> changedSample) {
    /** Copies the samples. */
    public ReconciliationResult {
        sample = List.copyOf(Objects.requireNonNull(sample, "sample"));
        Objects.requireNonNull(changed, "changed");
        changedSample = List.copyOf(Objects.requireNonNull(changedSample, "changedSample"));
    }
}
