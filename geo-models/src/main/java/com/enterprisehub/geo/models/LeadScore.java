package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.Objects;

/**
 * A lead's score and the model that gave it.
 *
 * @param probability the probability that the lead converts, in [0, 1]
 * @param market the market of the tenant it was scored for
 * @param modelVersion the version of the model that scored it ({@link ModelArtifact#version()}); record it with the
 *     score
 * @param localized whether the market's localized model scored it (else the global one)
 */
public record LeadScore(double probability, MarketId market, String modelVersion, boolean localized) {
    public LeadScore {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(modelVersion, "modelVersion");
    }
}
