package com.enterprisehub.geo.analytics;

/**
 * The rules recommendations come from. Each fires on figures of the report only; none uses a constant
 * score.
 */
public enum RecommendationRule {
    /**
     * A market's share of requests within the latency target has an upper confidence limit below 95%: its
     * 95th-percentile latency is above the target with that confidence. Fires once per market.
     */
    LATENCY_ABOVE_TARGET,
    /** A market's probes failed more often than its availability target allows (error budget overspent). */
    ERROR_BUDGET_OVERSPENT,
    /**
     * A market is {@link Verdict#UNDERPERFORMING} on conversion and at least one other market converts
     * significantly better than it: study the peer whose advantage has the highest lower limit.
     */
    LEARN_FROM_PEER,
    /**
     * A market has {@link Verdict#INSUFFICIENT_DATA} on a metric: the report says how many more trials it
     * needs before it can be ranked.
     */
    COLLECT_MORE_DATA
}
