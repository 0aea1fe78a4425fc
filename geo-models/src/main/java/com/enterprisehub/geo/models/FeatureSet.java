package com.enterprisehub.geo.models;

/**
 * Which features a model reads (see {@link FeatureEncoder} for the list).
 */
public enum FeatureSet {
    /**
     * What one model for every market can read: amounts converted to the common currency, areas in square metres,
     * the transfer tax as a share of the budget, and the calendar month (the same month everywhere, so seasons are
     * wrong in the southern hemisphere).
     */
    GLOBAL,
    /**
     * {@link #GLOBAL}'s features with the calendar month replaced by the local season (shifted by half a year in the
     * southern hemisphere), plus the market, jurisdiction and city as indicator features.
     */
    LOCALIZED
}
