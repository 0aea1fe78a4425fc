package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.analytics.internal.Proportions;

/**
 * A share of successes among trials (leads converted among leads created, probes up among probes) with
 * Wilson's score interval, which keeps its coverage for small counts and shares near 0 or 1.
 *
 * @param successes how many trials succeeded
 * @param trials how many trials there were, at least one
 * @param estimate {@code successes / trials}
 * @param lower the interval's lower limit
 * @param upper the interval's upper limit
 * @param confidence the interval's confidence level, for example 0.95
 */
public record Proportion(long successes, long trials, double estimate, double lower, double upper, double confidence) {
    public Proportion {
        check(successes, trials);
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1); got " + confidence + ".");
        }
    }

    /** {@code successes} of {@code trials} with a Wilson interval at {@code confidence}. */
    public static Proportion of(long successes, long trials, double confidence) {
        check(successes, trials);
        double[] interval = Proportions.wilson(successes, trials,
                Significance.normalQuantile(1 - (1 - confidence) / 2));
        return new Proportion(successes, trials, (double) successes / trials, interval[0], interval[1], confidence);
    }

    private static void check(long successes, long trials) {
        if (trials <= 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("Need 0 <= successes <= trials and trials > 0; got " + successes
                    + " of " + trials + ".");
        }
    }

    /** As "12.3% (11.8–12.9%, 95% CI, 123/1,000)". */
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.2f%% (%.2f–%.2f%%, %.0f%% CI, %,d/%,d)", 100 * estimate,
                100 * lower, 100 * upper, 100 * confidence, successes, trials);
    }
}
