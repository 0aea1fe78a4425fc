package com.enterprisehub.geo.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.listing.FeedBatch;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link com.enterprisehub.geo.spi.listing.ListingFeedProvider}'s feed must pass. Extend it,
 * serve a fixed set of listings from a source the test controls (a loopback server, a directory of files), and
 * implement {@link #newFeed()}, {@link #expectedKeys()} and {@link #expectedCurrency()}:
 *
 * <pre>{@code
 * class MyFeedContractTest extends ListingFeedContract {
 *     protected ListingFeed newFeed() { return provider.open(subscription, context); }
 *     protected Set<String> expectedKeys() { return fixture.keys(); }
 *     protected Currency expectedCurrency() { return Currency.getInstance("USD"); }
 * }
 * }</pre>
 *
 * <p>It checks that pulling to the end delivers every key exactly once (stores and removals) with the rejected
 * records counted as {@link #expectedRejected()}; that a checkpoint saved as text and given to a new feed resumes
 * with no gap and no duplicate, from any batch; that batches respect their size and that a bad size or a checkpoint
 * the feed never wrote is refused with a {@link GeoValidationException}; that a caught-up feed returns nothing new;
 * that {@link ListingFeed#check()} passes, and fails with a {@link ListingFeedException} for refused credentials
 * (when {@link #newFeedWithRefusedCredentials()} gives a feed), without the credential in the message; and that a feed
 * that lists its source's keys ({@link ListingFeed#sourceKeys}, optional) lists every listing it delivers.
 * The kit is not thread-safe (JUnit makes one instance per test).
 */
public abstract class ListingFeedContract {

    /** A feed of the test's fixed source, for one tenant. Each call opens a new feed. */
    protected abstract ListingFeed newFeed() throws Exception;

    /** The {@code ListingKey}s the source holds (stored and removed listings, not the rejected records). */
    protected abstract Set<String> expectedKeys();

    /** The currency every listing of the feed must carry (the market's). */
    protected abstract Currency expectedCurrency();

    /** How many records of the source fail validation (and must come as {@link ListingRecord.Rejected}). */
    protected int expectedRejected() {
        return 0;
    }

    /**
     * A feed of the same source whose credentials the source refuses, and the credential it was given (which must
     * not appear in the error); empty if the provider reads no credentials (files).
     */
    protected Optional<Map.Entry<ListingFeed, String>> newFeedWithRefusedCredentials() throws Exception {
        return Optional.empty();
    }

    private record Pulled(List<ListingRecord> records, FeedCheckpoint checkpoint) {
    }

    private static Pulled pullAll(ListingFeed feed, FeedCheckpoint from, int max, int maxBatches) {
        List<ListingRecord> records = new ArrayList<>();
        FeedCheckpoint at = from;
        for (int i = 0; i < maxBatches; i++) {
            FeedBatch batch = feed.pull(at, max);
            assertThat(batch.records().size()).as("records in a batch of at most %d", max).isLessThanOrEqualTo(max);
            records.addAll(batch.records());
            at = batch.checkpoint();
            if (batch.caughtUp()) {
                return new Pulled(records, at);
            }
            assertThat(batch.records()).as("a batch that is not the last one is not empty").isNotEmpty();
        }
        throw new AssertionError("The feed was not caught up after " + maxBatches + " batches of " + max);
    }

    private void assertEachKeyOnce(List<ListingRecord> records) {
        Map<String, Integer> seen = new HashMap<>();
        int rejected = 0;
        for (ListingRecord r : records) {
            if (r instanceof ListingRecord.Rejected) {
                rejected++;
                continue;
            }
            seen.merge(r.key().orElseThrow(), 1, Integer::sum);
            if (r instanceof ListingRecord.Upsert u) {
                assertThat(u.listing().currency()).as("currency of %s", u.listing().listingKey())
                        .isEqualTo(expectedCurrency());
            }
        }
        assertThat(seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("keys delivered more than once").isEmpty();
        assertThat(seen.keySet()).as("keys delivered").isEqualTo(expectedKeys());
        assertThat(rejected).as("rejected records").isEqualTo(expectedRejected());
    }

    private int batchesNeeded(int max) {
        return (expectedKeys().size() + expectedRejected()) / max + 10;
    }

    @Test
    void pullingToTheEndDeliversEveryKeyExactlyOnce() throws Exception {
        try (ListingFeed feed = newFeed()) {
            assertThat(feed.feedId()).isNotBlank();
            Pulled all = pullAll(feed, FeedCheckpoint.START, 7, batchesNeeded(7));
            assertEachKeyOnce(all.records());
        }
    }

    @Test
    void aSavedCheckpointResumesInANewFeedWithNoGapAndNoDuplicate() throws Exception {
        int total = expectedKeys().size() + expectedRejected();
        for (int stopAfter : new int[] {1, 2, Math.max(1, total / 10)}) {
            List<ListingRecord> records = new ArrayList<>();
            String saved;
            try (ListingFeed first = newFeed()) {
                FeedCheckpoint at = FeedCheckpoint.START;
                for (int i = 0; i < stopAfter; i++) {
                    FeedBatch batch = first.pull(at, 5);
                    records.addAll(batch.records());
                    at = batch.checkpoint();
                }
                saved = at.value();
            }
            try (ListingFeed second = newFeed()) {
                records.addAll(pullAll(second, new FeedCheckpoint(saved), 5, batchesNeeded(5)).records());
            }
            assertEachKeyOnce(records);
        }
    }

    @Test
    void batchesOfOneWork() throws Exception {
        try (ListingFeed feed = newFeed()) {
            FeedBatch batch = feed.pull(FeedCheckpoint.START, 1);
            assertThat(batch.records()).hasSize(1);
            FeedBatch next = feed.pull(batch.checkpoint(), 1);
            assertThat(next.records()).hasSizeLessThanOrEqualTo(1);
            if (!next.records().isEmpty() && batch.records().get(0).key().isPresent()) {
                assertThat(next.records().get(0).key()).isNotEqualTo(batch.records().get(0).key());
            }
        }
    }

    @Test
    void aBadBatchSizeOrAForeignCheckpointIsRefused() throws Exception {
        try (ListingFeed feed = newFeed()) {
            assertThatThrownBy(() -> feed.pull(FeedCheckpoint.START, 0)).isInstanceOf(GeoValidationException.class);
            assertThatThrownBy(() -> feed.pull(FeedCheckpoint.START, 10_001))
                    .isInstanceOf(GeoValidationException.class);
            assertThatThrownBy(() -> feed.pull(new FeedCheckpoint("not a checkpoint of this feed %%"), 5))
                    .isInstanceOf(GeoValidationException.class);
        }
    }

    @Test
    void aCaughtUpFeedReturnsNothingNew() throws Exception {
        try (ListingFeed feed = newFeed()) {
            Pulled all = pullAll(feed, FeedCheckpoint.START, 50, batchesNeeded(50));
            FeedBatch again = feed.pull(all.checkpoint(), 50);
            assertThat(again.records()).as("records after the end").isEmpty();
            assertThat(again.caughtUp()).isTrue();
        }
    }

    @Test
    void aFeedThatListsItsSourceKeysListsEveryListingItDelivers() throws Exception {
        try (ListingFeed feed = newFeed()) {
            Set<String> listed = new java.util.HashSet<>();
            if (!feed.sourceKeys(4, listed::addAll)) {
                return; // optional: such a feed cannot be reconciled, which the reconciler says
            }
            Set<String> stored = new java.util.HashSet<>();
            for (ListingRecord r : pullAll(feed, FeedCheckpoint.START, 50, batchesNeeded(50)).records()) {
                if (r instanceof ListingRecord.Upsert u) {
                    stored.add(u.listing().listingKey());
                }
            }
            assertThat(stored).as("listings delivered").isNotEmpty();
            assertThat(listed).as("keys listed by sourceKeys (a listing missing here would be withdrawn)")
                    .containsAll(stored);
        }
    }

    @Test
    void checkPassesAndRefusedCredentialsFailWithoutTheCredentialInTheMessage() throws Exception {
        try (ListingFeed feed = newFeed()) {
            feed.check();
        }
        Optional<Map.Entry<ListingFeed, String>> refused = newFeedWithRefusedCredentials();
        if (refused.isPresent()) {
            try (ListingFeed feed = refused.get().getKey()) {
                assertThatThrownBy(feed::check).isInstanceOf(ListingFeedException.class)
                        .satisfies(e -> assertThat(String.valueOf(e.getMessage()))
                                .doesNotContain(refused.get().getValue()));
            }
        }
    }
}
