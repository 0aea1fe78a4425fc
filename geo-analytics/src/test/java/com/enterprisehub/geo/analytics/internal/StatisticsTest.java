package com.enterprisehub.geo.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** Our normal distribution against Apache Commons Statistics; intervals and Holm against published examples. */
class StatisticsTest {
    private static final NormalDistribution STANDARD = NormalDistribution.of(0, 1);

    @Test
    void upperTailMatchesCommonsStatisticsToSevenDigitsRelative() {
        for (double z = -8; z <= 8; z += 0.01) {
            double expected = STANDARD.survivalProbability(z);
            assertThat(Normal.upperTail(z)).as("z = %s", z).isCloseTo(expected, within(2e-7 * expected));
        }
    }

    @Test
    void twoSidedPValue() {
        assertThat(Normal.twoSidedP(1.959963984540054)).isCloseTo(0.05, within(1e-8));
        assertThat(Normal.twoSidedP(-2.5758293035489)).isCloseTo(0.01, within(1e-8));
        assertThat(Normal.twoSidedP(0)).isEqualTo(1.0, within(1e-7));
    }

    @Test
    void quantileMatchesCommonsStatistics() {
        double[] ps = {1e-12, 1e-6, 0.001, 0.0125, 0.02425, 0.025, 0.1, 0.5, 0.9, 0.975, 0.97575, 0.999, 1 - 1e-9};
        for (double p : ps) {
            double expected = STANDARD.inverseCumulativeProbability(p);
            assertThat(Normal.quantile(p)).as("p = %s", p).isCloseTo(expected, within(2e-9 * Math.max(1, Math.abs(expected))));
        }
        assertThatThrownBy(() -> Normal.quantile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Normal.quantile(1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Newcombe, Two-sided confidence intervals for the single proportion, Stat Med 1998;17:857-872, table II. */
    @Test
    void wilsonIntervalOfNewcombesExamples() {
        double z = Normal.quantile(0.975);
        double[] a = Proportions.wilson(81, 263, z);
        assertThat(a[0]).isCloseTo(0.2553, within(5e-5));
        assertThat(a[1]).isCloseTo(0.3662, within(5e-5));
        double[] b = Proportions.wilson(0, 20, z);
        assertThat(b[0]).isEqualTo(0.0);
        assertThat(b[1]).isCloseTo(0.1611, within(5e-5));
    }

    /** Newcombe, Interval estimation for the difference between independent proportions, Stat Med 1998;17:873-890, table II, method 10. */
    @Test
    void newcombeHybridIntervalOfNewcombesExamples() {
        double z = Normal.quantile(0.975);
        double[] a = Proportions.newcombeDifference(56, 70, 48, 80, z);
        assertThat(a[0]).isCloseTo(0.0524, within(5e-5));
        assertThat(a[1]).isCloseTo(0.3339, within(5e-5));
        double[] b = Proportions.newcombeDifference(9, 10, 3, 10, z);
        assertThat(b[0]).isCloseTo(0.1705, within(5e-5));
        assertThat(b[1]).isCloseTo(0.8090, within(5e-5));
    }

    @Test
    void pooledZStatistic() {
        // 56/70 vs 48/80: pooled 104/150; z = 0.2 / sqrt(p(1-p)(1/70 + 1/80))
        double pooled = 104.0 / 150;
        double expected = 0.2 / Math.sqrt(pooled * (1 - pooled) * (1.0 / 70 + 1.0 / 80));
        assertThat(Proportions.zStatistic(56, 70, 48, 80)).isCloseTo(expected, within(1e-12));
        assertThat(Proportions.zStatistic(48, 80, 56, 70)).isCloseTo(-expected, within(1e-12));
        assertThat(Proportions.zStatistic(10, 10, 5, 5)).isZero();
    }

    @Test
    void approximationNeedsExpectedCountsInBothGroups() {
        // pooled 0.1: the smaller group expects 9 successes (false), then exactly 10 (true: the bound is inclusive)
        assertThat(Proportions.approximationHolds(9, 90, 900, 9_000, 10)).isFalse();
        assertThat(Proportions.approximationHolds(10, 100, 1000, 10_000, 10)).isTrue();
        // failures count too: pooled 0.95 leaves 5 expected failures in a group of 100
        assertThat(Proportions.approximationHolds(95, 100, 9_500, 10_000, 10)).isFalse();
        assertThat(Proportions.approximationHolds(0, 0, 5, 10, 10)).isFalse();
    }

    @Test
    void holmAdjustsStepDownAndKeepsOrder() {
        double[] adjusted = Proportions.holm(new double[] {0.01, 0.04, 0.03, 0.005});
        assertThat(adjusted).containsExactly(new double[] {0.03, 0.06, 0.06, 0.02}, within(1e-12));
        assertThat(Proportions.holm(new double[] {0.9, 0.8})).containsExactly(1.0, 1.0);
        assertThat(Proportions.holm(new double[0])).isEmpty();
    }
}
