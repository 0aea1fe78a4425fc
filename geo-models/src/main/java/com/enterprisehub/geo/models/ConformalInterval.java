package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoValidationException;

/**
 * A valuation model's prediction interval, split-conformal: the prediction on the log scale plus or minus
 * {@code logHalfWidth}, where the half-width is the {@code ceil((n + 1) level)}-th smallest absolute log error on
 * {@code calibrationRows} rows the model was not fitted on (Lei et al., "Distribution-Free Predictive Inference for
 * Regression", JASA 2018). Coverage is guaranteed on average over exchangeable data, not per property; the evaluation
 * measures it on held-out data of each market.
 *
 * @param level the intended coverage, in (0, 1)
 * @param logHalfWidth the half-width on the natural-log scale, zero or more
 * @param calibrationRows how many rows set it
 */
public record ConformalInterval(double level, double logHalfWidth, int calibrationRows) {
    public ConformalInterval {
        if (!(level > 0 && level < 1)) {
            throw new GeoValidationException("An interval's level must be in (0, 1); got " + level + ".");
        }
        if (!(logHalfWidth >= 0) || Double.isInfinite(logHalfWidth)) {
            throw new GeoValidationException("An interval's half-width must be a finite number >= 0; got "
                    + logHalfWidth + ".");
        }
        if (calibrationRows < 1) {
            throw new GeoValidationException("An interval needs calibration rows; got " + calibrationRows + ".");
        }
    }
}
