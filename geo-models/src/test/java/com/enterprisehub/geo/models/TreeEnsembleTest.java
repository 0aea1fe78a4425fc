package com.enterprisehub.geo.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.enterprisehub.geo.models.internal.Xgb;
import java.util.List;
import java.util.Set;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.Test;

/** The Java tree evaluator gives XGBoost's own predictions, missing values included, for both tasks. */
class TreeEnsembleTest {

    @Test
    void javaEvaluationEqualsXgboostsPredictions() throws Exception {
        FeatureEncoder encoder = Fixtures.encoder();
        SyntheticMarkets g = SyntheticMarkets.builder(encoder).markets(Set.of(Fixtures.GB, Fixtures.US_CA))
                .planted(Set.of(Fixtures.GB)).seed(9).build();
        List<LabeledLead> leads = g.leads(300);
        List<Sale> sales = g.sales(300);
        for (ModelTask task : ModelTask.values()) {
            FeatureSchema schema = encoder.schema(task, FeatureSet.LOCALIZED);
            int n = task == ModelTask.LEAD_SCORING ? leads.size() : sales.size();
            float[] x = new float[n * schema.size()];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                if (task == ModelTask.LEAD_SCORING) {
                    encoder.encode(leads.get(i).lead(), FeatureSet.LOCALIZED, x, i * schema.size());
                    y[i] = leads.get(i).converted() ? 1 : 0;
                } else {
                    encoder.encode(sales.get(i).property(), FeatureSet.LOCALIZED, x, i * schema.size());
                    y[i] = (float) Math.log(encoder.toCommon(sales.get(i).price()));
                }
            }
            for (int i = 0; i < n; i += 7) {
                x[i * schema.size() + (i % schema.size())] = Float.NaN; // missing values take the default branch
            }
            byte[] model = Fixtures.trainer().fit(task, x, y, n, schema.size());
            ModelArtifact artifact = task == ModelTask.LEAD_SCORING
                    ? new ModelArtifact("xgboost", task, schema, java.util.Optional.empty(), java.util.Optional.empty(),
                            java.util.Optional.empty(), model)
                    : new ModelArtifact("xgboost", task, schema, java.util.Optional.empty(),
                            java.util.Optional.of(java.util.Currency.getInstance("USD")),
                            java.util.Optional.of(new ConformalInterval(0.8, 0.1, 10)), model);
            Booster booster = Xgb.load(model);
            try (PredictiveModel javaModel = Models.load(artifact)) {
                float[][] native_ = booster.inplace_predict(x, n, schema.size(), Float.NaN);
                double[] batch = javaModel.predict(x, n);
                for (int i = 0; i < n; i++) {
                    float[] row = java.util.Arrays.copyOfRange(x, i * schema.size(), (i + 1) * schema.size());
                    double tolerance = task == ModelTask.LEAD_SCORING ? 1e-5 : 1e-4;
                    assertThat(javaModel.predict(row)).isCloseTo(native_[i][0], within(tolerance));
                    assertThat(batch[i]).isCloseTo(native_[i][0], within(tolerance));
                }
            } finally {
                booster.dispose();
            }
        }
    }
}
