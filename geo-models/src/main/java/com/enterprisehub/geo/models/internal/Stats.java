package com.enterprisehub.geo.models.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/** Weighted metrics for the bootstrap (a resample is a vector of counts). Not API. */
public final class Stats {
    private Stats() {
    }

    /** Indices of {@code scores} in ascending order of score. */
    public static int[] order(double[] scores) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble(i -> scores[i]));
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /**
     * The area under the ROC curve of {@code scores} against {@code labels}, each row counted {@code weights[i]}
     * times, ties counting half (the Mann-Whitney statistic); {@code order} is {@link #order(double[])} of the scores.
     * NaN when a class has no weight.
     */
    public static double auc(double[] scores, boolean[] labels, int[] weights, int[] order) {
        double sum = 0;
        double negativesBelow = 0;
        double positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            double groupPositive = 0;
            double groupNegative = 0;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                int row = order[j];
                if (labels[row]) {
                    groupPositive += weights[row];
                } else {
                    groupNegative += weights[row];
                }
                j++;
            }
            sum += groupPositive * (negativesBelow + 0.5 * groupNegative);
            negativesBelow += groupNegative;
            positives += groupPositive;
            i = j;
        }
        return positives == 0 || negativesBelow == 0 ? Double.NaN : sum / (positives * negativesBelow);
    }

    /** The weighted Brier score. */
    public static double brier(double[] p, boolean[] labels, int[] weights) {
        double sum = 0;
        double n = 0;
        for (int i = 0; i < p.length; i++) {
            double d = p[i] - (labels[i] ? 1 : 0);
            sum += weights[i] * d * d;
            n += weights[i];
        }
        return sum / n;
    }

    /** The weighted mean of {@code values}. */
    public static double mean(double[] values, int[] weights) {
        double sum = 0;
        double n = 0;
        for (int i = 0; i < values.length; i++) {
            sum += weights[i] * values[i];
            n += weights[i];
        }
        return sum / n;
    }

    /** A bootstrap resample of {@code n} rows as counts. */
    public static int[] resample(int n, SplittableRandom random, int[] into) {
        Arrays.fill(into, 0);
        for (int k = 0; k < n; k++) {
            into[random.nextInt(n)]++;
        }
        return into;
    }

    /** Every weight 1. */
    public static int[] ones(int n) {
        int[] w = new int[n];
        Arrays.fill(w, 1);
        return w;
    }

    /**
     * The {@code q}-quantile of {@code values} (NaNs left out) by linear interpolation between order statistics
     * (Hyndman and Fan's type 7, R's default).
     */
    public static double quantile(double[] values, double q) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        double h = (v.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(v.length - 1, lo + 1);
        return v[lo] + (h - lo) * (v[hi] - v[lo]);
    }

    /**
     * The split-conformal quantile: the {@code ceil((n + 1) level)}-th smallest of {@code residuals}, or infinity
     * when that rank exceeds n.
     */
    public static double conformal(double[] residuals, double level) {
        double[] v = residuals.clone();
        Arrays.sort(v);
        int k = (int) Math.ceil((v.length + 1) * level);
        return k > v.length ? Double.POSITIVE_INFINITY : v[k - 1];
    }

    /** Each row's negative log-likelihood, the probability clipped to [1e-6, 1 - 1e-6]. */
    public static double[] logLoss(double[] p, boolean[] labels) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            double q = Math.min(1 - 1e-6, Math.max(1e-6, p[i]));
            out[i] = -Math.log(labels[i] ? q : 1 - q);
        }
        return out;
    }

    /**
     * The population stability index of {@code recent} against {@code training}: bins at the training values'
     * {@code bins}-quantiles and at their minimum (distinct edges only), a value equal to an edge counted in the bin
     * it closes ({@code (e[k-1], e[k]]}), one bin above the highest edge and one for NaN; {@code sum (r - t) ln(r / t)}
     * over the bins' shares, each count plus one half. The minimum as an edge and the closed upper ends keep every
     * value that is an edge apart from the values below it: an indicator that is 1 in 5% of the training rows (every
     * quantile 0) or in 95% (every quantile 1) has its 0s and 1s in different bins.
     */
    public static double psi(double[] training, double[] recent, int bins) {
        double[] sorted = Arrays.stream(training).filter(v -> !Double.isNaN(v)).sorted().toArray();
        double[] edges = new double[0];
        if (sorted.length > 0) {
            edges = java.util.stream.IntStream.range(0, bins)
                    .mapToDouble(k -> sorted[Math.min(sorted.length - 1, (int) ((long) k * sorted.length / bins))])
                    .distinct().sorted().toArray();
        }
        int cells = edges.length + 2;
        double[] t = counts(training, edges, cells);
        double[] r = counts(recent, edges, cells);
        double nt = training.length + 0.5 * cells;
        double nr = recent.length + 0.5 * cells;
        double psi = 0;
        for (int i = 0; i < cells; i++) {
            double pt = (t[i] + 0.5) / nt;
            double pr = (r[i] + 0.5) / nr;
            psi += (pr - pt) * Math.log(pr / pt);
        }
        return psi;
    }

    /**
     * Counts per bin: {@code Arrays.binarySearch} over the distinct sorted edges returns an edge's index {@code k}
     * for a value equal to it (bin {@code k}, which that edge closes) and {@code -(insertion point) - 1} otherwise,
     * the insertion point being the number of edges below the value (the bin whose upper edge is the first above it,
     * or the last finite bin above every edge); NaN goes to the last bin.
     */
    private static double[] counts(double[] values, double[] edges, int cells) {
        double[] c = new double[cells];
        for (double v : values) {
            if (Double.isNaN(v)) {
                c[cells - 1]++;
            } else {
                int i = Arrays.binarySearch(edges, v);
                c[i >= 0 ? i : -i - 1]++;
            }
        }
        return c;
    }
}
