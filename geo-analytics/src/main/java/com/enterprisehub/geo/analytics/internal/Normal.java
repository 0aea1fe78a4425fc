package com.enterprisehub.geo.analytics.internal;

/**
 * The standard normal distribution: tail probabilities and quantiles, accurate enough for p-values and
 * confidence limits (the tests compare both with Apache Commons Statistics). The public, validated entry points
 * are {@code Significance.normalQuantile}, {@code normalUpperTail} and {@code twoSidedPValue}; this is their one
 * implementation.
 */
public final class Normal {
    private static final double SQRT2 = Math.sqrt(2.0);

    private Normal() {
    }

    /** P(Z > z) for a standard normal Z; relative error below 1.2e-7 over the whole line. */
    public static double upperTail(double z) {
        return 0.5 * erfc(z / SQRT2);
    }

    /** Two-sided p-value of a z statistic: P(|Z| >= |z|). */
    public static double twoSidedP(double z) {
        return Math.min(1.0, erfc(Math.abs(z) / SQRT2));
    }

    /**
     * Complementary error function by the Chebyshev fit of Numerical Recipes (2nd ed., 6.2, {@code erfcc}),
     * fractional error below 1.2e-7 everywhere.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2.0 - ans;
    }

    /**
     * The z with {@code P(Z <= z) = p}, by Acklam's rational approximation (relative error below 1.15e-9).
     *
     * @throws IllegalArgumentException unless {@code 0 < p < 1}
     */
    public static double quantile(double p) {
        if (!(p > 0.0 && p < 1.0)) {
            throw new IllegalArgumentException("A probability strictly between 0 and 1 is needed; got " + p + ".");
        }
        final double pLow = 0.02425;
        if (p < pLow) {
            double q = Math.sqrt(-2 * Math.log(p));
            return tail(q);
        }
        if (p > 1 - pLow) {
            double q = Math.sqrt(-2 * Math.log1p(-p));
            return -tail(q);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
                + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
                / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
                + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);
    }

    private static double tail(double q) {
        return (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
                - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
                / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
                + 3.754408661907416e+00) * q + 1);
    }
}
