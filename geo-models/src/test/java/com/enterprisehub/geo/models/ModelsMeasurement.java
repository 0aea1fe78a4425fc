package com.enterprisehub.geo.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Opt-in measurements for docs/models.md (skipped unless {@code -Dgeo.models.measure=true}; takes several minutes):
 * {@code mvn -o -B -pl geo-models test -Dtest=ModelsMeasurement -Dgeo.models.measure=true}. Writes
 * {@code geo-models/target/models-measurement.txt}.
 *
 * <ol>
 *   <li>Training time per market on 100,000 generated rows of that market, per task: XGBoost with the trainer's
 *       defaults (150 trees, depth 4, one thread), localized features; encoding timed apart.</li>
 *   <li>Lift per market with its simultaneous interval: the study on all twelve default markets, differences
 *       planted in us-ca, gb, au and ca, 5,000 leads and 2,000 sales per market, 1,000 bootstrap resamples, both
 *       strategies.</li>
 *   <li>Calibration before and after Platt scaling per market, with a planted miscalibration in two markets.</li>
 * </ol>
 *
 * <p>{@code -Dgeo.models.measure.training=false} skips the training times.
 */
class ModelsMeasurement {
    private final StringBuilder out = new StringBuilder();

    private void say(String line) {
        System.out.println(line);
        out.append(line).append('\n');
    }

    /**
     * Calibration before and after Platt scaling on each market's held-out leads: the twelve markets, drivers planted as
     * above, and a planted miscalibration (conversion logit shifted) in us-fl (+1.0) and us-nc (-0.8).
     */
    private void measureCalibration(FeatureEncoder encoder) {
        Set<MarketId> planted = Set.of(MarketId.of("us-ca"), MarketId.of("gb"), MarketId.of("au"), MarketId.of("ca"));
        java.util.Map<MarketId, Double> shifts = java.util.Map.of(MarketId.of("us-fl"), 1.0, MarketId.of("us-nc"), -0.8);
        List<LabeledLead> leads = SyntheticMarkets.builder(encoder).planted(planted).conversionShift(shifts).seed(4)
                .build().leads(5000);
        LocalizationStudy study = LocalizationStudy.builder(encoder).calibration(ScoreCalibration.PLATT)
                .bootstrap(1000).seed(3).build();
        long t0 = System.nanoTime();
        StudyResult result = study.scoring(leads);
        long t1 = System.nanoTime();
        say("");
        say("# Calibration, Platt scaling per market, planted drivers " + new java.util.TreeSet<>(planted)
                + ", planted miscalibration " + new java.util.TreeMap<>(shifts) + ", " + study);
        say(String.format(Locale.ROOT, "## lead scoring (5,000 leads per market), %.1f s", (t1 - t0) / 1e9));
        say(result.summary());
        say(String.format(Locale.ROOT, "%-7s %6s %-22s %-22s %-16s %s", "market", "calib", "ECE global before>after",
                "ECE local before>after", "served", "Platt slope, intercept"));
        for (MarketReport r : result.reports().values()) {
            ScoringMetrics g = (ScoringMetrics) r.global();
            java.util.Optional<ScoringMetrics> l = r.localized().map(ScoringMetrics.class::cast);
            PlattScaling p = result.calibrations().get(r.market());
            say(String.format(Locale.ROOT, "%-7s %6s %-22s %-22s %-16s %s", r.market(),
                    p == null ? "-" : String.valueOf(p.rows()), ece(g), l.map(ModelsMeasurement::ece).orElse("-"),
                    r.decision() == Decision.ADOPT_LOCALIZED ? "localized" : "global",
                    p == null ? "-" : String.format(Locale.ROOT, "%.3f, %.3f", p.slope(), p.intercept())));
        }
    }

