package com.enterprisehub.geo.mls.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A feed that lists its source's keys each with its {@code ModificationTimestamp} (the RESO Web API's
 * {@code $select=ListingKey,ModificationTimestamp}), so that reconciliation can find changes the increments missed.
 * geo-mls's own feeds only; not part of the SPI.
 */
public interface TimestampedKeys {

    /**
     * As {@link com.enterprisehub.geo.spi.listing.ListingFeed#sourceKeys}, each page's keys with their timestamps (same
     * positions; empty where the source gave none or an invalid one).
     *
     * @return {@code true} once every key was handed to {@code sink}
     */
    boolean sourceKeysWithTimestamps(int pageSize, BiConsumer<List<String>, List<Optional<Instant>>> sink);

    /**
     * How far behind its newest timestamp the feed's next incremental pull reads again (its {@code overlap}, zero for
     * none): a change stamped within it is fetched by that pull, so reconciliation does not count it as missed.
     */
    Duration overlap();
}
