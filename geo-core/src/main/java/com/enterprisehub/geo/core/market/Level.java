package com.enterprisehub.geo.core.market;

/** An ordinal rating, used for a market's regulatory complexity and its level of competition. */
public enum Level {
    LOW,
    MEDIUM,
    HIGH,
    VERY_HIGH
}
