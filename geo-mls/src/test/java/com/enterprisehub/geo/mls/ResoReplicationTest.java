package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.spi.listing.FeedBatch;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 100,000 listings from the Olingo RESO server into a BASIC tenant's table: the replication is killed twice at random
 * points (an exception injected after N pages, then a thread interrupt) and resumed; every listing is there exactly
 * once with the server's values. Then the source changes 10 listings and deletes 5, and a new run brings exactly those.
 * The server serves pages of 1,000 (nextLink paging is tested apart), throttles every 97th request and its tokens last 40
 * requests; 7 listings share each timestamp.
 */
class ResoReplicationTest {
    private static final int COUNT = 100_000;
    private static MlsFixture env;
    private static ResoFixture reso;

    @BeforeAll
    static void start() throws Exception {
        env = MlsFixture.get();
        reso = new ResoFixture();
        reso.server.load(ResoServer.generate(COUNT, 7, Instant.parse("2025-01-01T00:00:00Z")));
        reso.server.pageSize = 1_000;
        reso.server.tooManyEvery = 97;
        reso.server.tokenUses = 40;
    }

    @AfterAll
    static void stop() {
        reso.close();
    }

    /** The feed, killed by {@code kill} when its {@code pulls}-th pull is asked for. */
    private static ListingFeed killedAfter(ListingFeed feed, int pulls, Runnable kill) {
        AtomicInteger n = new AtomicInteger();
        return new ListingFeed() {
            @Override
            public FeedSubscription subscription() {
                return feed.subscription();
            }

            @Override
            public FeedBatch pull(FeedCheckpoint after, int max) {
                if (n.incrementAndGet() == pulls) {
                    kill.run();
                }
                return feed.pull(after, max);
            }
        };
    }

    @Test
    void aHundredThousandListingsKilledTwiceAndResumedLandExactlyOnce() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = MlsFixture.feedId("crmls");
        reso.credentials(tenant.id(), feedId, ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
        ListingReplicator replicator = env.replicator(1_000);
        Random random = new Random(22);
        int firstKill = 5 + random.nextInt(30);
        int secondKill = 5 + random.nextInt(30);

        // 1: an exception in the middle of a pull (the source or the process dies).
        assertThatThrownBy(() -> replicator.replicate(killedAfter(reso.open(tenant.id(), feedId, Map.of()), firstKill,
                () -> {
                    throw new IllegalStateException("killed after " + (firstKill - 1) + " pages");
                }))).hasMessageContaining("killed");
        long afterFirst = count(tenant, feedId);
        assertThat(afterFirst).isEqualTo((firstKill - 1) * 1_000L);

        // 2: a thread interrupt on a replicator running on its own thread.
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            Future<ReplicationResult> run = worker.submit(() -> replicator.replicate(killedAfter(
                    reso.open(tenant.id(), feedId, Map.of()), secondKill, () -> Thread.currentThread().interrupt())));
            assertThatThrownBy(() -> run.get(120, TimeUnit.SECONDS)).hasCauseInstanceOf(ListingFeedException.class)
                    .hasMessageContaining("interrupted");
        } finally {
            worker.shutdownNow();
        }
        long afterSecond = count(tenant, feedId);
        assertThat(afterSecond).isBetween(afterFirst + (secondKill - 2) * 1_000L, afterFirst + secondKill * 1_000L);

        // 3: resumed to the end.
        ReplicationResult rest = replicator.replicate(reso.open(tenant.id(), feedId, Map.of()));
        assertThat(rest.caughtUp()).isTrue();
        assertThat(count(tenant, feedId)).isEqualTo(COUNT);
        assertThat(env.count(tenant, "SELECT count(DISTINCT listing_key) FROM mls_listing WHERE feed_id = ?"
                + " AND listing_key ~ '^L[0-9]{7}$' AND list_price = 400000 + substr(listing_key, 2)::int"
                + " AND NOT removed", feedId)).as("every listing with the server's price").isEqualTo(COUNT);
        assertThat(env.checkpointRecords(tenant.id().value(), feedId))
                .as("records counted by recorded checkpoints").isEqualTo(COUNT);
        assertThat(reso.server.throttled.get()).isPositive();
        assertThat(reso.server.expired.get()).isPositive();

        // 4: increments: 10 changed, 5 deleted at the source.
        Instant later = Instant.parse("2026-06-01T00:00:00Z");
        for (int i = 0; i < 10; i++) {
            reso.server.modify(String.format("L%07d", i * 1_000), later.plusSeconds(i),
                    Map.of("ListPrice", BigDecimal.valueOf(1_000_000 + i), "StandardStatus", "Pending"));
        }
        for (int i = 0; i < 5; i++) {
            reso.server.modify(String.format("L%07d", 50_000 + i), later.plusSeconds(100),
                    Map.of("StandardStatus", "Delete"));
        }
        ReplicationResult increment = replicator.replicate(reso.open(tenant.id(), feedId, Map.of()));
        assertThat(increment.stored()).isEqualTo(10);
        assertThat(increment.removed()).isEqualTo(5);
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ? AND list_price >= 1000000"
                + " AND standard_status = 'Pending'", feedId)).isEqualTo(10);
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ? AND removed"
                + " AND standard_status = 'Delete'", feedId)).isEqualTo(5);
        assertThat(count(tenant, feedId)).isEqualTo(COUNT);
    }

    private static long count(Tenant tenant, String feedId) throws Exception {
        return env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ?", feedId);
    }
}
