package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.List;
import java.util.Map;

/**
 * A scored expansion candidate.
 *
 * @param market the market
 * @param rank its rank, 1 for the best; candidates with equal scores share a rank
 * @param score its weighted score in [0, 1]
 * @param normalized each criterion it has, normalized to [0, 1] over the candidates (1 is best)
 * @param missing the weighted criteria its catalog entry lacks
 * @param coverage the share of the total weight it was scored on (1 when nothing is missing)
 * @param bestRank its best rank over the sensitivity cases (and the base case)
 * @param worstRank its worst rank over the sensitivity cases (and the base case)
 */
public record ExpansionCandidate(MarketId market, int rank, double score, Map<ExpansionCriterion, Double> normalized,
        List<ExpansionCriterion> missing, double coverage, int bestRank, int worstRank) {
    public ExpansionCandidate {
        normalized = Map.copyOf(normalized);
        missing = List.copyOf(missing);
    }
}
