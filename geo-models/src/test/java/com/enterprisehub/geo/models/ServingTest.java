package com.enterprisehub.geo.models;

import static com.enterprisehub.geo.models.Fixtures.GB;
import static com.enterprisehub.geo.models.Fixtures.US_CA;
import static com.enterprisehub.geo.models.Fixtures.US_TX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.cloud.local.LocalCloud;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.spi.ProviderSelectionException;
import com.enterprisehub.geo.spi.Providers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving by the tenant's market, storage per region, artifacts and providers, on one small trained study. */
class ServingTest {
    private static final Set<MarketId> MARKETS = Set.of(US_CA, US_TX, GB);
    private static StudyResult study;
    private static List<Sale> sales;

    @BeforeAll
    static void train() {
        SyntheticMarkets generator = SyntheticMarkets.builder(Fixtures.encoder()).markets(MARKETS)
                .planted(Set.of(US_CA, GB)).seed(21).build();
        study = LocalizationStudy.builder(Fixtures.encoder()).trainer(Fixtures.trainer()).bootstrap(200).build()
                .valuation(generator.sales(400));
        sales = generator.sales(20);
    }

    private static Tenant tenant(MarketId market) {
        return Tenant.builder("tenant-" + market.value()).market(market).organization("Homes " + market).build();
    }

    @Test
    void eachTenantIsServedByTheModelChosenForItsMarketWithItsVersion() {
        assertThat(study.adopted()).contains(US_CA, GB);
        try (MarketModels models = MarketModels.fromStudy(Fixtures.encoder(), study);
             PredictiveModel global = Models.load(study.global())) {
            assertThat(models.localizedMarkets()).isEqualTo(study.adopted());
            for (Sale sale : sales) {
                MarketId market = sale.property().market();
                ModelArtifact chosen = study.chosen(market);
                Valuation v = TenantContext.call(tenant(market), () -> models.value(sale.property()));
                assertThat(v.modelVersion()).isEqualTo(chosen.version()).isEqualTo(models.versionFor(market));
                assertThat(v.localized()).isEqualTo(study.adopted().contains(market));
                assertThat(v.market()).isEqualTo(market);
                assertThat(v.estimate().getCurrency().getCurrencyCode())
                        .isEqualTo(market.equals(GB) ? "GBP" : "USD");
                assertThat(v.low().isLessThan(v.estimate())).isTrue();
                assertThat(v.high().isGreaterThan(v.estimate())).isTrue();
                if (!v.localized()) {
                    double log = global.predict(Fixtures.encoder().encode(sale.property(), FeatureSet.GLOBAL));
                    double expected = Fixtures.encoder().fromCommon(Math.exp(log), market);
                    assertThat(v.estimate().getNumber().doubleValue()).isCloseTo(expected,
                            org.assertj.core.api.Assertions.within(1.0));
                }
            }
        }
    }

    @Test
    void servingFailsClosed() {
        Sale californian = sales.stream().filter(s -> s.property().market().equals(US_CA)).findFirst().orElseThrow();
        try (MarketModels models = MarketModels.fromStudy(Fixtures.encoder(), study)) {
            assertThatThrownBy(() -> models.value(californian.property()))
                    .isInstanceOf(NoTenantBoundException.class);
            assertThatThrownBy(() -> TenantContext.call(tenant(GB), () -> models.value(californian.property())))
                    .isInstanceOf(GeoValidationException.class)
                    .hasMessageContaining("of market 'us-ca' for tenant 'tenant-gb' of market 'gb'");
            Lead lead = SyntheticMarkets.builder(Fixtures.encoder()).markets(Set.of(GB)).build().leads(1).get(0).lead();
            assertThatThrownBy(() -> TenantContext.call(tenant(GB), () -> models.score(lead)))
                    .isInstanceOf(GeoValidationException.class).hasMessageContaining("needs LEAD_SCORING models");
        }
    }

