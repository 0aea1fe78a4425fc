package com.enterprisehub.geo.analytics;

/**
 * What an expansion candidate is scored on, each from the market catalog. Benefit criteria score higher
 * when larger, cost criteria when smaller.
 */
public enum ExpansionCriterion {
    /** The yearly value of the market's real-estate transactions, in the reference currency. Benefit. */
    MARKET_SIZE(true),
    /** How many real-estate professionals the market holds as potential customers. Benefit. */
    TARGET_CUSTOMERS(true),
    /** The midpoint of the market's expected revenue range, in the reference currency. Benefit. */
    REVENUE_POTENTIAL(true),
    /** How demanding its regulation is (LOW 0, MEDIUM 1, HIGH 2, VERY_HIGH 3). Cost. */
    REGULATORY_COMPLEXITY(false),
    /** How crowded it is with competing products (LOW 0 ... VERY_HIGH 3). Cost. */
    COMPETITION(false);

    private final boolean benefit;

    ExpansionCriterion(boolean benefit) {
        this.benefit = benefit;
    }

    /** Whether more is better. */
    public boolean isBenefit() {
        return benefit;
    }
}
