package com.enterprisehub.geo.models;

/** A model's quality on one market's held-out rows. */
public sealed interface Metrics permits ScoringMetrics, ValuationMetrics {
    /** How many held-out rows it was measured on. */
    int rows();
}
