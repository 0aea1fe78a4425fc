package com.enterprisehub.geo.models;

/** What a study decided for a market. */
public enum Decision {
    /** The localized model is significantly better on the market's held-out data: serve it there. */
    ADOPT_LOCALIZED,
    /** The localized model is not significantly better (or is worse): keep serving the global one. */
    KEEP_GLOBAL,
    /** Too few rows (or too few of one class) to train or judge a localized model: keep the global one. */
    INSUFFICIENT_DATA
}
