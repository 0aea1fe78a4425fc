package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * A property's estimated price with its prediction interval, in the market's currency, and the model that gave it.
 *
 * @param estimate the estimated price (whole units of the currency)
 * @param low the interval's lower end
 * @param high the interval's upper end
 * @param level the coverage the interval was built for (split-conformal; measured per market by the study)
 * @param market the market of the tenant it was valued for
 * @param modelVersion the version of the model ({@link ModelArtifact#version()}); record it with the estimate
 * @param localized whether the market's localized model gave it (else the global one)
 */
public record Valuation(MonetaryAmount estimate, MonetaryAmount low, MonetaryAmount high, double level,
        MarketId market, String modelVersion, boolean localized) {
    public Valuation {
        Objects.requireNonNull(estimate, "estimate");
        Objects.requireNonNull(low, "low");
        Objects.requireNonNull(high, "high");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(modelVersion, "modelVersion");
    }
}
