package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.market.MlsIntegration;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spi.listing.FeedSecrets;
import com.enterprisehub.geo.spi.listing.ListingFeedProvider;
import java.util.List;

/**
 * Where a deployment puts a market's things in its region — object keys, secret names, the master key's alias —
 * for the steps that write them, the readiness assessment and the go-live checklist that look for them. Stored:
 * never change them. Stateless.
 */
final class MarketLayout {
    private MarketLayout() {
    }

    static String prefix(MarketId market) {
        return "markets/" + market.value() + "/";
    }

    static String bundle(MarketId market, String name) {
        return prefix(market) + "l10n/messages_" + name + ".json";
    }

    static String coverage(MarketId market) {
        return prefix(market) + "l10n/coverage.json";
    }

    static String complianceReport(MarketId market) {
        return prefix(market) + "compliance/report.json";
    }

    static String feed(MarketId market, MlsIntegration feed) {
        return prefix(market) + "mls/" + feed.id() + ".json";
    }

    /**
     * Where a feed's shared credentials are: {@code mls/<feed>}, {@link FeedSecrets#feedPrefix} — what every feed
     * reads for a tenant without its own ({@code mls/<feed>/<tenant>}). One naming, defined in geo-spi.
     */
    static String feedCredentials(MlsIntegration feed) {
        return FeedSecrets.feedPrefix(feed.id());
    }

    /**
     * The providers on the class path that read {@code feed}'s protocol, highest priority first (empty: none, and no
     * tenant's listings of it will sync).
     */
    static List<ListingFeedProvider> feedProviders(MlsIntegration feed) {
        return Providers.fromClassPath().all(ListingFeedProvider.class).stream()
                .filter(p -> p.protocol() == feed.protocol()).toList();
    }

    /**
     * The secret names a feed reads below a {@link FeedSecrets} place: its provider's, else the standard ones of its
     * protocol (the RESO Web API's client id and secret).
     */
    static List<String> credentialNames(MlsIntegration feed, List<ListingFeedProvider> providers) {
        return providers.isEmpty() ? FeedSecrets.standardNames(feed.protocol()) : providers.get(0).secretNames();
    }

    /**
     * What is wrong with the feed's shared credentials in {@code secrets}, checked as the feed checks them before
     * reading ({@link FeedSecrets#check}: every name present, no blank value, no stray spaces or line breaks);
     * empty when nothing is.
     */
    static List<String> credentialProblems(MlsIntegration feed, List<String> names, SecretStore secrets) {
        return FeedSecrets.check(secrets, feedCredentials(feed), names);
    }

    /** The alias of the market's master key. */
    static String keyAlias(MarketId market) {
        return "market-" + market.value();
    }

    /** The context the market's master key wraps under. */
    static String keyContext(MarketId market) {
        return "market:" + market;
    }
}
