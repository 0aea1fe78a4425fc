package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.FeedSecrets;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the RESO feed reads its credentials ({@link FeedSecrets}): the tenant's own, else the feed's shared ones; a
 * tenant holding only part of its own never falls back; values are checked and never shown.
 */
class FeedSecretsTest {
    private ResoFixture reso;

    @BeforeEach
    void start() throws Exception {
        reso = new ResoFixture();
        reso.server.load(ResoServer.generate(5, 1, Instant.parse("2026-05-01T00:00:00Z")));
    }

    @AfterEach
    void stop() {
        reso.close();
    }

    private void shared(String clientId, String clientSecret) {
        reso.secrets.put("mls/crmls/client-id", clientId);
        reso.secrets.put("mls/crmls/client-secret", clientSecret);
    }

    @Test
    void aTenantWithoutItsOwnReadsTheFeedsAndOwnOnesComeFirst() {
        shared(ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
        try (ListingFeed feed = reso.open(TenantId.of("maple"), "crmls", Map.of())) {
            assertThat(feed.pull(FeedCheckpoint.START, 10).records()).hasSize(5);
        }
        // The tenant's own (here refused by the server) are used, not the feed's that would work.
        reso.credentials(TenantId.of("birch"), "crmls", ResoFixture.CLIENT_ID, "birch-own-secret-1");
        try (ListingFeed feed = reso.open(TenantId.of("birch"), "crmls", Map.of())) {
            assertThatThrownBy(feed::check).isInstanceOf(ListingFeedException.class)
                    .hasMessageContaining("mls/crmls/birch/client-secret").hasMessageNotContaining("birch-own-secret-1");
        }
    }

    @Test
    void aTenantHoldingPartOfItsOwnIsRefusedNotSilentlyGivenTheFeeds() {
        shared(ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
        reso.secrets.put("mls/crmls/cedar/client-id", "cedar-client");
        assertThatThrownBy(() -> reso.open(TenantId.of("cedar"), "crmls", Map.of()))
                .isInstanceOf(ListingFeedException.class)
                .hasMessageContaining("'mls/crmls/cedar/client-secret' is missing")
                .hasMessageContaining("the feed's are not read");
    }

    @Test
    void noCredentialsAnywhereOrAnUnusableValueIsRefusedNamingTheSecrets() {
        assertThatThrownBy(() -> reso.open(TenantId.of("dogwood"), "crmls", Map.of()))
                .isInstanceOf(ListingFeedException.class)
                .hasMessageContaining("'mls/crmls/dogwood/client-id'").hasMessageContaining("'mls/crmls/client-id'");
        shared(ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET + "\n");
        assertThatThrownBy(() -> reso.open(TenantId.of("dogwood"), "crmls", Map.of()))
                .isInstanceOf(ListingFeedException.class).hasMessageContaining("mls/crmls/client-secret")
                .hasMessageContaining("line breaks").hasMessageNotContaining(ResoFixture.CLIENT_SECRET);
        assertThat(FeedSecrets.problem("x", "ok-value")).isEmpty();
        assertThat(FeedSecrets.problem("x", "")).isPresent();
        assertThat(FeedSecrets.problem("x", "a\u0007b")).get().asString().contains("control");
        assertThat(FeedSecrets.problem("x", "a".repeat(4_097))).isPresent();
    }
}
