package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.listing.FeedBatch;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RESO feed against the Olingo server: records committed late with older timestamps (the overlap window), and the
 * key listing reconciliation reads.
 */
class ResoCatchUpTest {
    private static final TenantId TENANT = TenantId.of("acme");
    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    private ResoFixture reso;

    @BeforeEach
    void start() throws Exception {
        reso = new ResoFixture();
        reso.server.load(ResoServer.generate(60, 4, T0)); // timestamps T0 .. T0+14s
        reso.server.pageSize = 10;
        reso.credentials(TENANT, "crmls", ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
    }

    @AfterEach
    void stop() {
        reso.close();
    }

    /** Pulls until caught up; returns the checkpoint and adds every key delivered to {@code keys}. */
    private static FeedCheckpoint pullToEnd(ListingFeed feed, FeedCheckpoint from, int max, List<String> keys) {
        FeedCheckpoint at = from;
        for (int i = 0; i < 1_000; i++) {
            FeedBatch batch = feed.pull(at, max);
            batch.records().forEach(r -> keys.add(r.key().orElseThrow()));
            at = batch.checkpoint();
            if (batch.caughtUp()) {
                return at;
            }
        }
        throw new AssertionError("not caught up");
    }

    @Test
    void aRecordCommittedLateWithAnOlderTimestampIsReadOnTheNextPull() {
        List<String> first = new ArrayList<>();
        FeedCheckpoint caughtUp;
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            caughtUp = pullToEnd(feed, FeedCheckpoint.START, 25, first);
        }
        assertThat(first).hasSize(60).doesNotHaveDuplicates();
        assertThat(caughtUp.value()).startsWith("reso3:");

        // The source commits a listing whose ModificationTimestamp (T0+3s) is older than the checkpoint (T0+14s).
        reso.server.add(ResoServer.row("LATE-1", T0.plusSeconds(3), 9_001));

        List<String> withoutWindow = new ArrayList<>();
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of("overlap", "PT0S"))) {
            pullToEnd(feed, caughtUp, 25, withoutWindow);
        }
        assertThat(withoutWindow).as("a keyset pull from the checkpoint alone never sees it").isEmpty();

        List<String> next = new ArrayList<>();
        FeedCheckpoint after;
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            after = pullToEnd(feed, caughtUp, 25, next);
        }
        assertThat(next).contains("LATE-1").doesNotHaveDuplicates();
        assertThat(after.value()).startsWith("reso3:").endsWith("|L0000059");
        // Re-read (and harmless, as the upserts go by key and timestamp): the window, T0+14s-5min .. now: all of them.
        assertThat(next).hasSize(61);
    }

    @Test
    void theWindowIsReadOnlyOnceCaughtUpAndOnlyAsFarBackAsTheOverlap() {
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of("overlap", "PT5S"))) {
            FeedBatch part = feed.pull(FeedCheckpoint.START, 20);
            assertThat(part.caughtUp()).isFalse();
            assertThat(part.checkpoint().value()).startsWith("reso2:");
            Set<String> seen = new HashSet<>();
            part.records().forEach(r -> seen.add(r.key().orElseThrow()));
            // mid-sweep: the next pull goes on exactly after the last record, no overlap
            FeedBatch more = feed.pull(part.checkpoint(), 20);
            more.records().forEach(r -> assertThat(seen.add(r.key().orElseThrow())).as("again: %s", r.key()).isTrue());

            List<String> rest = new ArrayList<>();
            FeedCheckpoint caughtUp = pullToEnd(feed, more.checkpoint(), 20, rest);
            reso.server.add(ResoServer.row("LATE-NEAR", T0.plusSeconds(10), 9_002)); // within 5 s of T0+14s
            reso.server.add(ResoServer.row("LATE-FAR", T0.plusSeconds(2), 9_003)); // 12 s behind: beyond the window
            List<String> again = new ArrayList<>();
            pullToEnd(feed, caughtUp, 20, again);
            assertThat(again).contains("LATE-NEAR").doesNotContain("LATE-FAR");
            // the window T0+9s .. : timestamps 9..14 hold 4 listings each, plus the late one
            assertThat(again).hasSize(6 * 4 + 1);
        }
    }

    @Test
    void aCheckpointOfTheOldFormatStillResumesExactlyAfterIt() {
        List<String> all = new ArrayList<>();
        FeedCheckpoint caughtUp;
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            caughtUp = pullToEnd(feed, FeedCheckpoint.START, 60, all);
            FeedCheckpoint old = new FeedCheckpoint("reso2:" + caughtUp.value().substring("reso3:".length()));
            FeedBatch fromOld = feed.pull(old, 10);
            assertThat(fromOld.records()).isEmpty();
            assertThat(fromOld.caughtUp()).isTrue();
            assertThat(fromOld.checkpoint().value()).as("now known to be caught up").isEqualTo(caughtUp.value());
            String position = caughtUp.value().substring(caughtUp.value().indexOf(':', "reso3:".length()) + 1);
            FeedBatch fromFirstVersion = feed.pull(new FeedCheckpoint("reso1:" + position), 10);
            assertThat(fromFirstVersion.records()).isEmpty();
            assertThat(fromFirstVersion.checkpoint().value()).as("a reso1 checkpoint, caught up")
                    .isEqualTo(caughtUp.value());
            List<String> window = new ArrayList<>();
            pullToEnd(feed, fromFirstVersion.checkpoint(), 25, window);
            assertThat(window).as("then the window behind it").hasSize(60);
            assertThatThrownBy(() -> feed.pull(new FeedCheckpoint("reso3:0123456789abcdef:" + T0 + "|L0000001"), 10))
                    .hasMessageContaining("another source");
        }
    }

    @Test
    void theSourceKeysAreListedPagedWithTheirKeysOnly() {
        reso.server.pageSize = 7;
        List<List<String>> pages = new ArrayList<>();
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            assertThat(feed.sourceKeys(9, pages::add)).isTrue();
        }
        Set<String> keys = new HashSet<>();
        pages.forEach(keys::addAll);
        assertThat(keys).hasSize(60).contains("L0000000", "L0000059");
        assertThat(pages).hasSizeGreaterThan(60 / 9);
        assertThat(reso.server.queries).filteredOn(q -> q.contains("orderby=ListingKey"))
                .allMatch(q -> q.contains("select=ListingKey") && !q.contains("ListPrice"));
    }
}
