package com.enterprisehub.geo.models;

import static com.enterprisehub.geo.models.Fixtures.GB;
import static com.enterprisehub.geo.models.Fixtures.US_CA;
import static com.enterprisehub.geo.models.Fixtures.US_TX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.enterprisehub.geo.cloud.local.LocalCloud;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Platt scaling of lead scores: measured on held-out leads of a market with a planted miscalibration (its leads
 * convert at a higher base rate than the global features can see), applied in serving, recorded in the version.
 */
class CalibrationTest {
    private static final Set<MarketId> MARKETS = Set.of(US_CA, US_TX, GB);
    private static StudyResult study;
    private static SyntheticMarkets generator;

    @BeforeAll
    static void run() {
        generator = SyntheticMarkets.builder(Fixtures.encoder()).markets(MARKETS).planted(Set.of())
                .conversionShift(Map.of(US_TX, 1.2)).seed(31).build();
        study = LocalizationStudy.builder(Fixtures.encoder()).trainer(Fixtures.trainer()).bootstrap(200).seed(5)
                .calibration(ScoreCalibration.PLATT).build().scoring(generator.leads(2500));
    }

    /**
     * Judged on 3,000 fresh leads per market from the same law (another seed, never seen by the study), with bounds
     * set by the sample sizes rather than by one realization. The ECE figures on the study's 750 held-out leads are
     * one realization each (this seed: us-tx's global model 0.138 before, 0.068 after; generator seeds 31 to 34 with
     * study seeds 5 to 7 gave 0.099-0.158 before and 0.017-0.081 after), so only their order is asserted.
     */
    @Test
    void plattScalingCorrectsThePlantedMiscalibrationAndCostsLittleElsewhere() {
        MarketReport tx = study.report(US_TX).orElseThrow();
        ScoringMetrics global = (ScoringMetrics) tx.global();
        assertThat(global.calibrationError()).isLessThan(global.calibrationErrorBefore().orElseThrow());
        assertThat(global.rows()).isEqualTo(750);

        List<LabeledLead> fresh = SyntheticMarkets.builder(Fixtures.encoder()).markets(MARKETS).planted(Set.of())
                .conversionShift(Map.of(US_TX, 1.2)).seed(1031).build().leads(3000);
        for (MarketId m : MARKETS) {
            ModelArtifact chosen = study.chosen(m);
            PlattScaling platt = chosen.calibration().orElseThrow();
            double rawLoss = 0;
            double calibratedLoss = 0;
            double rawMean = 0;
            double calibratedMean = 0;
            double observed = 0;
            int n = 0;
            try (PredictiveModel model = Models.load(chosen.withoutCalibration())) {
                FeatureSet set = Fixtures.encoder().setOf(ModelTask.LEAD_SCORING, chosen.schema()).orElseThrow();
                for (LabeledLead l : fresh) {
                    if (!l.lead().market().equals(m)) {
                        continue;
                    }
                    double p = model.predict(Fixtures.encoder().encode(l.lead(), set));
                    double q = platt.apply(p);
                    rawLoss -= Math.log(l.converted() ? p : 1 - p);
                    calibratedLoss -= Math.log(l.converted() ? q : 1 - q);
                    rawMean += p;
                    calibratedMean += q;
                    observed += l.converted() ? 1 : 0;
                    n++;
                }
            }
            assertThat(n).isEqualTo(3000);
            rawLoss /= n;
            calibratedLoss /= n;
            if (m.equals(US_TX)) {
                // The global model, fitted on the three markets' leads pooled and blind to the market, predicts about
                // 0.29 where us-tx's leads convert at about 0.42. The Platt fit on 350 calibration leads sets the mean
                // to within its standard error, sqrt(0.42 * 0.58 / 350) = 0.026, plus 0.009 for the 3,000 fresh
                // leads: 0.08 is more than twice both (seen: at most 0.045 over the 12 seed pairs above). (Not the
                // fitted intercept against the planted +1.2: the pooled model has a share of the shift already, and
                // the intercept trades with the slope; it ranged 0.39-0.85 over those pairs.)
                assertThat(observed / n - rawMean / n).as("planted gap before").isGreaterThan(0.1);
                assertThat(Math.abs(calibratedMean / n - observed / n)).as("gap after").isLessThan(0.08);
                // log loss on fresh leads, 3,000 rows (standard error of the paired difference about 0.004 nats): the
                // correction gains 0.042-0.058 nats over the 12 seed pairs; 0.02 is far below that and above noise
                assertThat(rawLoss - calibratedLoss).as("log loss gained").isGreaterThan(0.02);
            } else {
                // elsewhere it may help (the pooled model over-predicts here) or cost the noise of a two-parameter fit
                // on 350 leads, about 2 / (2 * 350) = 0.003 nats (seen: at most +0.004 over the 12 seed pairs)
                assertThat(calibratedLoss).as(m.value()).isLessThan(rawLoss + 0.01);
            }
        }
        // Nothing but a base rate was planted and recalibrating the global model fixes it, so no market should adopt.
        // One realization of a claim Holm makes at 95% (family-wise): generator seed 32 with study seed 7 adopted
        // us-ca, whose localized model did beat the recalibrated global one on its held-out leads there.
        assertThat(study.adopted()).doesNotContain(US_CA, GB, US_TX);
    }

