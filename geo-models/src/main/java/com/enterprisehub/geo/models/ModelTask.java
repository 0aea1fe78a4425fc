package com.enterprisehub.geo.models;

/** What a model predicts. */
public enum ModelTask {
    /** The probability that a lead converts (a deal is closed with it); the model's output is that probability. */
    LEAD_SCORING,
    /**
     * A property's price: the model's output is the natural logarithm of the price in the artifact's currency, and the
     * artifact carries the interval's half-width on that scale ({@link ModelArtifact#interval()}).
     */
    VALUATION
}
