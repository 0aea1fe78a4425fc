package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.cloud.local.LocalCloud;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** A RESO server on loopback, a local cloud's secret store holding tenants' credentials, and feeds opened on them. */
final class ResoFixture implements AutoCloseable {
    static final String CLIENT_ID = "geo-client";
    static final String CLIENT_SECRET = "s3cret-Value-9f2e";
    final ResoServer server;
    final SecretStore secrets;
    private final LocalCloud cloud;

    ResoFixture() throws IOException {
        server = new ResoServer(CLIENT_ID, CLIENT_SECRET);
        Path dir = Files.createTempDirectory("geo-mls-cloud");
        cloud = LocalCloud.open(dir, Set.of(DeploymentRegion.US_WEST));
        secrets = cloud.requireRegion(DeploymentRegion.US_WEST).secrets();
    }

    /** The local cloud whose region US_WEST holds the secrets. */
    LocalCloud cloud() {
        return cloud;
    }

    /** Stores {@code tenant}'s credentials for {@code feedId}. */
    void credentials(TenantId tenant, String feedId, String clientId, String clientSecret) {
        FeedSubscription s = new FeedSubscription(tenant, feedId, Listings.USD);
        secrets.put(s.secretPrefix() + "/client-id", clientId);
        secrets.put(s.secretPrefix() + "/client-secret", clientSecret);
    }

    /** A feed of {@code tenant}, selected by name through the SDK's one discovery path. */
    ListingFeed open(TenantId tenant, String feedId, Map<String, String> extra) {
        return open(tenant, feedId, extra, java.time.Clock.systemUTC());
    }

    /** A feed of {@code tenant} whose machine clock is {@code clock}. */
    ListingFeed open(TenantId tenant, String feedId, Map<String, String> extra, java.time.Clock clock) {
        ListingFeedProvider provider = Providers.fromClassPath().select(ListingFeedProvider.class, "reso-web-api");
        ProviderContext.Builder context = ProviderContext.builder()
                .setting("service-url", server.serviceUrl().toString())
                .setting("token-url", server.tokenUrl().toString()).setting("max-retry-wait", "PT5S")
                .object(SecretStore.class, secrets).clock(clock);
        extra.forEach(context::setting);
        return provider.open(new FeedSubscription(tenant, feedId, Listings.USD), context.build());
    }

    @Override
    public void close() {
        server.close();
        cloud.close();
    }
}
