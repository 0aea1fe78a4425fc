package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.market.MlsIntegration;

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

    /** The secret a feed's credentials are expected in (the host stores them). */
    static String credentialsSecret(MlsIntegration feed) {
        return "mls/" + feed.id() + "/credentials";
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
