package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.List;
import java.util.Map;

/**
 * Expansion candidates scored from catalog data, with a sensitivity analysis of the weights.
 *
 * @param ranked the scored candidates, best first
 * @param notScored candidates left unscored, with what they lack (only with {@link MissingValues#EXCLUDE})
 * @param weights the weights used, normalized to sum to 1
 * @param sensitivity the ranking with each weighted criterion's weight at 80% and 120%
 * @param method how values were normalized and combined, in words
 */
public record ExpansionReport(List<ExpansionCandidate> ranked, Map<MarketId, List<ExpansionCriterion>> notScored,
        Map<ExpansionCriterion, Double> weights, List<SensitivityCase> sensitivity, String method) {
    public ExpansionReport {
        ranked = List.copyOf(ranked);
        notScored = Map.copyOf(notScored);
        weights = Map.copyOf(weights);
        sensitivity = List.copyOf(sensitivity);
    }

    /** Whether the first candidate stays first in every sensitivity case. */
    public boolean topIsRobust() {
        return sensitivity.stream().noneMatch(SensitivityCase::topChanged);
    }
}
