package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MlsIntegration;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import com.enterprisehub.geo.spi.listing.ListingFeedProvider;
import java.util.List;
import java.util.Objects;

/**
 * Opens a market's MLS integration for a tenant with the provider of its protocol, and checks it can be read: what a
 * market's readiness step calls.
 *
 * <pre>{@code
 * ListingFeeds.check(Providers.fromClassPath(), market, market.mlsIntegrations().get(0), tenant.id(),
 *         ProviderContext.builder().setting("service-url", ...).setting("token-url", ...)
 *                 .object(SecretStore.class, region.secrets()).build());
 * }</pre>
 * Stateless.
 */
public final class ListingFeeds {
    private ListingFeeds() {
    }

    /**
     * A feed of {@code integration} for {@code tenant}, opened by the highest-priority provider of its protocol, with
     * the market's currency. Nothing is sent yet.
     *
     * @throws ListingFeedException if no provider reads the protocol, or the credentials are missing
     * @throws GeoException if the integration is not the market's, or two providers of the protocol tie
     * @throws com.enterprisehub.geo.core.GeoValidationException if the context's settings are wrong for the provider
     */
    public static ListingFeed open(Providers providers, Market market, MlsIntegration integration, TenantId tenant,
            ProviderContext context) {
        Objects.requireNonNull(providers, "providers");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(context, "context");
        if (!market.mlsIntegrations().contains(Objects.requireNonNull(integration, "integration"))) {
            throw new GeoException("MLS integration '" + integration.id() + "' is not one of market '" + market.id()
                    + "'s; open the market's own integrations.");
        }
        List<ListingFeedProvider> candidates = providers.all(ListingFeedProvider.class).stream()
                .filter(p -> p.protocol() == integration.protocol()).toList();
        if (candidates.isEmpty()) {
            throw new ListingFeedException("No listing-feed provider reads " + integration.protocol() + " (MLS"
                    + " integration '" + integration.id() + "' of market '" + market.id() + "'). geo-mls provides"
                    + " reso-web-api and reaxml; add a provider of " + integration.protocol() + " to the class path.");
        }
        if (candidates.size() > 1 && candidates.get(0).priority() == candidates.get(1).priority()) {
            throw new GeoException("Providers '" + candidates.get(0).name() + "' and '" + candidates.get(1).name()
                    + "' both read " + integration.protocol() + " at priority " + candidates.get(0).priority()
                    + "; select one by name with Providers.select(ListingFeedProvider.class, name).");
        }
        return candidates.get(0).open(new FeedSubscription(tenant, integration.id(), market.currency()), context);
    }

    /**
     * As {@link #open(Providers, Market, MlsIntegration, TenantId, ProviderContext)}, for a tenant of the catalog:
     * refuses one served in another market (its listings would be priced in another currency and read under another
     * market's feed licence).
     *
     * @throws GeoException if the tenant is not served in {@code market}, and as the other {@code open}
     */
    public static ListingFeed open(Providers providers, Market market, MlsIntegration integration, Tenant tenant,
            ProviderContext context) {
        Objects.requireNonNull(market, "market");
        if (!Objects.requireNonNull(tenant, "tenant").market().equals(market.id())) {
            throw new GeoException("Tenant '" + tenant.id() + "' is served in market '" + tenant.market() + "', not '"
                    + market.id() + "'; open the feeds of its own market (MarketCatalog.require(tenant.market())).");
        }
        return open(providers, market, integration, tenant.id(), context);
    }

    /**
     * As {@link #check(Providers, Market, MlsIntegration, TenantId, ProviderContext)}, for a tenant of the catalog
     * (refused if served in another market).
     *
     * @throws GeoException if the tenant is not served in {@code market}, and as the other {@code check}
     */
    public static void check(Providers providers, Market market, MlsIntegration integration, Tenant tenant,
            ProviderContext context) {
        try (ListingFeed feed = open(providers, market, integration, tenant, context)) {
            feed.check();
        }
    }

    /**
     * Opens the feed and reads its first page (credentials accepted, the source answering), then closes it.
     *
     * @throws ListingFeedException if it cannot, saying why (never with a credential's value)
     * @throws com.enterprisehub.geo.core.GeoValidationException if the settings are wrong
     */
    public static void check(Providers providers, Market market, MlsIntegration integration, TenantId tenant,
            ProviderContext context) {
        try (ListingFeed feed = open(providers, market, integration, tenant, context)) {
            feed.check();
        }
    }
}