    @Test
    void concurrentPredictionsEqualSequentialOnes() throws Exception {
        try (MarketModels models = MarketModels.fromStudy(Fixtures.encoder(), study)) {
            List<Valuation> expected = new ArrayList<>();
            for (Sale s : sales) {
                expected.add(TenantContext.call(tenant(s.property().market()), () -> models.value(s.property())));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> runs = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    runs.add(pool.submit(() -> {
                        for (int round = 0; round < 10; round++) {
                            for (int i = 0; i < sales.size(); i++) {
                                Sale s = sales.get(i);
                                Valuation v = TenantContext.call(tenant(s.property().market()),
                                        () -> models.value(s.property()));
                                if (!v.equals(expected.get(i))) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> run : runs) {
                    assertThat(run.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aClosedModelRefusesToPredict() {
        PredictiveModel model = Models.load(study.global());
        float[] x = Fixtures.encoder().encode(sales.get(0).property(), FeatureSet.GLOBAL);
        assertThat(model.predict(x)).isFinite();
        assertThatThrownBy(() -> model.predict(new float[x.length + 1])).isInstanceOf(ModelException.class)
                .hasMessageContaining("1 rows of " + x.length + " features need " + x.length + " values");
        model.close();
        model.close();
        assertThatThrownBy(() -> model.predict(x)).isInstanceOf(ModelException.class).hasMessageContaining("closed");
    }

    @Test
    void modelsAreStoredInTheirMarketsRegionAndReadBackIntact(@TempDir Path root) throws Exception {
        LocalCloud cloud = LocalCloud.open(root, EnumSet.of(DeploymentRegion.US_WEST, DeploymentRegion.US_CENTRAL,
                DeploymentRegion.EUROPE));
        ModelStore store = ModelStore.of(cloud, Fixtures.encoder().catalog());
        for (MarketId m : MARKETS) {
            assertThat(store.current(m, ModelTask.VALUATION)).isEmpty();
            store.publish(m, study.chosen(m));
            assertThat(store.current(m, ModelTask.VALUATION)).contains(study.chosen(m));
        }
        assertThat(cloud.requireRegion(DeploymentRegion.EUROPE).objects().list("models/")).allSatisfy(
                o -> assertThat(o.key()).startsWith("models/gb/"));
        assertThat(cloud.requireRegion(DeploymentRegion.US_WEST).objects().list("models/gb/")).isEmpty();

        ModelArtifact g = study.global();
        ModelArtifact trainedOnGb = new ModelArtifact(g.format(), g.task(), g.schema(), Optional.of(GB), g.currency(),
                g.interval(), g.bytes());
        assertThatThrownBy(() -> store.publish(US_CA, trainedOnGb)).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("trained on market 'gb' data alone");

        // an object altered in storage is refused, never served
        String key = store.publish(GB, trainedOnGb);
        byte[] altered = cloud.requireRegion(DeploymentRegion.EUROPE).objects().get(key).orElseThrow();
        altered[altered.length - 1] ^= 1;
        cloud.requireRegion(DeploymentRegion.EUROPE).objects().put(key, altered);
        assertThatThrownBy(() -> store.current(GB, ModelTask.VALUATION)).isInstanceOf(ModelException.class)
                .hasMessageContaining("altered or damaged");
        assertThat(Files.exists(root)).isTrue();
    }

    @Test
    void artifactsRoundTripAndTheirVersionNamesTheirContent() {
        ModelArtifact a = study.global();
        assertThat(ModelArtifact.fromBytes(a.toBytes())).isEqualTo(a);
        assertThat(a.version()).matches("valuation/global/xgboost/[0-9a-f]{16}");
        byte[] model = a.bytes();
        model[model.length / 2] ^= 1;
        ModelArtifact changed = new ModelArtifact(a.format(), a.task(), a.schema(), a.market(), a.currency(),
                a.interval(), model);
        assertThat(changed.version()).isNotEqualTo(a.version());
        byte[] encoded = a.toBytes();
        assertThatThrownBy(() -> ModelArtifact.fromBytes(java.util.Arrays.copyOf(encoded, encoded.length - 10)))
                .isInstanceOf(ModelException.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> ModelArtifact.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(ModelException.class).hasMessageContaining("wrong magic number");
    }

    @Test
    void providersAreFoundByName() {
        Providers providers = Providers.fromClassPath();
        assertThat(providers.select(ModelProvider.class, "xgboost")).isInstanceOf(XGBoostModels.class);
        assertThat(providers.select(ModelProvider.class, "onnx")).isInstanceOf(OnnxModels.class);
        assertThatThrownBy(() -> providers.select(ModelProvider.class, "tensorflow"))
                .isInstanceOf(ProviderSelectionException.class).hasMessageContaining("'onnx'")
                .hasMessageContaining("'xgboost'");
        ModelArtifact g = study.global();
        ModelArtifact asOnnx = new ModelArtifact("onnx", g.task(), g.schema(), g.market(), g.currency(), g.interval(),
                g.bytes());
        assertThatThrownBy(() -> providers.select(ModelProvider.class, "xgboost").load(asOnnx))
                .isInstanceOf(ModelException.class).hasMessageContaining("Models.load(artifact)");
    }

    @Test
    void theTrainerIsDeterministicAndRefusesBadLabels() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] y = {0, 1, 0, 1};
        XGBoostTrainer trainer = XGBoostTrainer.builder().rounds(5).build();
        assertThat(trainer.fit(ModelTask.LEAD_SCORING, x, y, 4, 2))
                .isEqualTo(trainer.fit(ModelTask.LEAD_SCORING, x, y, 4, 2));
        assertThatThrownBy(() -> trainer.fit(ModelTask.LEAD_SCORING, x, new float[] {0, 1, 2, 1}, 4, 2))
                .isInstanceOf(ModelException.class).hasMessageContaining("must be 0 or 1; got 2.0");
        assertThatThrownBy(() -> trainer.fit(ModelTask.VALUATION, x, y, 3, 2))
                .isInstanceOf(ModelException.class).hasMessageContaining("disagrees in size");
        assertThatThrownBy(() -> XGBoostTrainer.builder().maxDepth(0)).isInstanceOf(GeoValidationException.class);
    }
}
