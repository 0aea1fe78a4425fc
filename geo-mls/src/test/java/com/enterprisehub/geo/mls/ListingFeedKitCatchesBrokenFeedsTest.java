package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.listing.FeedBatch;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import com.enterprisehub.geo.test.ListingFeedContract;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * geo-test's listing-feed kit fails feeds that break its contract: one whose checkpoint repeats the last record of
 * each batch (duplicates on resume), one that skips a record after each batch (gaps), one that accepts any
 * checkpoint, and one whose key listing leaves out a listing it delivers. A correct list feed passes it.
 */
class ListingFeedKitCatchesBrokenFeedsTest {
    private static final FeedSubscription SUB = new FeedSubscription(TenantId.of("kit-co"), "kit", Listings.USD);
    private static final List<ListingRecord> RECORDS = Listings.records("kit", 60);
    private static final Set<String> KEYS = RECORDS.stream().filter(r -> r.key().isPresent()
            && !(r instanceof ListingRecord.Rejected)).map(r -> r.key().get()).collect(Collectors.toSet());

    /** A list feed whose next checkpoint is {@code shift} records off. */
    static final class ShiftedFeed extends ListFeed {
        private final int shift;

        ShiftedFeed(int shift) {
            super(SUB, RECORDS);
            this.shift = shift;
        }

        @Override
        public FeedBatch pull(FeedCheckpoint after, int max) {
            FeedBatch batch = super.pull(after, max);
            int next = Integer.parseInt(batch.checkpoint().value().substring(2));
            int shifted = batch.caughtUp() ? next : Math.max(0, next + shift);
            return new FeedBatch(batch.records(), new FeedCheckpoint("i:" + shifted), batch.caughtUp());
        }
    }

    abstract static class Kit extends ListingFeedContract {
        @Override
        protected Set<String> expectedKeys() {
            return KEYS;
        }

        @Override
        protected int expectedRejected() {
            return (int) Listings.rejected(RECORDS);
        }

        @Override
        protected Currency expectedCurrency() {
            return Listings.USD;
        }
    }

    static final class Correct extends Kit {
        @Override
        protected ListingFeed newFeed() {
            return new ListFeed(SUB, RECORDS);
        }
    }

    static final class Duplicating extends Kit {
        @Override
        protected ListingFeed newFeed() {
            return new ShiftedFeed(-1);
        }
    }

    static final class Skipping extends Kit {
        @Override
        protected ListingFeed newFeed() {
            return new ShiftedFeed(1);
        }
    }

    static final class AcceptsAnyCheckpoint extends Kit {
        @Override
        protected ListingFeed newFeed() {
            return new ListFeed(SUB, RECORDS) {
                @Override
                public FeedBatch pull(FeedCheckpoint after, int max) {
                    return super.pull(after.value().startsWith("i:") ? after : FeedCheckpoint.START, max);
                }
            };
        }
    }

    /** A feed whose key listing leaves out one listing it delivers: a reconciler would withdraw it. */
    static final class ListsTooFewKeys extends Kit {
        @Override
        protected ListingFeed newFeed() {
            return new ListFeed(SUB, RECORDS) {
                @Override
                public boolean sourceKeys(int pageSize, java.util.function.Consumer<? super List<String>> sink) {
                    sink.accept(KEYS.stream().filter(k -> !k.equals("kit-1")).toList());
                    return true;
                }
            };
        }
    }

    private static TestExecutionSummary run(Class<?> kit) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build(), listener);
        return listener.getSummary();
    }

    @Test
    void aCorrectFeedPassesAndBrokenOnesFail() {
        TestExecutionSummary correct = run(Correct.class);
        assertThat(correct.getTestsSucceededCount()).isEqualTo(7);
        assertThat(correct.getTotalFailureCount()).isZero();
        assertThat(run(Duplicating.class).getTotalFailureCount()).as("duplicating feed").isGreaterThanOrEqualTo(2);
        assertThat(run(Skipping.class).getTotalFailureCount()).as("skipping feed").isGreaterThanOrEqualTo(2);
        assertThat(run(AcceptsAnyCheckpoint.class).getTotalFailureCount()).as("lax feed").isEqualTo(1);
        assertThat(run(ListsTooFewKeys.class).getTotalFailureCount()).as("key listing short of one").isEqualTo(1);
    }
}
