package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.models.internal.Xgb;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Gradient-boosted trees with XGBoost4J ({@code ml.dmlc:xgboost4j}, Apache-2.0; its native library for Linux, macOS
 * and Windows ships inside the jar): logistic loss for lead scoring, squared error on the log price for valuation,
 * the {@code hist} tree method, a fixed number of rounds. Its models are read by the {@code xgboost}
 * {@link ModelProvider}.
 *
 * <p>Immutable and thread-safe; with the same inputs, seed and one thread a fit gives the same model.
 */
public final class XGBoostTrainer implements Trainer {
    private final int rounds;
    private final int maxDepth;
    private final double learningRate;
    private final double subsample;
    private final double minChildWeight;
    private final long seed;
    private final int threads;

    private XGBoostTrainer(Builder b) {
        this.rounds = b.rounds;
        this.maxDepth = b.maxDepth;
        this.learningRate = b.learningRate;
        this.subsample = b.subsample;
        this.minChildWeight = b.minChildWeight;
        this.seed = b.seed;
        this.threads = b.threads;
    }

    /** A trainer with the defaults: 150 rounds, depth 4, learning rate 0.1, subsample 0.8, seed 1, one thread. */
    public static XGBoostTrainer defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String format() {
        return XGBoostModels.NAME;
    }

    @Override
    public byte[] fit(ModelTask task, float[] features, float[] labels, int rows, int columns) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        if (rows < 2 || columns < 1 || (long) rows * columns != features.length || labels.length != rows) {
            throw new ModelException("Training data disagrees in size: " + rows + " rows of " + columns
                    + " features need " + (long) rows * columns + " values and " + rows + " labels; got "
                    + features.length + " and " + labels.length + ".");
        }
        for (float y : labels) {
            boolean ok = task == ModelTask.LEAD_SCORING ? (y == 0f || y == 1f) : Float.isFinite(y);
            if (!ok) {
                throw new ModelException("A " + task + " label must be " + (task == ModelTask.LEAD_SCORING
                        ? "0 or 1" : "a finite log price") + "; got " + y + ".");
            }
        }
        Map<String, Object> params = new HashMap<>();
        params.put("objective", task == ModelTask.LEAD_SCORING ? "binary:logistic" : "reg:squarederror");
        params.put("tree_method", "hist");
        params.put("max_depth", maxDepth);
        params.put("eta", learningRate);
        params.put("subsample", subsample);
        params.put("min_child_weight", minChildWeight);
        params.put("seed", seed);
        params.put("nthread", threads);
        params.put("verbosity", 0);
        return Xgb.train(params, features, labels, rows, columns, rounds);
    }

    @Override
    public String toString() {
        return "XGBoostTrainer[rounds=" + rounds + ", maxDepth=" + maxDepth + ", learningRate=" + learningRate
                + ", subsample=" + subsample + ", minChildWeight=" + minChildWeight + ", seed=" + seed + ", threads="
                + threads + "]";
    }

    /** Builder; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private int rounds = 150;
        private int maxDepth = 4;
        private double learningRate = 0.1;
        private double subsample = 0.8;
        private double minChildWeight = 1;
        private long seed = 1;
        private int threads = 1;

        private Builder() {
        }

        /** Boosting rounds (trees), 1 to 10,000. */
        public Builder rounds(int rounds) {
            this.rounds = check(rounds, 1, 10_000, "rounds");
            return this;
        }

        /** Maximum tree depth, 1 to 16. */
        public Builder maxDepth(int maxDepth) {
            this.maxDepth = check(maxDepth, 1, 16, "maxDepth");
            return this;
        }

        /** Learning rate (XGBoost's {@code eta}), in (0, 1]. */
        public Builder learningRate(double learningRate) {
            if (!(learningRate > 0 && learningRate <= 1)) {
                throw new GeoValidationException("learningRate must be in (0, 1]; got " + learningRate + ".");
            }
            this.learningRate = learningRate;
            return this;
        }

        /** The share of rows each tree sees, in (0, 1]. */
        public Builder subsample(double subsample) {
            if (!(subsample > 0 && subsample <= 1)) {
                throw new GeoValidationException("subsample must be in (0, 1]; got " + subsample + ".");
            }
            this.subsample = subsample;
            return this;
        }

        /** The least hessian weight in a leaf (XGBoost's {@code min_child_weight}), 0 or more. */
        public Builder minChildWeight(double minChildWeight) {
            if (!(minChildWeight >= 0) || Double.isInfinite(minChildWeight)) {
                throw new GeoValidationException("minChildWeight must be a finite number >= 0; got "
                        + minChildWeight + ".");
            }
            this.minChildWeight = minChildWeight;
            return this;
        }

        /** The random seed (row subsampling). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Threads per fit, 1 to 256; with more than one, fits may differ in the last bits. */
        public Builder threads(int threads) {
            this.threads = check(threads, 1, 256, "threads");
            return this;
        }

        /** The trainer. */
        public XGBoostTrainer build() {
            return new XGBoostTrainer(this);
        }

        private static int check(int value, int min, int max, String name) {
            if (value < min || value > max) {
                throw new GeoValidationException(name + " must be in [" + min + ", " + max + "]; got " + value + ".");
            }
            return value;
        }
    }
}
