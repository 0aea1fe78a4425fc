package com.enterprisehub.geo.models;

import com.enterprisehub.geo.models.internal.OnnxModel;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The model provider {@code onnx}: serves models trained elsewhere and exported to ONNX, with ONNX Runtime
 * ({@code com.microsoft.onnxruntime:onnxruntime}, MIT; CPU build). geo-models declares ONNX Runtime optional (the jar is
 * 75 MB with its native libraries): a host that serves ONNX models adds it as a dependency.
 *
 * <p>The model has one input, a float tensor {@code [rows, features]} (the first dimension may be dynamic) whose
 * width is the artifact schema's size, and its first output gives one float per row ({@code [rows]} or
 * {@code [rows, 1]}): the probability for lead scoring, the log price for valuation. Thread-safe (ONNX Runtime's
 * {@code run} is safe to call concurrently on one session; closing waits for runs in flight).
 */
public final class OnnxModels implements ModelProvider {
    /** This provider's name, and the format of the artifacts it reads. */
    public static final String NAME = "onnx";

    /** For {@link java.util.ServiceLoader}. */
    public OnnxModels() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<ModelTask> tasks() {
        return EnumSet.allOf(ModelTask.class);
    }

    /** Whether ONNX Runtime is on the path, so that {@link #load(ModelArtifact)} can work. */
    public static boolean available() {
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment", false, OnnxModels.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public PredictiveModel load(ModelArtifact artifact) {
        Objects.requireNonNull(artifact, "artifact");
        if (!NAME.equals(artifact.format())) {
            throw new ModelException("The artifact is in format '" + artifact.format() + "', not '" + NAME
                    + "'; load it with Models.load(artifact), which picks the provider of its format.");
        }
        if (!available()) {
            throw new ModelException("ONNX models need ONNX Runtime: add com.microsoft.onnxruntime:onnxruntime"
                    + " (the version geo-bom's parent pins) as a dependency.");
        }
        return OnnxModel.open(artifact);
    }
}
