package com.enterprisehub.geo.models.internal;

import java.util.Optional;

/**
 * Fits Platt scaling {@code sigma(a * logit(p) + b)} by maximum likelihood against Platt's smoothed targets
 * ({@code (N+ + 1) / (N+ + 2)} for positives, {@code 1 / (N- + 2)} for negatives), with Newton's method and a
 * backtracking line search (Lin, Lin and Weng, Machine Learning 68:267-276, 2007, Algorithm 1), starting from the
 * identity (a = 1, b = 0).
 *
 * <p>The correction is kept increasing, so that it never changes the order of the scores (nor their AUC): where the
 * full fit's slope is not in {@code (0, MAX_SLOPE]} (scores running against the outcomes give a negative slope,
 * nearly constant scores an extreme one), the intercept alone is fitted with the slope held at 1 (a shift of the
 * base rate), and the fit says why.
 */
public final class Platt {
    /** The largest slope kept: a model whose logits must be stretched more than tenfold barely separates the rows. */
    public static final double MAX_SLOPE = 10;

    private Platt() {
    }

    /**
     * A fitted correction.
     *
     * @param slope the slope on the logit, in {@code (0, MAX_SLOPE]}
     * @param intercept the intercept
     * @param fallback why the intercept alone was fitted (the full fit's slope and intercept), or empty
     */
    public record Fit(double slope, double intercept, Optional<String> fallback) {
    }

    /** The Platt scaling of probabilities {@code p} against outcomes {@code y}, increasing (see the class). */
    public static Fit fit(double[] p, boolean[] y) {
        int n = p.length;
        double[] f = new double[n];
        double[] t = new double[n];
        int positives = 0;
        for (boolean v : y) {
            positives += v ? 1 : 0;
        }
        int negatives = n - positives;
        double hi = (positives + 1.0) / (positives + 2.0);
        double lo = 1.0 / (negatives + 2.0);
        for (int i = 0; i < n; i++) {
            double q = Math.min(1 - 1e-6, Math.max(1e-6, p[i]));
            f[i] = Math.log(q / (1 - q));
            t[i] = y[i] ? hi : lo;
        }
        double[] full = newton(f, t, false);
        if (full[0] > 0 && full[0] <= MAX_SLOPE && Double.isFinite(full[1])) {
            return new Fit(full[0], full[1], Optional.empty());
        }
        double[] shift = newton(f, t, true);
        return new Fit(shift[0], shift[1], Optional.of(String.format(java.util.Locale.ROOT,
                "the full fit's slope %.3f (intercept %.3f) is %s, so only the intercept was fitted (slope 1)",
                full[0], full[1], full[0] > 0 ? "above " + MAX_SLOPE + " (scores nearly constant)"
                        : "not positive (scores running against the outcomes)")));
    }

    /** Newton's method with backtracking from the identity; with {@code interceptOnly} the slope stays 1. */
    private static double[] newton(double[] f, double[] t, boolean interceptOnly) {
        int n = f.length;
        double a = 1;
        double b = 0;
        double value = loss(f, t, a, b);
        for (int iteration = 0; iteration < 100; iteration++) {
            double ga = 0;
            double gb = 0;
            double haa = 1e-12;
            double hab = 0;
            double hbb = 1e-12;
            for (int i = 0; i < n; i++) {
                double s = sigmoid(a * f[i] + b);
                double d = s - t[i];
                double w = s * (1 - s);
                ga += d * f[i];
                gb += d;
                haa += w * f[i] * f[i];
                hab += w * f[i];
                hbb += w;
            }
            if (interceptOnly) {
                ga = 0;
            }
            if (Math.abs(ga) < 1e-5 && Math.abs(gb) < 1e-5) {
                break;
            }
            double da;
            double db;
            if (interceptOnly) {
                da = 0;
                db = -gb / hbb;
            } else {
                double det = haa * hbb - hab * hab;
                da = -(hbb * ga - hab * gb) / det;
                db = -(-hab * ga + haa * gb) / det;
            }
            double slope = ga * da + gb * db;
            double step = 1;
            while (step >= 1e-10) {
                double na = a + step * da;
                double nb = b + step * db;
                double nv = loss(f, t, na, nb);
                if (nv < value + 1e-4 * step * slope) {
                    a = na;
                    b = nb;
                    value = nv;
                    break;
                }
                step /= 2;
            }
            if (step < 1e-10) {
                break;
            }
        }
        return new double[] {a, b};
    }

    private static double loss(double[] f, double[] t, double a, double b) {
        double sum = 0;
        for (int i = 0; i < f.length; i++) {
            double z = a * f[i] + b;
            sum += t[i] * softplus(-z) + (1 - t[i]) * softplus(z);
        }
        return sum;
    }

    private static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
