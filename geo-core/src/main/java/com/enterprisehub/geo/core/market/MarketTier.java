package com.enterprisehub.geo.core.market;

/** The expansion tier a market belongs to (the seed's grouping of markets by priority). */
public enum MarketTier {
    /** The largest US markets, entered first. */
    TIER_1,
    /** Growing US markets, entered second. */
    TIER_2,
    /** Markets outside the United States. */
    INTERNATIONAL,
    /** Markets under observation, not yet planned for entry. */
    EMERGING
}
