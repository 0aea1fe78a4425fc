package com.enterprisehub.geo.models;

import com.enterprisehub.geo.analytics.Proportion;

/**
 * Leads whose predicted probability fell in {@code [from, to)} (the last bin includes 1): what the model said on
 * average and what happened, with a Wilson interval from geo-analytics. A calibrated model's mean prediction lies
 * within the observed share's interval in most bins.
 *
 * @param from the bin's lower edge
 * @param to the bin's upper edge
 * @param meanPredicted the mean predicted probability of its leads
 * @param observed the share of its leads that converted, with its 95% interval
 */
public record CalibrationBin(double from, double to, double meanPredicted, Proportion observed) {
}
