package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.analytics.internal.Normal;
import com.enterprisehub.geo.analytics.internal.Proportions;
import com.enterprisehub.geo.core.GeoValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The significance machinery geo-analytics' own rankings and insights use, for other modules' tests (geo-models'
 * adoption of localized models uses it): Holm's step-down correction of a family of p-values and the standard
 * normal distribution.
 *
 * <pre>{@code
 * HolmAdjustment holm = Significance.holm(0.05, pValues);   // family-wise error at most 0.05
 * if (holm.rejected().get(i)) { ... }                        // hypothesis i rejected
 * double z = Significance.normalQuantile(0.975);             // 1.959964
 * }</pre>
 *
 * <p>Stateless and thread-safe. Invalid input is refused with {@link GeoValidationException} naming the value.
 */
public final class Significance {
    private Significance() {
    }

    /**
     * Holm's step-down correction (Holm, "A simple sequentially rejective multiple test procedure", Scand. J.
     * Statist. 6:65-70, 1979): the p-values are sorted, the smallest compared with {@code alpha / m}, the next with
     * {@code alpha / (m - 1)}, and so on until the first that exceeds its level; it and all larger ones are not
     * rejected. The family-wise error rate (the chance of rejecting any true hypothesis) is at most {@code alpha}
     * whatever the dependence between the tests, and every hypothesis Bonferroni ({@code alpha / m} each) rejects,
     * Holm rejects too.
     *
     * @param alpha the family-wise error rate, in (0, 1)
     * @param pValues one p-value per hypothesis, each in [0, 1]; none is fine (nothing is rejected)
     * @return the adjusted p-values, levels and decisions, in the order of {@code pValues}
     * @throws GeoValidationException if {@code alpha} or a p-value is out of range or NaN
     */
    public static HolmAdjustment holm(double alpha, double... pValues) {
        checkAlpha(alpha);
        if (pValues == null) {
            throw new GeoValidationException("Give the p-values to adjust (an empty array for none); got null.");
        }
        double[] p = pValues.clone();
        for (int i = 0; i < p.length; i++) {
            checkP(p[i], i);
        }
        int m = p.length;
        double[] adjusted = Proportions.holm(p);
        Integer[] order = new Integer[m];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        Double[] levels = new Double[m];
        for (int rank = 0; rank < m; rank++) {
            levels[order[rank]] = alpha / (m - rank);
        }
        List<Double> ps = new ArrayList<>(m);
        List<Double> adj = new ArrayList<>(m);
        List<Boolean> rejected = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            ps.add(p[i]);
            adj.add(adjusted[i]);
            rejected.add(adjusted[i] <= alpha);
        }
        return new HolmAdjustment(alpha, ps, adj, Arrays.asList(levels), rejected);
    }

    /**
     * The standard normal quantile: the z with {@code P(Z <= z) = p} (Acklam's rational approximation, relative
     * error below 1.15e-9; {@code normalQuantile(0.975)} is 1.959964).
     *
     * @throws GeoValidationException unless {@code 0 < p < 1}
     */
    public static double normalQuantile(double p) {
        if (!(p > 0.0 && p < 1.0)) {
            throw new GeoValidationException("A normal quantile needs a probability strictly between 0 and 1; got " + p
                    + ". For a two-sided level of confidence c, ask for 1 - (1 - c) / 2.");
        }
        return Normal.quantile(p);
    }

    /**
     * The standard normal upper tail {@code P(Z > z)} (relative error below 1.2e-7 over the whole line).
     *
     * @throws GeoValidationException if {@code z} is NaN
     */
    public static double normalUpperTail(double z) {
        checkZ(z);
        return Normal.upperTail(z);
    }

    /**
     * The two-sided p-value of a z statistic, {@code P(|Z| >= |z|)}.
     *
     * @throws GeoValidationException if {@code z} is NaN
     */
    public static double twoSidedPValue(double z) {
        checkZ(z);
        return Normal.twoSidedP(z);
    }

    static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new GeoValidationException("alpha (the family-wise error rate) must be in (0, 1), typically 0.05; got "
                    + alpha + ".");
        }
    }

    static void checkP(double p, int index) {
        if (!(p >= 0 && p <= 1)) {
            throw new GeoValidationException("p-value " + (index + 1) + " is " + p + "; a p-value is a probability in"
                    + " [0, 1]. Check how it was computed.");
        }
    }

    private static void checkZ(double z) {
        if (Double.isNaN(z)) {
            throw new GeoValidationException("The z statistic is NaN; check the inputs it was computed from (a zero"
                    + " variance or no data).");
        }
    }
}
