package com.enterprisehub.geo.models;

import com.enterprisehub.geo.models.internal.TreeEnsemble;
import com.enterprisehub.geo.models.internal.Xgb;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The model provider {@code xgboost}: reads what {@link XGBoostTrainer} writes (XGBoost's UBJSON model format), for
 * both tasks. A model of numerical splits with logistic or squared-error loss (what the trainer writes) is evaluated
 * in Java from XGBoost's JSON dump after loading (no native call and no allocation per row; tests compare it with
 * XGBoost's own predictions); any other model is predicted by XGBoost's in-place prediction, one thread.
 *
 * <p>Thread-safe; its models are thread-safe (XGBoost's prediction is safe to call concurrently, and closing waits
 * for predictions in flight).
 */
public final class XGBoostModels implements ModelProvider {
    /** This provider's name, and the format of the artifacts it reads. */
    public static final String NAME = "xgboost";

    /** For {@link java.util.ServiceLoader}. */
    public XGBoostModels() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<ModelTask> tasks() {
        return EnumSet.allOf(ModelTask.class);
    }

    @Override
    public PredictiveModel load(ModelArtifact artifact) {
        Objects.requireNonNull(artifact, "artifact");
        if (!NAME.equals(artifact.format())) {
            throw new ModelException("The artifact is in format '" + artifact.format() + "', not '" + NAME
                    + "'; load it with Models.load(artifact), which picks the provider of its format.");
        }
        Booster booster = Xgb.load(artifact.bytes());
        try {
            // One row at a time is the serving case: a parallel region per call costs more than it saves, and on a
            // busy machine its barrier waits for descheduled OpenMP threads (p90 of 44 ms measured with XGBoost's
            // default, every core).
            booster.setParam("nthread", 1);
            long features = booster.getNumFeature();
            if (features != artifact.schema().size()) {
                booster.dispose();
                throw new ModelException("The model reads " + features + " features but its artifact's schema has "
                        + artifact.schema().size() + "; the artifact was assembled from mismatched parts.");
            }
        } catch (XGBoostError e) {
            booster.dispose();
            throw new ModelException("XGBoost could not describe the model: " + e.getMessage(), e);
        }
        Optional<TreeEnsemble> trees = TreeEnsemble.parse(Xgb.json(booster));
        if (trees.isPresent()) {
            booster.dispose();
            return new Loaded(artifact, null, trees.get());
        }
        return new Loaded(artifact, booster, null);
    }

    private static final class Loaded implements PredictiveModel {
        private final ModelArtifact artifact;
        private final Booster booster;
        private final TreeEnsemble trees;
        private final int columns;
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private volatile boolean closed;

        Loaded(ModelArtifact artifact, Booster booster, TreeEnsemble trees) {
            this.artifact = artifact;
            this.booster = booster;
            this.trees = trees;
            this.columns = artifact.schema().size();
        }

        @Override
        public ModelArtifact artifact() {
            return artifact;
        }

        @Override
        public double predict(float[] features) {
            if (trees != null) {
                check(features, 1);
                return trees.predict(features, 0);
            }
            return predict(features, 1)[0];
        }

        private void check(float[] features, int rows) {
            Objects.requireNonNull(features, "features");
            if (rows < 1 || (long) rows * columns != features.length) {
                throw new ModelException(rows + " rows of " + columns + " features need " + (long) rows * columns
                        + " values; got " + features.length + ". Encode rows with the schema the model was trained on.");
            }
            if (closed) {
                throw new ModelException("The model " + artifact.version() + " is closed; load it again.");
            }
        }

        @Override
        public double[] predict(float[] features, int rows) {
            check(features, rows);
            if (trees != null) {
                double[] out = new double[rows];
                for (int i = 0; i < rows; i++) {
                    out[i] = trees.predict(features, i * columns);
                }
                return out;
            }
            lock.readLock().lock();
            try {
                if (closed) {
                    throw new ModelException("The model " + artifact.version() + " is closed; load it again.");
                }
                float[][] out = booster.inplace_predict(features, rows, columns, Float.NaN);
                double[] result = new double[rows];
                for (int i = 0; i < rows; i++) {
                    result[i] = out[i][0];
                }
                return result;
            } catch (XGBoostError e) {
                throw new ModelException("XGBoost could not predict: " + e.getMessage(), e);
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
                    if (booster != null) {
                        booster.dispose();
                    }
                }
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public String toString() {
            return "xgboost model " + artifact.version();
        }
    }
}
