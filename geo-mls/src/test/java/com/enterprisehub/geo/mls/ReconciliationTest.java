package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.mls.internal.ListingWriter;
import com.enterprisehub.geo.spi.listing.FeedBatch;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Key reconciliation against the Olingo RESO server: listings the source dropped without a Delete record are
 * withdrawn (tombstones), within the bound; a source answering with (almost) nothing withdraws nothing.
 */
class ReconciliationTest {
    private static final Instant T0 = Instant.parse("2026-04-01T00:00:00Z");
    private static MlsFixture env;
    private static ResoFixture reso;

    @BeforeAll
    static void start() throws Exception {
        env = MlsFixture.get();
        reso = new ResoFixture();
        reso.server.pageSize = 40;
    }

    @AfterAll
    static void stop() {
        reso.close();
    }

    private static ListingReconciler reconciler(double fraction) {
        return ListingReconciler.builder().listings(env.dataSource).tenants(env.tenants).maxWithdrawnFraction(fraction)
                .pageSize(25).build();
    }

    /** A feed id with {@code count} listings at the source, replicated into {@code tenant}. */
    private static String replicated(Tenant tenant, int count) {
        String feedId = MlsFixture.feedId("recon");
        reso.server.load(ResoServer.generate(count, 3, T0));
        reso.credentials(tenant.id(), feedId, ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            assertThat(env.replicator(100).replicate(feed).caughtUp()).isTrue();
        }
        return feedId;
    }

    private static long count(Tenant tenant, String feedId, String condition) throws Exception {
        return env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ? AND " + condition, feedId);
    }

    @ParameterizedTest
    @EnumSource(value = IsolationLevel.class, names = {"BASIC", "ENHANCED"})
    void listingsTheSourceDroppedAreWithdrawnAndKept(IsolationLevel level) throws Exception {
        Tenant tenant = env.tenant(level);
        String feedId = replicated(tenant, 120);
        reso.server.drop("L0000007");
        reso.server.drop("L0000100");

        ReconciliationResult result;
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            result = reconciler(0.05).reconcile(feed);
        }
        assertThat(result.refused()).isFalse();
        assertThat(result.sourceKeys()).isEqualTo(118);
        assertThat(result.localListings()).isEqualTo(120);
        assertThat(result.missing()).isEqualTo(2);
        assertThat(result.withdrawn()).isEqualTo(2);
        assertThat(result.sample()).containsExactlyInAnyOrder("L0000007", "L0000100");
        assertThat(result.unseen()).isZero();
        assertThat(count(tenant, feedId, "removed")).isEqualTo(2);
        assertThat(count(tenant, feedId, "removed AND listing_key IN ('L0000007', 'L0000100')"
                + " AND list_price IS NOT NULL")).as("tombstones keep the row").isEqualTo(2);
        assertThat(count(tenant, feedId, "NOT removed")).isEqualTo(118);

