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
 * </ol>
 */
class ModelsMeasurement {
    private final StringBuilder out = new StringBuilder();

    private void say(String line) {
        System.out.println(line);
        out.append(line).append('\n');
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
        for (Market m : encoder.catalog().markets()) {
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
        Path file = Path.of("target", "models-measurement.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out);
    }
}
