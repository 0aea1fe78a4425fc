package com.enterprisehub.geo.analytics.internal;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Tests and intervals for proportions: Wilson's score interval, the pooled two-proportion z-test,
 * Newcombe's hybrid score interval for a difference, and Holm's step-down adjustment.
 */
public final class Proportions {
    private Proportions() {
    }

    /** Wilson's score interval {lower, upper} for {@code successes} of {@code trials} at critical value z. */
    public static double[] wilson(long successes, long trials, double z) {
        if (trials <= 0) {
            throw new IllegalArgumentException("trials must be positive");
        }
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new double[] {Math.max(0.0, centre - half), Math.min(1.0, centre + half)};
    }

    /**
     * The pooled two-proportion z statistic for x1/n1 against x2/n2 (positive when the first is higher);
     * 0 when both groups are all successes or all failures.
     */
    public static double zStatistic(long x1, long n1, long x2, long n2) {
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        double pooled = (double) (x1 + x2) / (n1 + n2);
        double variance = pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2);
        return variance == 0 ? 0.0 : (p1 - p2) / Math.sqrt(variance);
    }

    /**
     * Whether the normal approximation behind the z-test holds: under the pooled proportion each group
     * expects at least {@code minimumExpected} successes and as many failures.
     */
    public static boolean approximationHolds(long x1, long n1, long x2, long n2, double minimumExpected) {
        if (n1 <= 0 || n2 <= 0) {
            return false;
        }
        double pooled = (double) (x1 + x2) / (n1 + n2);
        double smallest = Math.min(pooled, 1 - pooled) * Math.min(n1, n2);
        return smallest >= minimumExpected;
    }

    /**
     * Newcombe's hybrid score interval (his method 10, Statistics in Medicine 17:873-890, 1998) for
     * p1 - p2, from each group's Wilson interval at critical value z: {lower, upper}.
     */
    public static double[] newcombeDifference(long x1, long n1, long x2, long n2, double z) {
        double p1 = (double) x1 / n1;
        double p2 = (double) x2 / n2;
        double[] w1 = wilson(x1, n1, z);
        double[] w2 = wilson(x2, n2, z);
        double d = p1 - p2;
        double lower = d - Math.sqrt(sq(p1 - w1[0]) + sq(w2[1] - p2));
        double upper = d + Math.sqrt(sq(w1[1] - p1) + sq(p2 - w2[0]));
        return new double[] {Math.max(-1.0, lower), Math.min(1.0, upper)};
    }

    /**
     * Holm's step-down adjusted p-values (Scand. J. Statist. 6:65-70, 1979): reject hypothesis i at
     * family-wise level alpha when {@code adjusted[i] <= alpha}. Same order as the input. The public, validated
     * entry point is {@code Significance.holm}; this is its one implementation.
     */
    public static double[] holm(double[] pValues) {
        int m = pValues.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        double[] adjusted = new double[m];
        double running = 0.0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1.0, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    private static double sq(double v) {
        return v * v;
    }
}
