package com.enterprisehub.geo.models;

import com.enterprisehub.geo.analytics.Proportion;
import java.util.Currency;

/**
 * A valuation model on one market's held-out sales.
 *
 * @param rows held-out sales
 * @param currency the market's currency, in which the absolute error is measured
 * @param mae the mean absolute error of the estimate, in {@code currency}, 95% bootstrap interval
 * @param mape the mean absolute percentage error (0.1 is 10%), 95% bootstrap interval
 * @param coverage the share of sale prices inside the prediction interval, with its 95% Wilson interval
 * @param intervalLevel the coverage the interval was built for
 */
public record ValuationMetrics(int rows, Currency currency, Estimate mae, Estimate mape, Proportion coverage,
        double intervalLevel) implements Metrics {
}
