package com.enterprisehub.geo.models;

/** How a {@link LocalizationStudy} builds the localized model it compares with the global one. */
public enum LocalizationStrategy {
    /**
     * One model per market, retrained on that market's rows alone with {@link FeatureSet#LOCALIZED} features. It can
     * learn drivers that work differently in the market, but sees less data than the global model.
     */
    RETRAIN_PER_MARKET,
    /**
     * One model on every market's rows with {@link FeatureSet#LOCALIZED} features: the global model with market,
     * jurisdiction, city and local-season effects. It shares what markets have in common and learns their levels;
     * a driver that works differently in one market is learned only as far as the trees split on the market.
     */
    MARKET_EFFECTS
}
