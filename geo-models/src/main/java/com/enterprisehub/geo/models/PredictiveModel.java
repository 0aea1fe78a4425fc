package com.enterprisehub.geo.models;

/**
 * A loaded model: feature vectors in, one number per row out (a probability for {@link ModelTask#LEAD_SCORING}, the
 * log of a price for {@link ModelTask#VALUATION}). Implementations are thread-safe: one instance serves every thread.
 * Close it to free native memory; a closed model refuses to predict.
 */
public interface PredictiveModel extends AutoCloseable {

    /** The artifact this model was loaded from (its version, task and schema). */
    ModelArtifact artifact();

    /**
     * The prediction for one row of {@code artifact().schema().size()} features.
     *
     * @throws ModelException if the row has another length, or the model is closed
     */
    double predict(float[] features);

    /**
     * Predictions for {@code rows} rows laid out one after another in {@code features} (row-major).
     *
     * @throws ModelException if {@code features} does not hold exactly that many rows, or the model is closed
     */
    double[] predict(float[] features, int rows);

    /** Frees what the model holds; idempotent. */
    @Override
    void close();
}
