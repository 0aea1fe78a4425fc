package com.enterprisehub.geo.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.models.internal.Platt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Platt fit is always an increasing correction (so a calibrated model ranks leads as the model does and its AUC is
 * unchanged): where the full fit would reverse the ranking or blow up, an intercept-only fit (slope 1) is used.
 */
class PlattFitTest {

    @Test
    void scoresRunningAgainstTheOutcomesAreNotReversed() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 400;
        double[] p = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            p[i] = 0.05 + 0.9 * r.nextDouble();
            y[i] = r.nextDouble() < 1 - p[i];   // the higher the score, the less likely the conversion
        }
        Platt.Fit fit = Platt.fit(p, y);
        assertThat(fit.slope()).as("slope").isEqualTo(1.0);
        assertThat(fit.intercept()).as("intercept").isBetween(-2.0, 2.0);
        assertThat(fit.fallback()).hasValueSatisfying(why -> assertThat(why).contains("not positive"));
        assertIncreasing(fit);
    }

    @Test
    void nearlyConstantScoresDoNotGiveAnExtremeCorrection() {
        SplittableRandom r = new SplittableRandom(8);
        int n = 400;
        double[] p = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble();
            p[i] = 0.30 + 0.004 * u;   // every score within 0.004 of another
            y[i] = r.nextDouble() < 0.1 + 0.5 * u;
        }
        Platt.Fit fit = Platt.fit(p, y);
        assertThat(fit.slope()).as("slope").isEqualTo(1.0);
        // intercept-only: the base rate (about 0.35) over the scores' (0.302)
        assertThat(fit.intercept()).as("intercept").isBetween(0.0, 0.6);
        assertThat(fit.fallback()).hasValueSatisfying(why -> assertThat(why).contains("above 10"));
        assertIncreasing(fit);
    }

    @Test
    void anOrdinaryMiscalibrationKeepsItsFullFit() {
        SplittableRandom r = new SplittableRandom(9);
        int n = 2000;
        double[] p = new double[n];
        boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            double logit = -2 + 3 * r.nextDouble();
            p[i] = 1 / (1 + Math.exp(-logit));
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-(0.5 * logit + 1.0)));   // over-confident and too low
        }
        Platt.Fit fit = Platt.fit(p, y);
        // 2,000 rows: standard errors of about 0.1 on each
        assertThat(fit.slope()).as("slope").isBetween(0.2, 0.8);
        assertThat(fit.intercept()).as("intercept").isBetween(0.6, 1.4);
        assertThat(fit.fallback()).isEmpty();
    }

    @Test
    void aScalingThatIsNotIncreasingIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PlattScaling(-0.89, 0.1, 350,
                java.util.Optional.empty())).isInstanceOf(com.enterprisehub.geo.core.GeoValidationException.class)
                .hasMessageContaining("slope");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PlattScaling(0, 0.1, 350,
                java.util.Optional.empty())).isInstanceOf(com.enterprisehub.geo.core.GeoValidationException.class);
    }

    private static void assertIncreasing(Platt.Fit fit) {
        PlattScaling s = new PlattScaling(fit.slope(), fit.intercept(), 400, java.util.Optional.empty());
        assertThat(s.apply(0.2)).isLessThan(s.apply(0.3)).isLessThan(s.apply(0.8));
    }
}
