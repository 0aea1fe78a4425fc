package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.listing.FeedBatch;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The RESO Web API feed against the Olingo server: faults, credentials, settings. */
class ResoWebApiTest {
    private static final TenantId TENANT = TenantId.of("acme");
    private ResoFixture reso;

    @BeforeEach
    void start() throws Exception {
        reso = new ResoFixture();
        reso.server.load(ResoServer.generate(60, 4, Instant.parse("2026-05-01T00:00:00Z")));
        reso.server.pageSize = 10;
        reso.credentials(TENANT, "crmls", ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
    }

    @AfterEach
    void stop() {
        reso.close();
    }

    private static Set<String> pullAll(ListingFeed feed, int max) {
        Set<String> keys = new HashSet<>();
        FeedCheckpoint at = FeedCheckpoint.START;
        for (int i = 0; i < 1_000; i++) {
            FeedBatch batch = feed.pull(at, max);
            for (ListingRecord r : batch.records()) {
                assertThat(keys.add(r.key().orElseThrow())).as("first delivery of %s", r.key()).isTrue();
            }
            at = batch.checkpoint();
            if (batch.caughtUp()) {
                return keys;
            }
        }
        throw new AssertionError("not caught up");
    }

    @Test
    void throttlingAndUnavailabilityAreWaitedOutAndNothingIsLost() {
        reso.server.tooManyEvery = 3;
        reso.server.unavailableEvery = 5;
        reso.server.retryAfter = "1";
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            assertThat(pullAll(feed, 25)).hasSize(60);
        }
        assertThat(reso.server.throttled.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void retriesAreBoundedAndTheErrorSaysSo() {
        reso.server.tooManyEvery = 1;
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of("max-retries", "2"))) {
            assertThatThrownBy(() -> feed.pull(FeedCheckpoint.START, 10)).isInstanceOf(ListingFeedException.class)
                    .hasMessageContaining("HTTP 429 after 3 attempts");
        }
        assertThat(reso.server.throttled.get()).isEqualTo(3);
    }

