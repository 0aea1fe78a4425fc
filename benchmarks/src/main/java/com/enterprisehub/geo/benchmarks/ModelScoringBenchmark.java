package com.enterprisehub.geo.benchmarks;

import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.localization.OfflineRates;
import com.enterprisehub.geo.localization.tax.TransferTaxes;
import com.enterprisehub.geo.models.FeatureEncoder;
import com.enterprisehub.geo.models.FeatureSet;
import com.enterprisehub.geo.models.LabeledLead;
import com.enterprisehub.geo.models.Lead;
import com.enterprisehub.geo.models.LeadScore;
import com.enterprisehub.geo.models.LocalizationStudy;
import com.enterprisehub.geo.models.MarketModels;
import com.enterprisehub.geo.models.Models;
import com.enterprisehub.geo.models.PredictiveModel;
import com.enterprisehub.geo.models.Property;
import com.enterprisehub.geo.models.Sale;
import com.enterprisehub.geo.models.StudyResult;
import com.enterprisehub.geo.models.SyntheticMarkets;
import com.enterprisehub.geo.models.Valuation;
import com.enterprisehub.geo.models.XGBoostTrainer;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Serving cost of geo-models: one lead scored or one property valued for a bound tenant through
 * {@link MarketModels} (encoding with the offline rates and the transfer-tax calculator, the market's model chosen,
 * the trees evaluated, the version attached), and its parts: {@code encodeLead} (features only, transfer tax
 * included), {@code predictLead} (the model on a vector encoded beforehand). The models are XGBoost (150 trees of
 * depth 4, the trainer's defaults) trained in the set-up on generated data of four markets (gb, au with planted
 * differences; us-tx, ca without), the localized models adopted where the study says so. Rows cycle through 256
 * generated leads and properties of the tenant's market ({@code market} parameter).
 *
 * <p>Latency, one thread (p50/p99 from sample mode):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar ModelScoringBenchmark -bm sample -tu us -f 1 -wi 2 -w 2s -i 3 -r 2s
 * }</pre>
 * Throughput, both cores: {@code ... ModelScoringBenchmark -bm thrpt -tu s -t 2 -f 1 -wi 2 -w 2s -i 3 -r 2s}.
 * Figures in docs/models.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ModelScoringBenchmark {
    private static final int ROWS = 256;

    @org.openjdk.jmh.annotations.Param({"gb", "us-tx"})
    public String market;

    private FeatureEncoder encoder;
    private MarketModels scoring;
    private MarketModels valuation;
    private PredictiveModel leadModel;
    private FeatureSet leadSet;
    private Lead[] leads;
    private Property[] properties;
    private float[][] encodedLeads;
    private Tenant tenant;

    /** A bound tenant per benchmark thread, and the row it is at. */
    @State(Scope.Thread)
    public static class Bound {
        TenantContext.Scope scope;
        int next;

        @Setup(Level.Iteration)
        public void bind(ModelScoringBenchmark b) {
            scope = TenantContext.open(b.tenant);
        }

        @TearDown(Level.Iteration)
        public void unbind() {
            scope.close();
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Set<MarketId> ids = Set.of(MarketId.of("gb"), MarketId.of("au"), MarketId.of("us-tx"), MarketId.of("ca"));
        List<Market> markets = MarketCatalog.defaults().markets().stream().filter(m -> ids.contains(m.id())).toList();
        OfflineRates rates = OfflineRates.of(LocalDate.of(2025, 12, 31), "benchmark (invented rates)", "USD",
                Map.of("CAD", new BigDecimal("1.37"), "GBP", new BigDecimal("0.79"), "AUD", new BigDecimal("1.52")));
        encoder = FeatureEncoder.builder(MarketCatalog.of(markets)).rates(rates, "USD")
                .transferTaxes(TransferTaxes.fromClassPath()).build();
        SyntheticMarkets generator = SyntheticMarkets.builder(encoder)
                .planted(Set.of(MarketId.of("gb"), MarketId.of("au"))).seed(1).build();
        LocalizationStudy study = LocalizationStudy.builder(encoder).trainer(XGBoostTrainer.defaults()).bootstrap(200)
                .build();
        StudyResult scoringStudy = study.scoring(generator.leads(3000));
        StudyResult valuationStudy = study.valuation(generator.sales(1500));
        scoring = MarketModels.fromStudy(encoder, scoringStudy);
        valuation = MarketModels.fromStudy(encoder, valuationStudy);
        MarketId id = MarketId.of(market);
        tenant = Tenant.builder("bench-" + market).market(id).organization("Benchmark").build();
        SyntheticMarkets one = SyntheticMarkets.builder(encoder).markets(Set.of(id)).planted(Set.of(id)).seed(2)
                .build();
        leads = one.leads(ROWS).stream().map(LabeledLead::lead).toArray(Lead[]::new);
        properties = one.sales(ROWS).stream().map(Sale::property).toArray(Property[]::new);
        leadModel = Models.load(scoringStudy.chosen(id));
        leadSet = encoder.setOf(leadModel.artifact().task(), leadModel.artifact().schema()).orElseThrow();
        encodedLeads = new float[ROWS][];
        for (int i = 0; i < ROWS; i++) {
            encodedLeads[i] = encoder.encode(leads[i], leadSet);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        scoring.close();
        valuation.close();
        leadModel.close();
    }

    @Benchmark
    public LeadScore scoreLead(Bound b) {
        return scoring.score(leads[b.next++ & (ROWS - 1)]);
    }

    @Benchmark
    public Valuation valueProperty(Bound b) {
        return valuation.value(properties[b.next++ & (ROWS - 1)]);
    }

    @Benchmark
    public float[] encodeLead(Bound b) {
        return encoder.encode(leads[b.next++ & (ROWS - 1)], leadSet);
    }

    @Benchmark
    public double predictLead(Bound b) {
        return leadModel.predict(encodedLeads[b.next++ & (ROWS - 1)]);
    }
}
