package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.MarketId;
import java.util.Objects;
import java.util.Optional;

/**
 * A Platt scaling of a lead-scoring model's probabilities (Platt, "Probabilistic outputs for support vector machines
 * and comparisons to regularized likelihood methods", 1999; fitted with the Newton method and targets of Lin, Lin and
 * Weng, "A note on Platt's probabilistic outputs for support vector machines", Machine Learning 68:267-276, 2007):
 * {@code p' = 1 / (1 + exp(-(slope * logit(p) + intercept)))}, {@code p} clipped to [1e-6, 1 - 1e-6]. The identity
 * is slope 1, intercept 0. The slope is positive, so the correction is increasing: it never changes the order of a
 * model's scores (nor their AUC). {@link LocalizationStudy} fits the intercept alone (slope 1) where a full fit's slope
 * would not be positive or would exceed 10, and logs it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param slope the slope on the model's logit, positive (below 1: the model is over-confident)
 * @param intercept the shift of the logit (above 0: the model's probabilities are too low)
 * @param rows how many held-out leads it was fitted on
 * @param market the market whose leads fitted it (residency: it is published in that market only), or empty
 */
public record PlattScaling(double slope, double intercept, int rows, Optional<MarketId> market) {
    public PlattScaling {
        Objects.requireNonNull(market, "market");
        if (!Double.isFinite(slope) || !Double.isFinite(intercept)) {
            throw new GeoValidationException("A Platt scaling needs a finite slope and intercept; got " + slope + " and "
                    + intercept + ".");
        }
        if (!(slope > 0)) {
            throw new GeoValidationException("A Platt scaling's slope must be positive (an increasing correction that"
                    + " keeps the scores' order); got " + slope + ". Fit the intercept alone (slope 1) instead.");
        }
        if (rows < 1) {
            throw new GeoValidationException("A Platt scaling is fitted on at least one row; got " + rows + ".");
        }
    }

    /** The calibrated probability of a model's probability {@code p}. */
    public double apply(double p) {
        double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
        double z = slope * Math.log(q / (1 - q)) + intercept;
        return 1 / (1 + Math.exp(-z));
    }
}
