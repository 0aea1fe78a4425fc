package com.enterprisehub.geo.models;

/**
 * A measured value with its percentile-bootstrap confidence interval.
 *
 * @param value the value on the whole held-out set
 * @param lower the interval's lower limit
 * @param upper the interval's upper limit
 * @param confidence the interval's confidence level (for a lift: the simultaneous level over the markets judged)
 */
public record Estimate(double value, double lower, double upper, double confidence) {
    /** Whether the interval lies wholly above zero. */
    public boolean aboveZero() {
        return lower > 0;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.4f [%.4f, %.4f]", value, lower, upper);
    }
}
