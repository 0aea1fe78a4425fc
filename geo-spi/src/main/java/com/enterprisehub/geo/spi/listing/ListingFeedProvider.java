package com.enterprisehub.geo.spi.listing;

import com.enterprisehub.geo.core.market.FeedProtocol;
import com.enterprisehub.geo.spi.GeoProvider;
import com.enterprisehub.geo.spi.ProviderContext;
import java.util.List;

/**
 * Opens {@link ListingFeed}s; found through {@link java.util.ServiceLoader} and chosen by name with
 * {@link com.enterprisehub.geo.spi.Providers}. geo-mls provides {@code reso-web-api} and {@code reaxml}.
 */
public interface ListingFeedProvider extends GeoProvider {

    /** The protocol of the feeds it reads (a market's {@code MlsIntegration.protocol()}). */
    FeedProtocol protocol();

    /**
     * A feed of {@code subscription}, configured by {@code context}'s settings (each provider documents what it
     * reads) and reading its credentials ({@link #secretNames()}) from the
     * {@link com.enterprisehub.geo.spi.cloud.SecretStore} given as {@code context.object(SecretStore.class)} where
     * {@link FeedSecrets#read} says: the tenant's own, else the feed's. Opening sends nothing;
     * {@link ListingFeed#check()} does.
     *
     * @throws com.enterprisehub.geo.core.GeoValidationException if a setting or object is missing or invalid
     * @throws ListingFeedException if the credentials are missing from the secret store
     */
    ListingFeed open(FeedSubscription subscription, ProviderContext context);

    /**
     * The names of the secrets it reads below a {@link FeedSecrets} place ({@code client-id}, {@code client-secret}):
     * what a platform checks before any feed is opened. Default: {@link FeedSecrets#standardNames} of its protocol.
     */
    default List<String> secretNames() {
        return FeedSecrets.standardNames(protocol());
    }
}
