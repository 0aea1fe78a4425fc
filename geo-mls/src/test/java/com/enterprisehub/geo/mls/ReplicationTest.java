package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import com.enterprisehub.geo.spi.listing.StandardStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The replicator and the writer, at every isolation level, over a list feed. */
class ReplicationTest {
    private static MlsFixture env;

    @BeforeAll
    static void start() throws SQLException {
        env = MlsFixture.get();
    }

    private static FeedSubscription subscription(Tenant tenant, String feedId) {
        return new FeedSubscription(tenant.id(), feedId, Listings.USD);
    }

    private static long listings(Tenant tenant, String feedId) throws Exception {
        return env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ?", feedId);
    }

    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void aFeedLandsInTheTenantsTablesWithRemovalsAndQuarantine(IsolationLevel level) throws Exception {
        Tenant tenant = env.tenant(level);
        String feedId = MlsFixture.feedId("full");
        List<ListingRecord> records = Listings.records("k", 1_000);
        ReplicationResult result = env.replicator(128).replicate(new ListFeed(subscription(tenant, feedId), records));
        assertThat(result.caughtUp()).isTrue();
        assertThat(result.batches()).isEqualTo(8);
        assertThat(result.quarantined()).isEqualTo(Listings.rejected(records));
        assertThat(result.removed()).isEqualTo(Listings.removals(records));
        assertThat(listings(tenant, feedId)).isEqualTo(1_000 - Listings.rejected(records));
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ? AND removed", feedId))
                .isEqualTo(Listings.removals(records));
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_quarantine WHERE feed_id = ?"
                + " AND reason = 'ListPrice is negative'", feedId)).isEqualTo(Listings.rejected(records));
        assertThat(env.count(tenant, "SELECT list_price FROM mls_listing WHERE feed_id = ? AND listing_key = 'k-42'",
                feedId)).isEqualTo(500_042);
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ? AND currency = 'USD'"
                + " AND living_area_units = 'SquareFeet' AND media->0->>'MediaKey' = 'm-k-42'"
                + " AND listing_key = 'k-42'", feedId)).isEqualTo(1);
        // The feed's rows are this tenant's alone.
        Tenant other = env.otherBasic;
        assertThat(listings(other, feedId)).isZero();
        // Caught up: a second run pulls once, writes nothing new, moves nothing.
        ReplicationResult again = env.replicator(128).replicate(new ListFeed(subscription(tenant, feedId), records));
        assertThat(again.records()).isZero();
        assertThat(again.checkpoint()).isEqualTo(result.checkpoint());
    }

    @Test
    void aFeedWhoseBatchesDoNotMoveTheCheckpointFailsInsteadOfLoopingForever() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = MlsFixture.feedId("stuck");
        FeedSubscription subscription = subscription(tenant, feedId);
        List<ListingRecord> same = Listings.records("s", 4);
        java.util.concurrent.atomic.AtomicInteger pulls = new java.util.concurrent.atomic.AtomicInteger();
        com.enterprisehub.geo.spi.listing.ListingFeed stuck = new com.enterprisehub.geo.spi.listing.ListingFeed() {
            @Override
            public FeedSubscription subscription() {
                return subscription;
            }

            @Override
            public com.enterprisehub.geo.spi.listing.FeedBatch pull(FeedCheckpoint after, int maxRecords) {
                pulls.incrementAndGet();
                return new com.enterprisehub.geo.spi.listing.FeedBatch(same, new FeedCheckpoint("always"), false);
            }
        };
        assertThatThrownBy(() -> env.replicator(4).replicate(stuck, 1_000)).isInstanceOf(ListingFeedException.class)
                .hasMessageContaining("did not move");
        assertThat(pulls.get()).isLessThanOrEqualTo(3);
    }

    @Test
    void anInterruptedRunReturnsOnlyOnceItsPullHasEnded() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = MlsFixture.feedId("slowpull");
        FeedSubscription subscription = subscription(tenant, feedId);
        java.util.concurrent.CountDownLatch second = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean pulling = new java.util.concurrent.atomic.AtomicBoolean();
        com.enterprisehub.geo.spi.listing.ListingFeed slow = new com.enterprisehub.geo.spi.listing.ListingFeed() {
            @Override
            public FeedSubscription subscription() {
                return subscription;
            }

            @Override
            public com.enterprisehub.geo.spi.listing.FeedBatch pull(FeedCheckpoint after, int maxRecords) {
                if (after.value().equals("one")) {
                    pulling.set(true);
                    second.countDown();
                    long until = System.nanoTime() + 1_500_000_000L;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait(); // a pull that does not answer an interrupt at once
                    }
                    pulling.set(false);
                }
                return new com.enterprisehub.geo.spi.listing.FeedBatch(List.of(), new FeedCheckpoint(
                        after.value().equals("one") ? "two" : "one"), false);
            }
        };
        java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<ReplicationResult> run = worker.submit(() -> env.replicator(4).replicate(slow));
            assertThat(second.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Thread.sleep(300); // the run has written the first batch and waits for the second
            worker.shutdownNow(); // interrupts the run while its second pull is in flight
            assertThatThrownBy(run::get).hasCauseInstanceOf(ListingFeedException.class);
            assertThat(pulling.get()).as("the pull thread still running after replicate returned").isFalse();
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void aRemovalWinsOverAnUpsertWithTheSameTimestampInAnyBatch() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = MlsFixture.feedId("tie");
        java.time.Instant t = Listings.T0.plusSeconds(5);
        List<ListingRecord> records = List.of(new ListingRecord.Removal("t-1", t, StandardStatus.WITHDRAWN),
                new ListingRecord.Upsert(Listings.listing("t-1", t, 1)),
                new ListingRecord.Removal("t-2", t, StandardStatus.WITHDRAWN),
                new ListingRecord.Upsert(Listings.listing("t-2", t, 1)));
        env.replicator(1).replicate(new ListFeed(subscription(tenant, feedId), records.subList(0, 2)));
        String sameBatch = MlsFixture.feedId("tie");
        env.replicator(2).replicate(new ListFeed(subscription(tenant, sameBatch), records.subList(2, 4)));
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ? AND removed", feedId))
                .as("upsert in the next batch").isEqualTo(1);
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ? AND removed", sameBatch))
                .as("upsert in the same batch").isEqualTo(1);
    }

    @Test
    void anUpsertSkippedAsOlderIsNotCountedAsStored() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = MlsFixture.feedId("older");
        List<ListingRecord> records = List.of(new ListingRecord.Upsert(Listings.listing("o-1", Listings.T0.plusSeconds(9), 2)),
                new ListingRecord.Upsert(Listings.listing("o-1", Listings.T0, 1)));
        ReplicationResult result = env.replicator(1).replicate(new ListFeed(subscription(tenant, feedId), records));
        assertThat(result.stored()).isEqualTo(1);
        assertThat(env.count(tenant, "SELECT list_price FROM mls_listing WHERE feed_id = ?", feedId)).isEqualTo(2);
    }

    @Test
    void aValueTheDatabaseRefusesQuarantinesThatRecordAndTheFeedGoesOn() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = MlsFixture.feedId("refused");
        List<ListingRecord> records = new java.util.ArrayList<>(Listings.records("r", 40));
        // A year PostgreSQL's timestamptz cannot hold (its range ends in 294276 AD): SQLSTATE class 22.
        records.set(20, new ListingRecord.Upsert(Listings.listing("r-20",
                java.time.Instant.parse("+300000-01-01T00:00:00Z"), 1)));
        ReplicationResult result = env.replicator(16).replicate(new ListFeed(subscription(tenant, feedId), records));
        assertThat(result.caughtUp()).isTrue();
        assertThat(result.quarantined()).isEqualTo(Listings.rejected(records) + 1);
        assertThat(listings(tenant, feedId)).isEqualTo(40 - Listings.rejected(records) - 1);
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_quarantine WHERE feed_id = ? AND listing_key = 'r-20'"
                + " AND reason LIKE '%SQLSTATE 22%'", feedId)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void aCrashBetweenTheListingsAndTheCheckpointLosesAndDuplicatesNothing(IsolationLevel level) throws Exception {
        Tenant tenant = env.tenant(level);
        String feedId = MlsFixture.feedId("crash");
        List<ListingRecord> records = Listings.records("c", 700);
        MlsFixture.Switchable control = new MlsFixture.Switchable(env.controlPlane);
        FeedCheckpointStore store = FeedCheckpointStore.create(control, Clock.systemUTC());
        ListingReplicator replicator = ListingReplicator.builder().listings(env.dataSource).tenants(env.tenants)
                .checkpoints(store).batchSize(100).build();
        replicator.replicate(new ListFeed(subscription(tenant, feedId), records), 3);
        assertThat(store.load(tenant.id(), feedId)).contains(new FeedCheckpoint("i:300"));
        // The fourth batch is written, then the control plane is gone when its checkpoint is recorded.
        ListFeed feed = new ListFeed(subscription(tenant, feedId), records) {
            @Override
            public com.enterprisehub.geo.spi.listing.FeedBatch pull(FeedCheckpoint after, int max) {
                var batch = super.pull(after, max);
                control.down = true;
                return batch;
            }
        };
        assertThatThrownBy(() -> replicator.replicate(feed)).isInstanceOf(ListingFeedException.class)
                .hasMessageContaining("will be written again");
        assertThat(listings(tenant, feedId)).as("the fourth batch committed").isEqualTo(400 - 4);
        control.down = false;
        assertThat(store.load(tenant.id(), feedId)).contains(new FeedCheckpoint("i:300"));
        // A source that crashes after two more pulls.
        assertThatThrownBy(() -> replicator.replicate(new ListFeed(subscription(tenant, feedId), records, 2)))
                .hasMessageContaining("source crashed");
        assertThat(store.load(tenant.id(), feedId)).contains(new FeedCheckpoint("i:500"));
        ReplicationResult rest = replicator.replicate(new ListFeed(subscription(tenant, feedId), records));
        assertThat(rest.caughtUp()).isTrue();
        assertThat(listings(tenant, feedId)).isEqualTo(700 - Listings.rejected(records));
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_quarantine WHERE feed_id = ?", feedId))
                .as("the replayed batch quarantined nothing twice").isEqualTo(Listings.rejected(records));
        assertThat(env.checkpointRecords(tenant.id().value(), feedId)).as("records counted once per recorded batch")
                .isEqualTo(700);
    }

    @Test
    void anOlderRecordReplayedNeverOverwritesANewerOneNorRevivesARemovedOne() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = MlsFixture.feedId("order");
        var newer = new ListingRecord.Upsert(Listings.listing("x", Listings.T0.plusSeconds(100), 900));
        var gone = new ListingRecord.Removal("y", Listings.T0.plusSeconds(100), StandardStatus.DELETE);
        env.replicator(10).replicate(new ListFeed(subscription(tenant, feedId), List.of(newer, gone)));
        String replayId = feedId;
        var older = List.<ListingRecord>of(new ListingRecord.Upsert(Listings.listing("x", Listings.T0, 100)),
                new ListingRecord.Upsert(Listings.listing("y", Listings.T0, 100)));
        // A new feed object with its checkpoint reset: what a replay of old pages does.
        env.checkpoints.advance(tenant.id(), replayId, env.checkpoints.load(tenant.id(), replayId).orElseThrow(),
                FeedCheckpoint.START, 0);
        env.replicator(10).replicate(new ListFeed(subscription(tenant, replayId), older));
        assertThat(env.count(tenant, "SELECT list_price FROM mls_listing WHERE feed_id = ? AND listing_key = 'x'",
                feedId)).isEqualTo(900);
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ? AND listing_key = 'y'"
                + " AND removed AND standard_status = 'Delete'", feedId)).isEqualTo(1);
    }

    @Test
    void aFeedOfTenantACannotWriteTenantBsRows() throws Exception {
        Tenant a = env.tenant(IsolationLevel.BASIC);
        Tenant b = env.otherBasic;
        String feedId = MlsFixture.feedId("ab");
        // B has listing 'shared-1' in the same shared table, same feed id and key.
        env.replicator(10).replicate(new ListFeed(subscription(b, feedId),
                List.of(new ListingRecord.Upsert(Listings.listing("shared-1", Listings.T0, 111)))));
        // A's feed carries the same key, newer: it lands in A's rows and leaves B's alone.
        env.replicator(10).replicate(new ListFeed(subscription(a, feedId),
                List.of(new ListingRecord.Upsert(Listings.listing("shared-1", Listings.T0.plusSeconds(5), 222)))));
        assertThat(env.count(b, "SELECT list_price FROM mls_listing WHERE feed_id = ?", feedId)).isEqualTo(111);
        assertThat(env.count(a, "SELECT list_price FROM mls_listing WHERE feed_id = ?", feedId)).isEqualTo(222);
        // Replicating A's feed while B is bound is refused before anything is pulled.
        ListFeed feedOfA = new ListFeed(subscription(a, feedId),
                List.of(new ListingRecord.Upsert(Listings.listing("shared-2", Listings.T0, 333))));
        try (TenantContext.Scope scope = TenantContext.open(b)) {
            assertThatThrownBy(() -> env.replicator(10).replicate(feedOfA)).isInstanceOf(GeoException.class)
                    .hasMessageContaining("belongs to tenant 'basic-co'");
        }
        assertThat(feedOfA.pulls.get()).isZero();
        // And A's connection cannot write a row of B's even by naming B: row-level security refuses.
        assertThatThrownBy(() -> env.as(a, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mls_listing (tenant_id, feed_id, listing_key,"
                    + " standard_status, modification_timestamp) VALUES ('other-co', ?, 'forged', 'Active', now())")) {
                ps.setString(1, feedId);
                return ps.executeUpdate();
            }
        })).isInstanceOf(SQLException.class).hasMessageContaining("row-level security");
        assertThat(env.count(b, "SELECT count(*) FROM mls_listing WHERE feed_id = ?", feedId)).isEqualTo(1);
    }

    @Test
    void aSecondReplicatorOfTheSameFeedIsStopped() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.ENHANCED);
        String feedId = MlsFixture.feedId("twice");
        env.replicator(10).replicate(new ListFeed(subscription(tenant, feedId), Listings.records("t", 30)), 1);
        FeedCheckpoint seen = env.checkpoints.load(tenant.id(), feedId).orElseThrow();
        env.checkpoints.advance(tenant.id(), feedId, seen, new FeedCheckpoint("i:20"), 10);
        assertThatThrownBy(() -> env.checkpoints.advance(tenant.id(), feedId, seen, new FeedCheckpoint("i:20"), 10))
                .isInstanceOf(ListingFeedException.class).hasMessageContaining("another replicator");
    }
}
