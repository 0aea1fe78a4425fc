package com.enterprisehub.geo.spi.listing;

import java.util.List;
import java.util.function.Consumer;

/**
 * A listing feed opened for one tenant: pull-based, resumable from a {@link FeedCheckpoint}. The replicator pulls a
 * batch, stores it, and records the batch's checkpoint; after a crash it pulls again from the last recorded
 * checkpoint. A feed honours its source's rate limits itself (waiting out HTTP 429/503 {@code Retry-After}, say).
 *
 * <p>Not necessarily thread-safe: one replicator pulls from a feed at a time. Close it to release its clients.
 */
public interface ListingFeed extends AutoCloseable {

    /** Which tenant and feed this feed was opened for: its records are that tenant's alone. */
    FeedSubscription subscription();

    /** The feed's id, the market's MLS integration id ("crmls"). */
    default String feedId() {
        return subscription().feedId();
    }

    /**
     * The records after {@code after}, at most {@code maxRecords}. Records that fail validation come as
     * {@link ListingRecord.Rejected}, never as an exception: the feed goes on.
     *
     * @param after where the caller stands ({@link FeedCheckpoint#START} for the beginning)
     * @param maxRecords at most this many records, from 1 to 10,000
     * @throws com.enterprisehub.geo.core.GeoValidationException if {@code maxRecords} is out of range or the
     *     checkpoint was not written by this kind of feed
     * @throws ListingFeedException if the source cannot be read (credentials refused, unreachable, retries spent)
     */
    FeedBatch pull(FeedCheckpoint after, int maxRecords);

    /**
     * Checks the feed can be read: credentials accepted and the first page served (a market's readiness check).
     * Default: pulls one record from the start.
     *
     * @throws ListingFeedException if it cannot
     */
    default void check() {
        pull(FeedCheckpoint.START, 1);
    }

    /**
     * Reads the {@code ListingKey} of every listing the source holds now, and only the keys, page by page (for
     * reconciliation: finding listings the source dropped without a removal record). Pages come in no particular order
     * and may repeat a key; a listing the source holds while the read runs is in one of them.
     *
     * @param pageSize keys per request, 1 to 10,000
     * @param sink receives each page's keys
     * @return {@code false} if this feed cannot list its keys (the default: nothing was read), {@code true} once
     *     every key was handed to {@code sink}
     * @throws ListingFeedException if the source cannot be read to the end (what {@code sink} received is then not
     *     the whole set: the caller must not act on it)
     */
    default boolean sourceKeys(int pageSize, Consumer<? super List<String>> sink) {
        return false;
    }

    /** Releases what the feed holds open. Default: nothing. */
    @Override
    default void close() {
    }
}
