package com.enterprisehub.geo.models.internal;

/**
 * Fits Platt scaling {@code sigma(a * logit(p) + b)} by maximum likelihood against Platt's smoothed targets
 * ({@code (N+ + 1) / (N+ + 2)} for positives, {@code 1 / (N- + 2)} for negatives), with Newton's method and a
 * backtracking line search (Lin, Lin and Weng, Machine Learning 68:267-276, 2007, Algorithm 1), starting from the
 * identity (a = 1, b = 0).
 */
public final class Platt {
    private Platt() {
    }

    /** {slope, intercept} for probabilities {@code p} and outcomes {@code y}. */
    public static double[] fit(double[] p, boolean[] y) {
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
            if (Math.abs(ga) < 1e-5 && Math.abs(gb) < 1e-5) {
                break;
            }
            double det = haa * hbb - hab * hab;
            double da = -(hbb * ga - hab * gb) / det;
            double db = -(-hab * ga + haa * gb) / det;
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
