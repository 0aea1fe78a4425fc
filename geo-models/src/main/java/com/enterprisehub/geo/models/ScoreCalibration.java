package com.enterprisehub.geo.models;

/**
 * Whether a {@link LocalizationStudy} corrects the calibration of lead scores, and how.
 *
 * <p>Platt scaling is the one offered: two parameters per market are stable on the few hundred calibration leads a
 * market holds out, and the typical distortion of boosted trees' probabilities is sigmoid-shaped, which it corrects
 * (Niculescu-Mizil and Caruana, "Predicting good probabilities with supervised learning", ICML 2005: Platt scaling is
 * better than isotonic regression when the calibration set is small, isotonic overfits below about a thousand rows).
 * Isotonic regression is not offered.
 */
public enum ScoreCalibration {
    /** Scores are the model's probabilities; calibration is measured, not corrected (the default). */
    NONE,
    /**
     * Each market's served model is followed by a Platt scaling ({@link PlattScaling}) fitted on that market's
     * calibration share of its training leads, which the model did not see; the calibration is part of the served
     * artifact ({@link ModelArtifact#calibration()}) and so of its version.
     */
    PLATT
}
