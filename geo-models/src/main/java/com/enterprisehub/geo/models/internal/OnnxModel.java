package com.enterprisehub.geo.models.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.enterprisehub.geo.models.ModelArtifact;
import com.enterprisehub.geo.models.ModelException;
import com.enterprisehub.geo.models.PredictiveModel;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** An ONNX Runtime session behind {@link PredictiveModel}. Not API. */
public final class OnnxModel implements PredictiveModel {
    private final ModelArtifact artifact;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final int columns;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private OnnxModel(ModelArtifact artifact, OrtEnvironment env, OrtSession session, String input) {
        this.artifact = artifact;
        this.env = env;
        this.session = session;
        this.input = input;
        this.columns = artifact.schema().size();
    }

    /** Opens a session on the artifact's bytes and checks its input against the schema. */
    public static OnnxModel open(ModelArtifact artifact) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            session = env.createSession(artifact.bytes(), options);
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() != 1) {
                throw new ModelException("The ONNX model has " + inputs.size() + " inputs " + inputs.keySet()
                        + "; geo-models serves models with one float input [rows, features]: export it so.");
            }
            Map.Entry<String, NodeInfo> in = inputs.entrySet().iterator().next();
            if (!(in.getValue().getInfo() instanceof TensorInfo t) || t.getShape().length != 2
                    || (t.getShape()[1] != artifact.schema().size() && t.getShape()[1] != -1)) {
                throw new ModelException("The ONNX model's input '" + in.getKey() + "' is " + in.getValue().getInfo()
                        + "; it must be a float tensor [rows, " + artifact.schema().size() + "] to match the artifact's"
                        + " schema.");
            }
            if (session.getOutputInfo().isEmpty()) {
                throw new ModelException("The ONNX model has no output.");
            }
            return new OnnxModel(artifact, env, session, in.getKey());
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ModelException("ONNX Runtime could not load the model (" + e.getMessage() + "); check that it"
                    + " is a valid ONNX model of an opset ONNX Runtime 1.23 supports.", e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // nothing more to free
            }
        }
    }

    @Override
    public ModelArtifact artifact() {
        return artifact;
    }

    @Override
    public double predict(float[] features) {
        return predict(features, 1)[0];
    }

    @Override
    public double[] predict(float[] features, int rows) {
        Objects.requireNonNull(features, "features");
        if (rows < 1 || (long) rows * columns != features.length) {
            throw new ModelException(rows + " rows of " + columns + " features need " + (long) rows * columns
                    + " values; got " + features.length + ". Encode rows with the schema the model was trained on.");
        }
        lock.readLock().lock();
        try {
            if (closed) {
                throw new ModelException("The model " + artifact.version() + " is closed; load it again.");
            }
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(features),
                    new long[] {rows, columns});
                 OrtSession.Result result = session.run(Map.of(input, tensor))) {
                OnnxValue value = result.get(0);
                Object out = value.getValue();
                double[] predictions = new double[rows];
                if (out instanceof float[] flat && flat.length == rows) {
                    for (int i = 0; i < rows; i++) {
                        predictions[i] = flat[i];
                    }
                } else if (out instanceof float[][] matrix && matrix.length == rows) {
                    for (int i = 0; i < rows; i++) {
                        predictions[i] = matrix[i][0];
                    }
                } else {
                    throw new ModelException("The ONNX model's first output is " + value.getInfo() + "; geo-models"
                            + " needs one float per row ([rows] or [rows, 1]).");
                }
                return predictions;
            }
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime could not run the model: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeQuietly(session);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "onnx model " + artifact.version();
    }
}
