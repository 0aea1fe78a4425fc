package com.enterprisehub.geo.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.spi.Providers;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code onnx} provider runs real ONNX models (written by {@link OnnxWriter}) in ONNX Runtime. */
class OnnxModelsTest {

    private static float[] weights(int k, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] w = new float[k];
        for (int i = 0; i < k; i++) {
            w[i] = (float) (r.nextDouble() - 0.5);
        }
        return w;
    }

    private static double linear(float[] w, float b, float[] x) {
        double z = b;
        for (int i = 0; i < w.length; i++) {
            z += (double) w[i] * x[i];
        }
        return z;
    }

    @Test
    void aLogisticModelScoresLeadsAsTheSameFormulaComputedInJava() {
        FeatureEncoder encoder = Fixtures.encoder();
        FeatureSchema schema = encoder.schema(ModelTask.LEAD_SCORING, FeatureSet.LOCALIZED);
        float[] w = weights(schema.size(), 5);
        w[schema.indexOf("transfer_tax_share")] = 0; // NaN where no calculator applies; keep the formula finite
        float bias = -0.4f;
        ModelArtifact artifact = new ModelArtifact("onnx", ModelTask.LEAD_SCORING, schema, Optional.empty(),
                Optional.empty(), Optional.empty(), OnnxWriter.linear(w, bias, true));
        List<LabeledLead> leads = SyntheticMarkets.builder(encoder).markets(Set.of(Fixtures.GB, Fixtures.AU))
                .planted(Set.of()).seed(4).build().leads(100);

        try (PredictiveModel model = Models.load(Providers.fromClassPath(), artifact)) {
            int n = leads.size();
            float[] batch = new float[n * schema.size()];
            for (int i = 0; i < n; i++) {
                float[] x = encoder.encode(leads.get(i).lead(), FeatureSet.LOCALIZED);
                x[schema.indexOf("transfer_tax_share")] = 0;
                System.arraycopy(x, 0, batch, i * schema.size(), x.length);
            }
            double[] scores = model.predict(batch, n);
            for (int i = 0; i < n; i++) {
                float[] x = java.util.Arrays.copyOfRange(batch, i * schema.size(), (i + 1) * schema.size());
                double expected = 1 / (1 + Math.exp(-linear(w, bias, x)));
                assertThat(scores[i]).isCloseTo(expected, within(1e-5));
                assertThat(model.predict(x)).isCloseTo(expected, within(1e-5));
            }
            assertThat(java.util.Arrays.stream(scores).max().orElseThrow()
                    - java.util.Arrays.stream(scores).min().orElseThrow()).isGreaterThan(0.05);
        }
    }

    @Test
    void anOnnxValuationModelIsServedByTheTenantsMarketWithItsInterval() {
        FeatureEncoder encoder = Fixtures.encoder();
        FeatureSchema schema = encoder.schema(ModelTask.VALUATION, FeatureSet.GLOBAL);
        float[] w = new float[schema.size()];
        w[schema.indexOf("log_floor_area_m2")] = 1f;
        float bias = (float) Math.log(3500);
        ModelArtifact artifact = new ModelArtifact("onnx", ModelTask.VALUATION, schema, Optional.empty(),
                Optional.of(java.util.Currency.getInstance("USD")),
                Optional.of(new ConformalInterval(0.8, 0.2, 500)), OnnxWriter.linear(w, bias, false));
        Sale sale = SyntheticMarkets.builder(encoder).markets(Set.of(Fixtures.GB)).seed(5).build().sales(1).get(0);
        Tenant tenant = Tenant.builder("thames-homes").market("gb").organization("Thames Homes").build();

        try (MarketModels models = MarketModels.builder(encoder, ModelTask.VALUATION)
                .global(Models.load(artifact)).build();
             TenantContext.Scope scope = TenantContext.open(tenant)) {
            Valuation v = models.value(sale.property());
            double usd = 3500 * FeatureEncoder.squareMetres(sale.property());
            double gbp = usd * 0.79;
            assertThat(v.estimate().getCurrency().getCurrencyCode()).isEqualTo("GBP");
            assertThat(v.estimate().getNumber().doubleValue()).isCloseTo(gbp, within(gbp * 1e-5 + 1));
            assertThat(v.low().getNumber().doubleValue()).isCloseTo(gbp * Math.exp(-0.2), within(gbp * 1e-5 + 1));
            assertThat(v.high().getNumber().doubleValue()).isCloseTo(gbp * Math.exp(0.2), within(gbp * 1e-5 + 1));
            assertThat(v.level()).isEqualTo(0.8);
            assertThat(v.modelVersion()).isEqualTo(artifact.version()).startsWith("valuation/global/onnx/");
            assertThat(v.localized()).isFalse();
        }
    }

    @Test
    void aModelWhoseInputDoesNotMatchTheSchemaIsRefused() {
        FeatureSchema schema = Fixtures.encoder().schema(ModelTask.LEAD_SCORING, FeatureSet.GLOBAL);
        ModelArtifact wrongWidth = new ModelArtifact("onnx", ModelTask.LEAD_SCORING, schema, Optional.empty(),
                Optional.empty(), Optional.empty(), OnnxWriter.linear(new float[schema.size() + 1], 0, true));
        assertThatThrownBy(() -> Models.load(wrongWidth)).isInstanceOf(ModelException.class)
                .hasMessageContaining("must be a float tensor [rows, " + schema.size() + "]");

        ModelArtifact garbage = new ModelArtifact("onnx", ModelTask.LEAD_SCORING, schema, Optional.empty(),
                Optional.empty(), Optional.empty(), new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> Models.load(garbage)).isInstanceOf(ModelException.class)
                .hasMessageContaining("ONNX Runtime could not load the model");
    }
}
