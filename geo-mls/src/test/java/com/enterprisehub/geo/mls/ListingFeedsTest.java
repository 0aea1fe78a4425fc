package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A market's configured feed checked the way its readiness step would: provider by protocol, first page read. */
class ListingFeedsTest {
    private static final MarketCatalog MARKETS = MarketCatalog.defaults();

    @Test
    void aMarketsRESOFeedIsCheckedWithTheTenantsCredentials() throws Exception {
        Market california = MARKETS.require(MarketId.of("us-ca"));
        try (ResoFixture reso = new ResoFixture()) {
            reso.server.load(ResoServer.generate(3, 1, Instant.parse("2026-01-01T00:00:00Z")));
            reso.credentials(TenantId.of("acme"), "crmls", ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
            reso.credentials(TenantId.of("bad"), "crmls", ResoFixture.CLIENT_ID, "wrong-one-123");
            ProviderContext context = ProviderContext.builder()
                    .setting("service-url", reso.server.serviceUrl().toString())
                    .setting("token-url", reso.server.tokenUrl().toString())
                    .object(SecretStore.class, reso.secrets).build();
            ListingFeeds.check(Providers.fromClassPath(), california, california.mlsIntegrations().get(0),
                    TenantId.of("acme"), context);
            assertThat(reso.server.dataRequests.get()).isEqualTo(1);
            try (ListingFeed feed = ListingFeeds.open(Providers.fromClassPath(), california,
                    california.mlsIntegrations().get(0), TenantId.of("acme"), context)) {
                assertThat(feed.subscription().currency().getCurrencyCode()).isEqualTo("USD");
            }
            assertThatThrownBy(() -> ListingFeeds.check(Providers.fromClassPath(), california,
                    california.mlsIntegrations().get(0), TenantId.of("bad"), context))
                    .isInstanceOf(ListingFeedException.class).hasMessageContaining("refused the client credentials");
        }
    }

    @Test
    void anAustralianREAXMLFeedIsReadWithTheMarketsCurrencyAndAPortalFeedHasNoProvider() throws Exception {
        Market australia = MARKETS.require(MarketId.of("au"));
        Path dir = ReaxmlFiles.directoryWithSamples();
        ProviderContext context = ProviderContext.builder().setting("directory", dir.toString()).build();
        ListingFeeds.check(Providers.fromClassPath(), australia, australia.mlsIntegrations().get(0),
                TenantId.of("harbour"), context);
        try (ListingFeed feed = ListingFeeds.open(Providers.fromClassPath(), australia,
                australia.mlsIntegrations().get(0), TenantId.of("harbour"), context)) {
            assertThat(feed.subscription().currency().getCurrencyCode()).isEqualTo("AUD");
        }
        Market uk = MARKETS.require(MarketId.of("gb"));
        assertThatThrownBy(() -> ListingFeeds.check(Providers.fromClassPath(), uk, uk.mlsIntegrations().get(0),
                TenantId.of("harbour"), ProviderContext.empty())).isInstanceOf(ListingFeedException.class)
                .hasMessageContaining("No listing-feed provider reads PORTAL_FEED");
        assertThatThrownBy(() -> ListingFeeds.check(Providers.fromClassPath(), uk, australia.mlsIntegrations().get(0),
                TenantId.of("harbour"), context)).isInstanceOf(GeoException.class)
                .hasMessageContaining("is not one of market 'gb'");
        assertThat(Files.list(dir).count()).isEqualTo(ReaxmlFiles.SAMPLES.size());
    }

    @Test
    void aTenantOfAnotherMarketIsRefused() throws Exception {
        Market australia = MARKETS.require(MarketId.of("au"));
        ProviderContext context = ProviderContext.builder()
                .setting("directory", ReaxmlFiles.directoryWithSamples().toString()).build();
        com.enterprisehub.geo.core.tenant.Tenant harbour = com.enterprisehub.geo.core.tenant.Tenant.builder("harbour")
                .market("au").organization("Harbour Realty").build();
        com.enterprisehub.geo.core.tenant.Tenant acme = com.enterprisehub.geo.core.tenant.Tenant.builder("acme")
                .market("us-ca").organization("Acme Homes").build();
        ListingFeeds.check(Providers.fromClassPath(), australia, australia.mlsIntegrations().get(0), harbour, context);
        assertThatThrownBy(() -> ListingFeeds.check(Providers.fromClassPath(), australia,
                australia.mlsIntegrations().get(0), acme, context)).isInstanceOf(GeoException.class)
                .hasMessageContaining("served in market 'us-ca', not 'au'");
    }

    @org.junit.jupiter.api.Test
    void aMissingMarketIsNamedAndAPlainDataSourceIsRefusedForListings() {
        Market australia = MARKETS.require(MarketId.of("au"));
        assertThatThrownBy(() -> ListingFeeds.open(Providers.fromClassPath(), null, australia.mlsIntegrations().get(0),
                TenantId.of("harbour"), ProviderContext.empty())).isInstanceOf(NullPointerException.class)
                .hasMessage("market");
        assertThatThrownBy(() -> ListingReplicator.builder().listings(new org.postgresql.ds.PGSimpleDataSource()))
                .isInstanceOf(com.enterprisehub.geo.core.GeoValidationException.class)
                .hasMessageContaining("TenantDataSource");
    }
}
