package com.enterprisehub.geo.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.enterprisehub.geo.core.GeoValidationException;
import java.util.List;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** The public significance API: Holm against a hand-worked example, the normal distribution against Commons. */
class SignificanceTest {

    /**
     * The worked example of the Holm-Bonferroni method (Holm, Scand. J. Statist. 6:65-70, 1979) reproduced in the
     * Wikipedia article "Holm-Bonferroni method", section "Example", and worked step by step in GeeksforGeeks'
     * "Holm-Bonferroni Method": four hypotheses, p = 0.01, 0.04, 0.03, 0.005, alpha 0.05. Sorted, the levels are
     * 0.05/4, 0.05/3, 0.05/2, 0.05/1: 0.005 &lt;= 0.0125 (reject H4), 0.01 &lt;= 0.0167 (reject H1), 0.03 &gt;
     * 0.025 (stop: H3 and H2 are not rejected, although 0.04 &lt;= 0.05). Adjusted p-values by hand:
     * H4 4 x 0.005 = 0.02; H1 max(0.02, 3 x 0.01) = 0.03; H3 max(0.03, 2 x 0.03) = 0.06; H2 max(0.06, 1 x 0.04) = 0.06.
     */
    @Test
    void holmRejectsAsTheHandWorkedExample() {
        HolmAdjustment holm = Significance.holm(0.05, 0.01, 0.04, 0.03, 0.005);

        assertThat(holm.rejected()).containsExactly(true, false, false, true);
        double[] expectedAdjusted = {0.03, 0.06, 0.06, 0.02};
        double[] expectedLevels = {0.05 / 3, 0.05 / 1, 0.05 / 2, 0.05 / 4};
        for (int i = 0; i < 4; i++) {
            assertThat(holm.adjustedPValues().get(i)).as("H%d adjusted", i + 1).isCloseTo(expectedAdjusted[i],
                    within(1e-12));
            assertThat(holm.levels().get(i)).as("H%d level", i + 1).isCloseTo(expectedLevels[i], within(1e-12));
        }
        assertThat(holm.pValues()).containsExactly(0.01, 0.04, 0.03, 0.005);
        assertThat(holm.rejectedCount()).isEqualTo(2);
        assertThat(holm.alpha()).isEqualTo(0.05);
    }

    @Test
    void holmIsNeverLessPowerfulThanBonferroniAndCapsAtOne() {
        // Bonferroni at 0.05/3 = 0.0167 rejects only the first; Holm also the second (0.02 <= 0.025) and third
        HolmAdjustment holm = Significance.holm(0.05, 0.001, 0.02, 0.04);
        assertThat(holm.rejected()).containsExactly(true, true, true);
        assertThat(Significance.holm(0.05, 0.9, 0.8).adjustedPValues()).containsExactly(1.0, 1.0);
        assertThat(Significance.holm(0.05).rejected()).isEmpty();
    }

    @Test
    void holmIsImmutableAndRefusesWhatIsNotAProbability() {
        double[] p = {0.01, 0.2};
        HolmAdjustment holm = Significance.holm(0.05, p);
        p[0] = 0.9;
        assertThat(holm.pValues()).containsExactly(0.01, 0.2);
        assertThatThrownBy(() -> holm.rejected().set(0, false)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Significance.holm(0.05, 0.1, Double.NaN)).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("p-value 2");
        assertThatThrownBy(() -> Significance.holm(0.05, 1.5)).isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> Significance.holm(0, 0.1)).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("alpha");
        assertThatThrownBy(() -> new HolmAdjustment(0.05, List.of(0.1), List.of(0.1, 0.2), List.of(0.05),
                List.of(false))).isInstanceOf(GeoValidationException.class);
    }

    @Test
    void theNormalDistributionMatchesCommonsStatistics() {
        NormalDistribution n = NormalDistribution.of(0, 1);
        for (double p : new double[] {1e-6, 0.001, 0.025, 0.3, 0.5, 0.9, 0.975, 0.999999}) {
            assertThat(Significance.normalQuantile(p)).as("p = %s", p)
                    .isCloseTo(n.inverseCumulativeProbability(p), within(2e-9 * Math.max(1, Math.abs(n
                            .inverseCumulativeProbability(p)))));
        }
        for (double z : new double[] {-3, -1, 0, 0.5, 1.96, 4}) {
            assertThat(Significance.normalUpperTail(z)).as("z = %s", z)
                    .isCloseTo(n.survivalProbability(z), within(2e-7 * n.survivalProbability(z)));
        }
        assertThat(Significance.twoSidedPValue(-1.959963984540054)).isCloseTo(0.05, within(1e-8));
        assertThatThrownBy(() -> Significance.normalQuantile(1)).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("strictly between 0 and 1");
        assertThatThrownBy(() -> Significance.normalUpperTail(Double.NaN)).isInstanceOf(GeoValidationException.class);
    }
}
