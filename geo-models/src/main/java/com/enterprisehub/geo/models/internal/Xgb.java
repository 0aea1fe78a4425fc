package com.enterprisehub.geo.models.internal;

import com.enterprisehub.geo.models.ModelException;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** The XGBoost4J calls, in one place. Not API. */
public final class Xgb {
    private Xgb() {
    }

    /** Trains and returns the booster in XGBoost's UBJSON model format. */
    public static byte[] train(Map<String, Object> params, float[] x, float[] y, int rows, int columns, int rounds) {
        DMatrix data = null;
        Booster booster = null;
        try {
            data = new DMatrix(x, rows, columns, Float.NaN);
            data.setLabel(y);
            booster = XGBoost.train(data, params, rounds, new HashMap<>(), null, null);
            return booster.toByteArray("ubj");
        } catch (XGBoostError | UnsatisfiedLinkError e) {
            throw new ModelException("XGBoost could not train (" + e.getMessage() + "). If its native library failed"
                    + " to load, check that this platform is one xgboost4j ships a library for (linux, macos,"
                    + " windows on x86_64; linux and macos on aarch64).", e);
        } finally {
            if (booster != null) {
                booster.dispose();
            }
            if (data != null) {
                data.dispose();
            }
        }
    }

    /** Loads a booster. */
    public static Booster load(byte[] model) {
        try {
            return XGBoost.loadModel(model);
        } catch (XGBoostError | java.io.IOException | UnsatisfiedLinkError e) {
            throw new ModelException("XGBoost could not read the model (" + e.getMessage() + "); give it bytes the"
                    + " xgboost trainer wrote.", e);
        }
    }

    /** XGBoost's JSON dump of a model. */
    public static byte[] json(Booster booster) {
        try {
            return booster.toByteArray("json");
        } catch (XGBoostError e) {
            throw new ModelException("XGBoost could not write the model as JSON: " + e.getMessage(), e);
        }
    }
}
