package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketId;

/**
 * A significant difference between two markets on one metric.
 *
 * @param metric the metric
 * @param better the market with the higher proportion
 * @param worse the market with the lower one
 * @param difference {@code better - worse}, in proportion units (0.031 is 3.1 percentage points)
 * @param lower the lower limit of the difference's simultaneous interval
 * @param upper its upper limit
 * @param confidence the simultaneous confidence of the intervals of all pairs compared on this metric
 *     (Bonferroni), for example 0.95
 * @param adjustedPValue the pair's p-value after Holm's correction over all pairs on this metric
 */
public record CrossMarketInsight(Metric metric, MarketId better, MarketId worse, double difference, double lower,
        double upper, double confidence, double adjustedPValue) {

    /** As "us-ca beats us-tx on conversion rate by 3.10 pp (1.20–5.00 pp, 95% simultaneous CI)". */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s beats %s on %s by %.2f pp (%.2f–%.2f pp, %.0f%% simultaneous CI)",
                better, worse, metric.label(), 100 * difference, 100 * lower, 100 * upper, 100 * confidence);
    }
}
