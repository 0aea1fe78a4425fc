package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.Collections;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a {@link FeatureDrift} check found: per market, each feature's population stability index.
 *
 * @param task the task whose features were checked
 * @param set the feature set checked
 * @param threshold the index at which a feature counts as drifted
 * @param markets each market's result, by market
 */
public record DriftReport(ModelTask task, FeatureSet set, double threshold, Map<MarketId, MarketDrift> markets) {
    public DriftReport {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(set, "set");
        markets = Collections.unmodifiableMap(new TreeMap<>(markets));
    }

    /** The markets with at least one drifted feature: candidates for retraining and a new study. */
    public Set<MarketId> drifted() {
        return markets.values().stream().filter(m -> !m.drifted().isEmpty()).map(MarketDrift::market)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** A plain-text table, one line per market: rows, and the three least stable features with their index. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-7s %8s %8s  %-8s %s%n", "market", "training", "recent", "drifted",
                "least stable features (PSI)"));
        for (MarketDrift m : markets.values()) {
            String worst = m.insufficient().orElseGet(() -> m.features().stream()
                    .sorted(Comparator.comparingDouble(FeatureStability::psi).reversed()).limit(3)
                    .map(f -> String.format(Locale.ROOT, "%s %.3f", f.feature(), f.psi()))
                    .collect(Collectors.joining(", ")));
            sb.append(String.format(Locale.ROOT, "%-7s %8d %8d  %-8s %s%n", m.market(), m.trainingRows(),
                    m.recentRows(), m.insufficient().isPresent() ? "-" : String.valueOf(m.drifted().size()), worst));
        }
        return sb.toString();
    }
}