    @Test
    void aTokenThatExpiresMidRunIsRenewed() {
        reso.server.tokenUses = 2;
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            assertThat(pullAll(feed, 7)).hasSize(60);
        }
        assertThat(reso.server.expired.get()).as("401s served").isGreaterThan(3);
        assertThat(reso.server.tokensIssued.get()).isEqualTo(reso.server.expired.get() + 1);
    }

    @Test
    void aShortTokenLifetimeIsRenewedBeforeItRunsOut() throws Exception {
        reso.server.expiresIn = 1;
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            FeedBatch first = feed.pull(FeedCheckpoint.START, 5);
            Thread.sleep(1_000);
            feed.pull(first.checkpoint(), 5);
        }
        assertThat(reso.server.tokensIssued.get()).isEqualTo(2);
        assertThat(reso.server.expired.get()).as("no request was sent with a stale token").isZero();
    }

    @Test
    void aRetryAfterDateIsReadAgainstTheServersClockNotOurs() {
        // Our clock is an hour behind the server's: read against our clock, "2 s from now" would be an hour.
        java.time.Clock behind = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(-1));
        reso.server.retryAfter = ResoServer.serverDatePlus(2);
        reso.server.tooManyEvery = 1_000_000;
        reso.server.dataRequests.set(999_999); // the next request is throttled
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of("max-retry-wait", "PT10M"), behind)) {
                assertThat(feed.pull(FeedCheckpoint.START, 5).records()).hasSize(5);
            }
        });
        assertThat(reso.server.throttled.get()).isEqualTo(1);
    }

    @Test
    void theQueriesFollowTheRESOReplicationPattern() {
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            FeedBatch first = feed.pull(FeedCheckpoint.START, 6);
            // 4 listings per timestamp: the 6th shares its timestamp with the 5th, 7th and 8th.
            FeedBatch second = feed.pull(first.checkpoint(), 6);
            assertThat(second.records().get(0).key()).contains("L0000006");
            List<String> keys = new ArrayList<>();
            first.records().forEach(r -> keys.add(r.key().orElseThrow()));
            second.records().forEach(r -> keys.add(r.key().orElseThrow()));
            assertThat(keys).doesNotHaveDuplicates().hasSize(12);
        }
        List<String> queries = List.copyOf(reso.server.queries);
        assertThat(queries.get(0)).contains("$orderby=ModificationTimestamp%20asc%2CListingKey%20asc")
                .contains("$top=6").contains("$select=ListingKey%2C").doesNotContain("$filter");
        assertThat(queries.get(1)).contains("$filter=ModificationTimestamp%20gt%202026-05-01T00%3A00%3A01Z%20or%20"
                + "%28ModificationTimestamp%20eq%202026-05-01T00%3A00%3A01Z%20and%20ListingKey%20gt%20%27L0000005%27%29");
    }

    @Test
    void serverPagesAreFollowedWithinOnePullByKeysetQueries() {
        reso.server.pageSize = 4;
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            FeedBatch batch = feed.pull(FeedCheckpoint.START, 15);
            assertThat(batch.records()).hasSize(15);
            assertThat(batch.caughtUp()).isFalse();
        }
        assertThat(reso.server.queries).hasSize(4);
        assertThat(reso.server.queries.get(1)).doesNotContain("skiptoken").contains("$top=11")
                .contains("ListingKey%20gt%20%27L0000003%27");
    }

    @Test
    void aListingChangedWhilePagingLosesNoOtherListing() {
        // An offset-based next link skips the record that slides into the moved listing's place.
        reso.server.afterPage = n -> {
            if (n == 1) {
                reso.server.modify("L0000002", Instant.parse("2026-06-01T00:00:00Z"), Map.of("ListPrice",
                        java.math.BigDecimal.valueOf(123_456)));
            }
        };
        Set<String> keys = new HashSet<>();
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            FeedCheckpoint at = FeedCheckpoint.START;
            for (int i = 0; i < 100; i++) {
                FeedBatch batch = feed.pull(at, 25);
                batch.records().forEach(r -> keys.add(r.key().orElseThrow()));
                at = batch.checkpoint();
                if (batch.caughtUp()) {
                    break;
                }
            }
        }
        assertThat(keys).hasSize(60);
    }

    @Test
    void aPageOutOfOrderIsRefusedAndTheCheckpointDoesNotMove() {
        reso.server.swapFirstTwo = true;
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            assertThatThrownBy(() -> feed.pull(FeedCheckpoint.START, 5)).isInstanceOf(ListingFeedException.class)
                    .hasMessageContaining("out of order");
        }
    }

    @Test
    void anAnswerLargerThanTheCapIsRefused() {
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of("max-response-size", "2000"))) {
            assertThatThrownBy(() -> feed.pull(FeedCheckpoint.START, 10)).isInstanceOf(ListingFeedException.class)
                    .hasMessageContaining("larger than 2000 bytes");
        }
    }

    @Test
    void aBodyThatStallsIsCutAtTheRequestTimeout() {
        reso.server.stallBodyMillis = 4_000;
        long start = System.nanoTime();
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of("request-timeout", "PT0.5S", "max-retries", "0"))) {
            assertThatThrownBy(() -> feed.pull(FeedCheckpoint.START, 10)).isInstanceOf(ListingFeedException.class)
                    .hasMessageContaining("could not be reached");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3_500));
    }

    @Test
    void waitsAndTimeoutsHaveUpperBounds() {
        assertThatThrownBy(() -> reso.open(TENANT, "crmls", Map.of("max-retry-wait", "PT2H")))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("max-retry-wait");
        assertThatThrownBy(() -> reso.open(TENANT, "crmls", Map.of("min-request-interval", "PT5M")))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("min-request-interval");
    }

    @Test
    void aCheckpointOfAnotherServerIsRefused() throws Exception {
        FeedCheckpoint there;
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            there = feed.pull(FeedCheckpoint.START, 5).checkpoint();
        }
        try (ResoServer other = new ResoServer(ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
                ListingFeed feed = reso.open(TENANT, "crmls", Map.of("service-url", other.serviceUrl().toString(),
                        "token-url", other.tokenUrl().toString()))) {
            other.load(ResoServer.generate(10, 1, Instant.parse("2026-05-01T00:00:00Z")));
            assertThatThrownBy(() -> feed.pull(there, 5)).isInstanceOf(GeoValidationException.class)
                    .hasMessageContaining("another source");
        }
    }

    @Test
    void credentialsComeFromTheSecretStoreAndAreNeverShown() {
        TenantId other = TenantId.of("nobody");
        assertThatThrownBy(() -> reso.open(other, "crmls", Map.of())).isInstanceOf(ListingFeedException.class)
                .hasMessageContaining("mls/crmls/nobody/client-id");
        reso.credentials(other, "crmls", "geo-client", "wrong-secret-4411");
        try (ListingFeed feed = reso.open(other, "crmls", Map.of())) {
            assertThatThrownBy(feed::check).isInstanceOf(ListingFeedException.class)
                    .hasMessageContaining("refused the client credentials")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-secret-4411"));
            assertThat(feed.toString()).doesNotContain("wrong-secret-4411").doesNotContain("geo-client");
        }
    }

    @Test
    void mediaAreExpandedWhenAskedFor() {
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of("expand-media", "true"))) {
            List<ListingRecord> records = feed.pull(FeedCheckpoint.START, 3).records();
            com.enterprisehub.geo.spi.listing.Listing first = ((ListingRecord.Upsert) records.get(0)).listing();
            assertThat(first.media()).extracting(m -> m.mediaUrl().toString(), m -> m.order()).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("https://photos.example.com/L0000000/0.jpg", 0),
                    org.assertj.core.groups.Tuple.tuple("https://photos.example.com/L0000000/1.jpg", 1));
        }
        assertThat(reso.server.queries.get(0)).contains("$expand=Media%28%24select%3DMediaKey%2CMediaURL%2COrder%29");
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of())) {
            ListingRecord first = feed.pull(FeedCheckpoint.START, 1).records().get(0);
            assertThat(((ListingRecord.Upsert) first).listing().media()).as("not asked for").isEmpty();
        }
    }

    @Test
    void theFeedsRateLimitSpacesItsRequests() {
        reso.server.pageSize = 5;
        try (ListingFeed feed = reso.open(TENANT, "crmls", Map.of("min-request-interval", "PT0.2S"))) {
            assertThat(feed.pull(FeedCheckpoint.START, 20).records()).hasSize(20);
        }
        List<Long> at = List.copyOf(reso.server.arrivals);
        assertThat(at).hasSize(4);
        // 3 gaps of at least 200 ms measured where the client sends; arrival jitter allowed for.
        assertThat(Duration.ofNanos(at.get(3) - at.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void plainHttpBeyondLoopbackAndUnknownSettingsAreRefused() {
        assertThatThrownBy(() -> reso.open(TENANT, "crmls", Map.of("service-url", "http://mls.example.com/odata")))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("must be an https URL");
        assertThatThrownBy(() -> reso.open(TENANT, "crmls", Map.of("page-sise", "10")))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("page-sise");
        try (ListingFeed feed = reso.open(TENANT, "crmls",
                Map.of("service-url", "https://mls.example.com/odata"))) {
            assertThat(feed.feedId()).isEqualTo("crmls"); // opening sends nothing
        }
    }
}
