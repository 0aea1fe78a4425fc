package com.enterprisehub.geo.models;

import java.util.List;

/**
 * A lead-scoring model on one market's held-out leads.
 *
 * @param rows held-out leads
 * @param converted how many of them converted
 * @param auc the area under the ROC curve (ties count half), 95% bootstrap interval
 * @param brier the Brier score (mean squared error of the probability; lower is better), 95% bootstrap interval
 * @param logLoss the mean negative log-likelihood in nats per lead (lower is better; probabilities clipped to
 *     [1e-6, 1 - 1e-6]), 95% bootstrap interval
 * @param calibrationError the expected calibration error over ten equal-width bins (leads-weighted mean of
 *     |mean predicted - observed|)
 * @param bins the ten bins, empty ones left out
 * @param calibrationErrorBefore when the study corrects calibration ({@link ScoreCalibration#PLATT}) and the market
 *     had enough calibration leads: the expected calibration error of the model's own probabilities on the same
 *     held-out leads, before the correction (every other figure here is of the corrected probabilities; AUC is the
 *     same either way, the correction being increasing: its slope is positive, see {@link PlattScaling})
 */
public record ScoringMetrics(int rows, int converted, Estimate auc, Estimate brier, Estimate logLoss,
        double calibrationError, List<CalibrationBin> bins, java.util.OptionalDouble calibrationErrorBefore)
        implements Metrics {
    public ScoringMetrics {
        bins = List.copyOf(bins);
        java.util.Objects.requireNonNull(calibrationErrorBefore, "calibrationErrorBefore");
    }
}
