package com.enterprisehub.geo.models;

import com.enterprisehub.geo.spi.GeoProvider;
import java.util.Set;

/**
 * Reads model artifacts of one format; found through {@link java.util.ServiceLoader} and chosen by name with
 * {@link com.enterprisehub.geo.spi.Providers} ({@code Providers.fromClassPath().select(ModelProvider.class,
 * "xgboost")}), or by an artifact's {@link ModelArtifact#format()} with {@link Models#load(ModelArtifact)}.
 * geo-models provides {@code xgboost} (its own trainer's models) and {@code onnx} (models trained elsewhere, exported
 * to ONNX; needs {@code com.microsoft.onnxruntime:onnxruntime} on the path).
 *
 * <p>Implementations need a public no-argument constructor and are thread-safe.
 */
public interface ModelProvider extends GeoProvider {

    /** The tasks whose artifacts it reads. */
    Set<ModelTask> tasks();

    /**
     * Loads {@code artifact}, whose {@link ModelArtifact#format()} is this provider's name.
     *
     * @throws ModelException if the artifact is of another format or task, or its bytes are not a model this
     *     provider can read, or the model's inputs do not match the artifact's schema
     */
    PredictiveModel load(ModelArtifact artifact);
}
