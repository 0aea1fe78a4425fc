package com.enterprisehub.geo.models;

/**
 * The test behind a market's adoption decision: is the localized model's lift different from zero? The p-value is
 * the paired percentile bootstrap's, two-sided, {@code min(1, 2 (1 + b) / (B + 1))} where {@code b} is the number of
 * the {@code B} resampled lifts on the far side of zero (at or below it when the lift is positive); the adjusted
 * p-value is geo-analytics' Holm correction ({@code com.enterprisehub.geo.analytics.Significance#holm}) over the
 * markets judged. The localized model is adopted where {@code adjustedPValue <= alpha} and the lift is positive, so
 * the chance of adopting it in any market where it is not better is at most {@code alpha}.
 *
 * @param pValue the market's bootstrap p-value, at least {@code 2 / (B + 1)} (the bootstrap cannot show less)
 * @param adjustedPValue its Holm-adjusted p-value over the markets judged
 * @param level the level {@code alpha / (m - rank)} its p-value was compared with in Holm's step-down order
 * @param markets how many markets were judged (Holm's {@code m})
 * @param alpha the family-wise error rate of the adoption decisions
 */
public record LiftTest(double pValue, double adjustedPValue, double level, int markets, double alpha) {
    /** Whether Holm rejects "no lift" for this market at {@code alpha}. */
    public boolean rejected() {
        return adjustedPValue <= alpha;
    }
}
