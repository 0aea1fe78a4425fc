package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One market's verdict on one metric.
 *
 * @param market the market
 * @param verdict its verdict
 * @param value its own proportion, when it has any trials
 * @param restEstimate the proportion of all other markets together, when they have trials
 * @param pValue the two-sided p-value of its test against the rest, when the test was run
 * @param adjustedPValue that p-value after Holm's correction over the markets tested, when run
 * @param explanation why the verdict is what it is, in a sentence
 */
public record MarketRanking(MarketId market, Verdict verdict, Optional<Proportion> value, OptionalDouble restEstimate,
        OptionalDouble pValue, OptionalDouble adjustedPValue, String explanation) {
}
