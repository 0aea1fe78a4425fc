package com.enterprisehub.geo.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.cloud.local.LocalCloud;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.FeedProtocol;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.market.MlsIntegration;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spi.listing.FeedBatch;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.FeedSecrets;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedProvider;
import java.nio.file.Files;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The platform's MLS step checks the credentials where a feed reads them ({@link FeedSecrets}: the feed's shared
 * {@code mls/<feed>/client-id} and {@code client-secret}), with the feed's own checks of their values, on a local
 * cloud's real secret store.
 */
class MlsCredentialsTest {
    private static final MlsIntegration CRMLS = MarketCatalog.defaults().require(MarketId.of("us-ca")).mlsIntegrations()
            .stream().filter(f -> f.id().equals("crmls")).findFirst().orElseThrow();
    private LocalCloud cloud;
    private SecretStore secrets;

    @BeforeEach
    void open() throws Exception {
        cloud = LocalCloud.open(Files.createTempDirectory("geo-platform-mls"), Set.of(DeploymentRegion.US_WEST));
        secrets = cloud.requireRegion(DeploymentRegion.US_WEST).secrets();
    }

    @AfterEach
    void close() {
        cloud.close();
    }

    private static List<String> names() {
        return MarketLayout.credentialNames(CRMLS, List.of());
    }

    @Test
    void thePlatformChecksTheNamesEveryFeedReads() {
        assertThat(CRMLS.protocol()).isEqualTo(FeedProtocol.RESO_WEB_API);
        assertThat(names()).containsExactly("client-id", "client-secret");
        assertThat(MarketLayout.credentialProblems(CRMLS, names(), secrets)).containsExactly(
                "secret 'mls/crmls/client-id' is missing", "secret 'mls/crmls/client-secret' is missing");
        // The old market-level name is not what any feed reads: storing it satisfies nothing.
        secrets.put("mls/crmls/credentials", "geo-client:s3cret");
        assertThat(MarketLayout.credentialProblems(CRMLS, names(), secrets)).hasSize(2);

        secrets.put("mls/crmls/client-id", "geo-client");
        secrets.put("mls/crmls/client-secret", "s3cret-9f2e");
        assertThat(MarketLayout.credentialProblems(CRMLS, names(), secrets)).isEmpty();
        // ... and what the platform found is what a feed of any tenant without its own credentials reads.
        FeedSecrets.Found read = FeedSecrets.read(secrets, new FeedSubscription(TenantId.of("maple-homes"), "crmls",
                Currency.getInstance("USD")), names());
        assertThat(read.prefix()).isEqualTo(MarketLayout.feedCredentials(CRMLS)).isEqualTo("mls/crmls");
        assertThat(read.value("client-id")).isEqualTo("geo-client");
    }

    @Test
    void valuesAFeedWouldRefuseAreReportedWithoutTheirValue() {
        secrets.put("mls/crmls/client-id", "geo-client");
        secrets.put("mls/crmls/client-secret", "s3cret-9f2e\n"); // pasted with its line break
        assertThat(MarketLayout.credentialProblems(CRMLS, names(), secrets)).singleElement().asString()
                .contains("mls/crmls/client-secret", "line breaks").doesNotContain("s3cret");
        secrets.put("mls/crmls/client-secret", "   ");
        assertThat(MarketLayout.credentialProblems(CRMLS, names(), secrets)).singleElement().asString()
                .contains("blank");
    }

    @Test
    void aProvidersOwnNamesComeFirstAndAProtocolWithoutCredentialsNeedsNone() {
        ListingFeedProvider apiKey = new ListingFeedProvider() {
            @Override
            public String name() {
                return "api-key-reso";
            }

            @Override
            public FeedProtocol protocol() {
                return FeedProtocol.RESO_WEB_API;
            }

            @Override
            public List<String> secretNames() {
                return List.of("api-key");
            }

            @Override
            public ListingFeed open(FeedSubscription subscription, ProviderContext context) {
                return new ListingFeed() {
                    @Override
                    public FeedSubscription subscription() {
                        return subscription;
                    }

                    @Override
                    public FeedBatch pull(FeedCheckpoint after, int maxRecords) {
                        return new FeedBatch(List.of(), after, true);
                    }
                };
            }
        };
        assertThat(MarketLayout.credentialNames(CRMLS, List.of(apiKey))).containsExactly("api-key");
        assertThat(MarketLayout.credentialProblems(CRMLS, List.of("api-key"), secrets))
                .containsExactly("secret 'mls/crmls/api-key' is missing");

        MlsIntegration reaxml = MarketCatalog.defaults().require(MarketId.of("au")).mlsIntegrations().stream()
                .filter(f -> f.protocol() == FeedProtocol.REAXML).findFirst().orElseThrow();
        assertThat(MarketLayout.credentialNames(reaxml, List.of())).isEmpty();
        assertThat(MarketLayout.credentialProblems(reaxml, List.of(), secrets)).isEmpty();
        // geo-mls is not on this module's class path: the readiness step says no provider reads the protocol
        assertThat(MarketLayout.feedProviders(CRMLS)).isEmpty();
    }
}
