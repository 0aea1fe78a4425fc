package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.listing.FeedBatch;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A feed over a fixed list of records, in list order; its checkpoint is the index of the next record. It can be told
 * to fail after a number of pulls (a crash of the source). The replicator's tests use it where the protocol does not
 * matter; the providers have their own sources.
 */
class ListFeed implements ListingFeed {
    private final FeedSubscription subscription;
    private final List<ListingRecord> records;
    private final int failAfterPulls;
    final AtomicInteger pulls = new AtomicInteger();

    ListFeed(FeedSubscription subscription, List<ListingRecord> records, int failAfterPulls) {
        this.subscription = subscription;
        this.records = List.copyOf(records);
        this.failAfterPulls = failAfterPulls;
    }

    ListFeed(FeedSubscription subscription, List<ListingRecord> records) {
        this(subscription, records, Integer.MAX_VALUE);
    }

    @Override
    public FeedSubscription subscription() {
        return subscription;
    }

    @Override
    public FeedBatch pull(FeedCheckpoint after, int maxRecords) {
        if (maxRecords < 1 || maxRecords > 10_000) {
            throw new GeoValidationException("maxRecords is 1 to 10,000; got " + maxRecords);
        }
        int from;
        if (after.isStart()) {
            from = 0;
        } else if (after.value().matches("i:[0-9]{1,9}")) {
            from = Integer.parseInt(after.value().substring(2));
        } else {
            throw new GeoValidationException("not a checkpoint of this feed");
        }
        if (pulls.incrementAndGet() > failAfterPulls) {
            throw new IllegalStateException("source crashed (injected after " + failAfterPulls + " pulls)");
        }
        int to = Math.min(records.size(), from + maxRecords);
        return new FeedBatch(records.subList(Math.min(from, to), to), new FeedCheckpoint("i:" + to),
                to >= records.size());
    }
}
