package com.enterprisehub.geo.models.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * An XGBoost tree ensemble evaluated in Java, read from XGBoost's JSON model: numerical splits only ({@code x <
 * threshold} goes left, a missing value follows {@code default_left}), one target, objectives
 * {@code binary:logistic} (sigmoid of the margin) and {@code reg:squarederror} (the margin). Immutable and
 * thread-safe; a prediction allocates nothing. Not API.
 */
public final class TreeEnsemble {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int[] roots;
    private final int[] feature;
    private final float[] threshold;
    private final int[] left;
    private final int[] right;
    private final boolean[] defaultLeft;
    private final double baseMargin;
    private final boolean logistic;

    private TreeEnsemble(int[] roots, int[] feature, float[] threshold, int[] left, int[] right,
            boolean[] defaultLeft, double baseMargin, boolean logistic) {
        this.roots = roots;
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.right = right;
        this.defaultLeft = defaultLeft;
        this.baseMargin = baseMargin;
        this.logistic = logistic;
    }

    /** The ensemble of an XGBoost JSON model, or empty if it uses anything this evaluator does not support. */
    public static Optional<TreeEnsemble> parse(byte[] json) {
        try {
            JsonNode learner = JSON.readTree(json).path("learner");
            String objective = learner.path("objective").path("name").asText();
            boolean logistic = objective.equals("binary:logistic");
            if (!logistic && !objective.equals("reg:squarederror")) {
                return Optional.empty();
            }
            JsonNode param = learner.path("learner_model_param");
            if (!param.path("num_target").asText("1").equals("1") || !param.path("num_class").asText("0").equals("0")
                    || !learner.path("gradient_booster").path("name").asText().equals("gbtree")) {
                return Optional.empty();
            }
            double base = Double.parseDouble(param.path("base_score").asText().replace("[", "").replace("]", ""));
            double baseMargin = logistic ? Math.log(base / (1 - base)) : base;
            JsonNode trees = learner.path("gradient_booster").path("model").path("trees");
            int nodes = 0;
            for (JsonNode t : trees) {
                nodes += t.path("left_children").size();
            }
            int[] roots = new int[trees.size()];
            int[] feature = new int[nodes];
            float[] threshold = new float[nodes];
            int[] left = new int[nodes];
            int[] right = new int[nodes];
            boolean[] defaultLeft = new boolean[nodes];
            int offset = 0;
            int k = 0;
            for (JsonNode t : trees) {
                if (t.path("categories_nodes").size() > 0) {
                    return Optional.empty();
                }
                int n = t.path("left_children").size();
                roots[k++] = offset;
                for (int i = 0; i < n; i++) {
                    if (t.path("split_type").path(i).asInt(0) != 0) {
                        return Optional.empty();
                    }
                    int l = t.path("left_children").path(i).asInt();
                    left[offset + i] = l < 0 ? -1 : offset + l;
                    right[offset + i] = l < 0 ? -1 : offset + t.path("right_children").path(i).asInt();
                    feature[offset + i] = t.path("split_indices").path(i).asInt();
                    threshold[offset + i] = (float) t.path("split_conditions").path(i).asDouble();
                    defaultLeft[offset + i] = t.path("default_left").path(i).asInt() != 0;
                }
                offset += n;
            }
            return Optional.of(new TreeEnsemble(roots, feature, threshold, left, right, defaultLeft, baseMargin,
                    logistic));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The prediction for the row of {@code x} starting at {@code offset}. */
    public double predict(float[] x, int offset) {
        float margin = 0;
        for (int root : roots) {
            int node = root;
            while (left[node] >= 0) {
                float v = x[offset + feature[node]];
                node = Float.isNaN(v) ? (defaultLeft[node] ? left[node] : right[node])
                        : v < threshold[node] ? left[node] : right[node];
            }
            margin += threshold[node];
        }
        double m = baseMargin + margin;
        return logistic ? 1 / (1 + Math.exp(-m)) : m;
    }
}
