package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One market's feature drift between its training rows and its recent rows.
 *
 * @param market the market
 * @param trainingRows its training rows
 * @param recentRows its recent rows
 * @param features every feature's stability, in schema order (empty when {@code insufficient})
 * @param insufficient why the market was not checked, when it was not (too few rows on either side)
 */
public record MarketDrift(MarketId market, int trainingRows, int recentRows, List<FeatureStability> features,
        Optional<String> insufficient) {
    public MarketDrift {
        Objects.requireNonNull(market, "market");
        features = List.copyOf(features);
        Objects.requireNonNull(insufficient, "insufficient");
    }

    /** The features whose stability index reaches the threshold, largest first. */
    public List<FeatureStability> drifted() {
        return features.stream().filter(FeatureStability::drifted)
                .sorted((a, b) -> Double.compare(b.psi(), a.psi())).toList();
    }

    /** The stability of feature {@code name}, if it was checked. */
    public Optional<FeatureStability> feature(String name) {
        return features.stream().filter(f -> f.feature().equals(name)).findFirst();
    }
}
