package com.enterprisehub.geo.analytics;

import java.time.Duration;

/**
 * The distribution of a duration (request latency, lead response time) from a histogram with two
 * significant digits: each percentile is within 1% of the exact one (HdrHistogram's value-equivalence
 * ranges); the mean is exact (from a sum kept beside the histogram).
 *
 * @param count how many values
 * @param mean their exact mean
 * @param p50 the median
 * @param p95 the 95th percentile
 * @param p99 the 99th percentile
 * @param max the largest value (to the histogram's precision)
 */
public record DurationSummary(long count, Duration mean, Duration p50, Duration p95, Duration p99, Duration max) {
}
