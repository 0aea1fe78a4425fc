package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.GeoValidationException;
import java.util.List;

/**
 * The result of {@link Significance#holm(double, double...)}: for each hypothesis, in the order given, its p-value,
 * its Holm-adjusted p-value, the level its p-value was compared with in the step-down order, and whether it is
 * rejected ({@code adjusted <= alpha}). Immutable and thread-safe.
 *
 * @param alpha the family-wise error rate
 * @param pValues the p-values as given
 * @param adjustedPValues Holm's adjusted p-values: {@code max over ranks k <= r of min(1, (m - k) p_(k))} for the
 *     hypothesis of rank {@code r} (0-based, by increasing p); the smallest family-wise level at which it is rejected
 * @param levels the level {@code alpha / (m - r)} of the hypothesis' rank {@code r} in the step-down order (a
 *     hypothesis after the first non-rejection is not rejected even if its p-value is below its level)
 * @param rejected whether each hypothesis is rejected at family-wise level {@code alpha}
 */
public record HolmAdjustment(double alpha, List<Double> pValues, List<Double> adjustedPValues, List<Double> levels,
        List<Boolean> rejected) {
    public HolmAdjustment {
        Significance.checkAlpha(alpha);
        pValues = List.copyOf(pValues);
        adjustedPValues = List.copyOf(adjustedPValues);
        levels = List.copyOf(levels);
        rejected = List.copyOf(rejected);
        int m = pValues.size();
        if (adjustedPValues.size() != m || levels.size() != m || rejected.size() != m) {
            throw new GeoValidationException("A Holm adjustment needs as many adjusted p-values, levels and decisions"
                    + " as p-values (" + m + "); got " + adjustedPValues.size() + ", " + levels.size() + " and "
                    + rejected.size() + ". Build it with Significance.holm.");
        }
    }

    /** How many hypotheses there are. */
    public int size() {
        return pValues.size();
    }

    /** How many hypotheses are rejected. */
    public int rejectedCount() {
        return (int) rejected.stream().filter(Boolean::booleanValue).count();
    }
}