        // Nothing more to withdraw the second time.
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            ReconciliationResult again = reconciler(0.05).reconcile(feed);
            assertThat(again.missing()).isZero();
            assertThat(again.withdrawn()).isZero();
            assertThat(again.localListings()).isEqualTo(118);
        }

        // The source sends it again, changed: it is back.
        reso.server.add(ResoServer.row("L0000007", T0.plusSeconds(3_600), 7));
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            env.replicator(100).replicate(feed);
        }
        assertThat(count(tenant, feedId, "NOT removed AND listing_key = 'L0000007'")).isEqualTo(1);
    }

    @Test
    void aListingTheIncrementsNeverDeliveredIsCountedAndAFullReplicationFetchesIt() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.ENHANCED);
        String feedId = replicated(tenant, 30);
        // committed late with a timestamp an hour older than anything read: beyond the 5-minute overlap window
        reso.server.add(ResoServer.row("LATE-OLD", T0.minusSeconds(3_600), 5));
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            env.replicator(100).replicate(feed);
        }
        assertThat(count(tenant, feedId, "listing_key = 'LATE-OLD'")).as("missed by the increment").isZero();
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            ReconciliationResult result = reconciler(0.05).reconcile(feed);
            assertThat(result.unseen()).isEqualTo(1);
            assertThat(result.missing()).isZero();
        }
        // What the WARN says to do: replicate again from the start; what was stored already is not written again.
        FeedCheckpoint at = env.checkpoints.load(tenant.id(), feedId).orElseThrow();
        env.checkpoints.advance(tenant.id(), feedId, at, FeedCheckpoint.START, 0);
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            assertThat(env.replicator(100).replicate(feed).stored()).isEqualTo(1);
        }
        assertThat(count(tenant, feedId, "listing_key = 'LATE-OLD' AND NOT removed")).isEqualTo(1);
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            assertThat(reconciler(0.05).reconcile(feed).unseen()).isZero();
        }
    }

    @Test
    void aChangeCommittedLateBeyondTheOverlapIsFoundByComparingTimestampsAndAFullReplicationFetchesIt()
            throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = replicated(tenant, 30); // T0 .. T0+9s
        reso.server.add(ResoServer.row("NEWEST", T0.plusSeconds(3_600), 31));
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            env.replicator(100).replicate(feed); // the checkpoint is now at T0+1h
        }
        // A change of a stored listing committed late: its timestamp (T0+60s) is newer than the stored row's (T0) but
        // older than the checkpoint minus the 5-minute overlap: no increment reads it again.
        reso.server.modify("L0000001", T0.plusSeconds(60), Map.of("ListPrice", java.math.BigDecimal.valueOf(123_456)));
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            env.replicator(100).replicate(feed);
        }
        assertThat(count(tenant, feedId, "listing_key = 'L0000001' AND list_price = 123456")).as("missed").isZero();
        // A change newer than anything replicated is merely not replicated yet: not counted as missed.
        reso.server.modify("L0000002", T0.plusSeconds(7_200), Map.of("ListPrice", java.math.BigDecimal.valueOf(7)));
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            ReconciliationResult result = reconciler(0.05).reconcile(feed);
            assertThat(result.changed()).hasValue(1);
            assertThat(result.changedSample()).containsExactly("L0000001");
            assertThat(result.unseen()).isZero();
            assertThat(result.missing()).isZero();
        }
        // Replicated again from the start, the missed change lands (and the pending one with it).
        FeedCheckpoint at = env.checkpoints.load(tenant.id(), feedId).orElseThrow();
        env.checkpoints.advance(tenant.id(), feedId, at, FeedCheckpoint.START, 0);
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            assertThat(env.replicator(100).replicate(feed).stored()).isEqualTo(2);
        }
        assertThat(count(tenant, feedId, "listing_key = 'L0000001' AND list_price = 123456")).isEqualTo(1);
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            assertThat(reconciler(0.05).reconcile(feed).changed()).hasValue(0);
        }
    }

    @Test
    void aChangeInsideTheOverlapOrAtTheNewestTimestampIsNotCountedOneBeyondIs() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = replicated(tenant, 30); // T0 .. T0+9s
        Instant newest = T0.plusSeconds(3_600);
        reso.server.add(ResoServer.row("A-NEWEST", newest, 31)); // the checkpoint: (T0+1h, 'A-NEWEST')
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            env.replicator(100).replicate(feed);
        }
        // inside the 5-minute overlap, exactly at the newest timestamp with a later key, and beyond the overlap
        reso.server.modify("L0000003", newest.minusSeconds(120), Map.of("ListPrice", java.math.BigDecimal.ONE));
        reso.server.modify("L0000004", newest, Map.of("ListPrice", java.math.BigDecimal.ONE));
        reso.server.modify("L0000005", newest.minusSeconds(360), Map.of("ListPrice", java.math.BigDecimal.ONE));
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            ReconciliationResult result = reconciler(0.05).reconcile(feed);
            assertThat(result.changedSample()).containsExactly("L0000005");
            assertThat(result.changed()).hasValue(1);
        }
        // the next increment fetches the two not counted, and only them
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            assertThat(env.replicator(100).replicate(feed).stored()).isEqualTo(2);
        }
        assertThat(count(tenant, feedId, "listing_key IN ('L0000003', 'L0000004') AND list_price = 1")).isEqualTo(2);
        assertThat(count(tenant, feedId, "listing_key = 'L0000005' AND list_price = 1")).isZero();
    }

    @Test
    void aKeyListingWithoutTimestampsComparesNoTimestamps() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = replicated(tenant, 12);
        reso.server.keysWithoutTimestamps = true;
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            ReconciliationResult result = reconciler(0.05).reconcile(feed);
            assertThat(result.sourceKeys()).isEqualTo(12);
            assertThat(result.changed()).as("nothing was compared, so no count").isEmpty();
        } finally {
            reso.server.keysWithoutTimestamps = false;
        }
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            assertThat(reconciler(0.05).reconcile(feed).changed()).hasValue(0);
        }
    }

    @Test
    void aSourceAnsweringWithNothingOrTooLittleWithdrawsNothingAndSaysSo() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = replicated(tenant, 90);

        reso.server.load(List.of()); // a broken feed: no keys at all
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            ReconciliationResult result = reconciler(0.05).reconcile(feed);
            assertThat(result.refused()).isTrue();
            assertThat(result.missing()).isEqualTo(90);
            assertThat(result.allowed()).isEqualTo(4);
            assertThat(result.withdrawn()).isZero();
            assertThat(result.sample()).hasSize(5);
        }
        assertThat(count(tenant, feedId, "removed")).isZero();

        // 6 of 90 dropped (6.7%): over a 5% bound, within a 10% one.
        List<ResoServer.Row> rows = new java.util.ArrayList<>(ResoServer.generate(90, 3, T0));
        rows.subList(0, 6).clear();
        reso.server.load(rows);
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            assertThat(reconciler(0.05).reconcile(feed).refused()).isTrue();
        }
        assertThat(count(tenant, feedId, "removed")).isZero();
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            ReconciliationResult result = reconciler(0.10).reconcile(feed);
            assertThat(result.refused()).isFalse();
            assertThat(result.withdrawn()).isEqualTo(6);
        }
        assertThat(count(tenant, feedId, "removed")).isEqualTo(6);
    }

    @Test
    void aListingReplicatedWhileTheKeysAreReadIsNotWithdrawn() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = replicated(tenant, 30);
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
            // The listing is created at the source after the key listing passed its place, and replicated meanwhile.
            ListingFeed racing = new Delegating(feed) {
                @Override
                public boolean sourceKeys(int pageSize, Consumer<? super List<String>> sink) {
                    boolean done = feed.sourceKeys(pageSize, sink);
                    try (TenantContext.Scope scope = TenantContext.open(tenant)) {
                        new ListingWriter().write(env.dataSource, feedId, List.of(new ListingRecord.Upsert(
                                Listings.listing("NEW-1", T0.plusSeconds(9_999), 1))));
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    return done;
                }
            };
            ReconciliationResult result = reconciler(0.5).reconcile(racing);
            assertThat(result.missing()).isZero();
            assertThat(result.localListings()).isEqualTo(30);
        }
        assertThat(count(tenant, feedId, "NOT removed AND listing_key = 'NEW-1'")).isEqualTo(1);
    }

    @Test
    void aFeedThatCannotListItsKeysOrFailsMidwayChangesNothing() throws Exception {
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = replicated(tenant, 30);
        ListFeed list = new ListFeed(new FeedSubscription(tenant.id(), feedId, Listings.USD), List.of());
        assertThatThrownBy(() -> reconciler(0.05).reconcile(list)).isInstanceOf(ListingFeedException.class)
                .hasMessageContaining("cannot list");

        reso.server.tooManyEvery = 2; // every second request throttled, and no retries: the listing stops midway
        try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of("max-retries", "0"))) {
            assertThatThrownBy(() -> reconciler(1.0).reconcile(feed)).isInstanceOf(ListingFeedException.class)
                    .hasMessageContaining("429");
        } finally {
            reso.server.tooManyEvery = 0;
        }
        assertThat(count(tenant, feedId, "removed")).isZero();
        assertThatThrownBy(() -> ListingReconciler.builder().maxWithdrawnFraction(1.5))
                .isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> ListingReconciler.builder().listings(new org.postgresql.ds.PGSimpleDataSource()))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("TenantDataSource");
    }

    /** A feed passing every call to another. */
    private static class Delegating implements ListingFeed {
        private final ListingFeed feed;

        Delegating(ListingFeed feed) {
            this.feed = feed;
        }

        @Override
        public FeedSubscription subscription() {
            return feed.subscription();
        }

        @Override
        public FeedBatch pull(FeedCheckpoint after, int maxRecords) {
            return feed.pull(after, maxRecords);
        }
    }
}
