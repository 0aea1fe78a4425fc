package com.enterprisehub.geo.analytics;

/** Where a market stands on a metric compared with all other markets together. */
public enum Verdict {
    /** Significantly higher than the other markets together (after the multiple-comparison correction). */
    TOP,
    /** No significant difference from the other markets together. */
    IN_LINE,
    /** Significantly lower than the other markets together. */
    UNDERPERFORMING,
    /** Too little data for the test's normal approximation: no verdict is given. */
    INSUFFICIENT_DATA
}