    @Test
    void theServedModelAppliesItsMarketsCalibrationAndRecordsItInItsVersion(@TempDir Path dir) {
        ModelArtifact chosen = study.chosen(US_TX);
        PlattScaling platt = chosen.calibration().orElseThrow();
        assertThat(platt.market()).contains(US_TX);
        assertThat(platt.rows()).isEqualTo(350);
        // us-tx converts more than the global model says: its mean score 0.29 is raised (to 0.42-0.45 over the 12
        // seed pairs above; the intercept alone, 0.39-0.85 there, trades with the slope)
        assertThat(platt.apply(0.29)).isGreaterThan(0.35);
        ModelArtifact raw = chosen.withoutCalibration();
        assertThat(chosen.version()).isNotEqualTo(raw.version());
        assertThat(ModelArtifact.fromBytes(chosen.toBytes())).isEqualTo(chosen);
        assertThat(study.report(US_TX).orElseThrow().servedVersion()).isEqualTo(chosen.version());

        List<LabeledLead> leads = generator.leads(5).stream().filter(l -> l.lead().market().equals(US_TX)).toList();
        Tenant tenant = Tenant.builder("tenant-tx").market(US_TX).organization("Homes TX").build();
        try (MarketModels models = MarketModels.fromStudy(Fixtures.encoder(), study);
             PredictiveModel rawModel = Models.load(raw)) {
            for (LabeledLead l : leads) {
                LeadScore score = TenantContext.call(tenant, () -> models.score(l.lead()));
                float[] x = new float[raw.schema().size()];
                Fixtures.encoder().encode(l.lead(), Fixtures.encoder().setOf(ModelTask.LEAD_SCORING, raw.schema())
                        .orElseThrow(), x, 0);
                double uncalibrated = rawModel.predict(x);
                assertThat(score.probability()).isCloseTo(platt.apply(uncalibrated), within(1e-12));
                assertThat(score.probability()).isGreaterThan(uncalibrated);
                assertThat(score.modelVersion()).isEqualTo(chosen.version());
            }
        }
        // residency: a calibration fitted on us-tx's leads is published in us-tx only
        ModelStore store = ModelStore.of(LocalCloud.open(dir, java.util.EnumSet.of(DeploymentRegion.US_WEST,
                DeploymentRegion.US_CENTRAL, DeploymentRegion.EUROPE)), Fixtures.encoder().catalog());
        assertThatThrownBy(() -> store.publish(GB, chosen)).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("us-tx");
    }

    @Test
    void plattScalingRefusesNonsense() {
        assertThatThrownBy(() -> new PlattScaling(Double.NaN, 0, 10, java.util.Optional.empty()))
                .isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> new PlattScaling(1, 0, 0, java.util.Optional.empty()))
                .isInstanceOf(GeoValidationException.class);
        PlattScaling identity = new PlattScaling(1, 0, 10, java.util.Optional.empty());
        assertThat(identity.apply(0.3)).isCloseTo(0.3, within(1e-12));
    }
}
