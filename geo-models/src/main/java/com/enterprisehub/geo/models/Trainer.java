package com.enterprisehub.geo.models;

/**
 * Fits a model to labelled feature vectors. geo-models' own trainer is {@link XGBoostTrainer}; its output is read by
 * the provider of the same {@link #format()}.
 *
 * <p>Implementations are immutable and thread-safe; a fit with the same inputs and seed gives the same bytes.
 */
public interface Trainer {

    /** The name of the {@link ModelProvider} that reads what this trainer writes. */
    String format();

    /**
     * Fits a model for {@code task} to {@code rows} rows of {@code columns} features (row-major, {@code NaN} for a
     * missing value) and their labels (0 or 1 for {@link ModelTask#LEAD_SCORING}; the natural log of the price for
     * {@link ModelTask#VALUATION}), and returns the model's bytes.
     *
     * @throws ModelException if the inputs disagree in size, a label is not valid for the task, or fitting fails
     */
    byte[] fit(ModelTask task, float[] features, float[] labels, int rows, int columns);
}
