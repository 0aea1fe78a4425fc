package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.List;

/**
 * The ranking when one criterion's weight is multiplied by a factor (0.8 or 1.2 for the ±20% analysis),
 * the other weights unchanged.
 *
 * @param criterion the criterion whose weight changed
 * @param factor the factor applied to it
 * @param ranking the candidates, best first
 * @param moved how many candidates changed rank compared with the base case
 * @param largestShift the largest change of rank of any candidate
 * @param topChanged whether the first candidate differs from the base case's
 */
public record SensitivityCase(ExpansionCriterion criterion, double factor, List<MarketId> ranking, int moved,
        int largestShift, boolean topChanged) {
    public SensitivityCase {
        ranking = List.copyOf(ranking);
    }
}