    private static String ece(ScoringMetrics m) {
        return m.calibrationErrorBefore().isPresent()
                ? String.format(Locale.ROOT, "%.4f > %.4f", m.calibrationErrorBefore().getAsDouble(),
                        m.calibrationError())
                : String.format(Locale.ROOT, "%.4f", m.calibrationError());
    }

    @Test
    void measure() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("geo.models.measure"), "set -Dgeo.models.measure=true to measure");
        FeatureEncoder encoder = Fixtures.encoder();
        XGBoostTrainer trainer = XGBoostTrainer.defaults();
        say("# Training time per market, 100,000 rows each, " + trainer + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version());
        say(String.format(Locale.ROOT, "%-7s %-13s %10s %10s %10s", "market", "task", "generate s", "encode s",
                "fit s"));
        int rows = 100_000;
        boolean training = !"false".equals(System.getProperty("geo.models.measure.training"));
        for (Market m : training ? encoder.catalog().markets() : List.<Market>of()) {
            SyntheticMarkets g = SyntheticMarkets.builder(encoder).markets(Set.of(m.id())).planted(Set.of(m.id()))
                    .seed(1).build();
            for (ModelTask task : ModelTask.values()) {
                long t0 = System.nanoTime();
                List<LabeledLead> leads = task == ModelTask.LEAD_SCORING ? g.leads(rows) : List.of();
                List<Sale> sales = task == ModelTask.VALUATION ? g.sales(rows) : List.of();
                long t1 = System.nanoTime();
                FeatureSchema schema = encoder.schema(task, FeatureSet.LOCALIZED);
                float[] x = new float[rows * schema.size()];
                float[] y = new float[rows];
                for (int i = 0; i < rows; i++) {
                    if (task == ModelTask.LEAD_SCORING) {
                        encoder.encode(leads.get(i).lead(), FeatureSet.LOCALIZED, x, i * schema.size());
                        y[i] = leads.get(i).converted() ? 1 : 0;
                    } else {
                        encoder.encode(sales.get(i).property(), FeatureSet.LOCALIZED, x, i * schema.size());
                        y[i] = (float) Math.log(encoder.toCommon(sales.get(i).price()));
                    }
                }
                long t2 = System.nanoTime();
                byte[] model = trainer.fit(task, x, y, rows, schema.size());
                long t3 = System.nanoTime();
                assertThat(model).isNotEmpty();
                say(String.format(Locale.ROOT, "%-7s %-13s %10.1f %10.1f %10.1f", m.id(), task, (t1 - t0) / 1e9,
                        (t2 - t1) / 1e9, (t3 - t2) / 1e9));
            }
        }
        Set<MarketId> planted = Set.of(MarketId.of("us-ca"), MarketId.of("gb"), MarketId.of("au"), MarketId.of("ca"));
        SyntheticMarkets all = SyntheticMarkets.builder(encoder).planted(planted).seed(2).build();
        List<LabeledLead> leads = all.leads(5000);
        List<Sale> sales = all.sales(2000);
        for (LocalizationStrategy strategy : LocalizationStrategy.values()) {
            LocalizationStudy study = LocalizationStudy.builder(encoder).strategy(strategy).bootstrap(1000).seed(3)
                    .build();
            long t0 = System.nanoTime();
            StudyResult scoring = study.scoring(leads);
            long t1 = System.nanoTime();
            StudyResult valuation = study.valuation(sales);
            long t2 = System.nanoTime();
            say("");
            say("# Lift per market, " + strategy + ", planted " + new java.util.TreeSet<>(planted) + ", " + study);
            say(String.format(Locale.ROOT, "## lead scoring (5,000 leads per market), %.1f s", (t1 - t0) / 1e9));
            say(scoring.summary());
            say(String.format(Locale.ROOT, "## valuation (2,000 sales per market), %.1f s", (t2 - t1) / 1e9));
            say(valuation.summary());
        }
        measureCalibration(encoder);
        Path file = Path.of("target", "models-measurement.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out);
    }
}
