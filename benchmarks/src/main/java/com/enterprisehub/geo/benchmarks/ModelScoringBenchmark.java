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
import com.enterprisehub.geo.models.ModelArtifact;
import com.enterprisehub.geo.models.ModelTask;
import com.enterprisehub.geo.models.Models;
import com.enterprisehub.geo.models.PredictiveModel;
import com.enterprisehub.geo.models.Property;
import com.enterprisehub.geo.models.Sale;
import com.enterprisehub.geo.models.StudyResult;
import com.enterprisehub.geo.models.SyntheticMarkets;
import com.enterprisehub.geo.models.Valuation;
import com.enterprisehub.geo.models.XGBoostTrainer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
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
 *
 * <p>ONNX ({@code scoreLeadOnnx}, {@code predictLeadOnnx}): the same lead model (the market's chosen XGBoost trees)
 * written as an ONNX {@code ai.onnx.ml.TreeEnsembleRegressor} followed by a {@code Sigmoid}, served by the
 * {@code onnx} provider in ONNX Runtime; the set-up checks that it scores the 256 rows as the XGBoost model does
 * (within 1e-5) before measuring. ONNX Runtime is an optional dependency of geo-models, not in the shaded jar: put
 * it on the class path (the forks inherit it), else only these two benchmarks fail, saying which artifact to add:
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar:$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.23.2/onnxruntime-1.23.2.jar \
 *     org.openjdk.jmh.Main 'ModelScoringBenchmark.(scoreLead|predictLead)' -bm sample -tu us -f 1 -wi 2 -w 2s -i 3 -r 2s
 * }</pre>
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
    private ModelArtifact leadArtifact;

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
        leadArtifact = scoringStudy.chosen(id);
        leadModel = Models.load(leadArtifact);
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

    /** The market's lead model as ONNX, in ONNX Runtime, alone and served through {@link MarketModels}. */
    @State(Scope.Benchmark)
    public static class Onnx {
        PredictiveModel model;
        MarketModels scoring;

        @Setup(Level.Trial)
        public void load(ModelScoringBenchmark b) throws Exception {
            ModelArtifact xgb = b.leadArtifact;
            ModelArtifact onnx = new ModelArtifact("onnx", ModelTask.LEAD_SCORING, xgb.schema(), xgb.market(),
                    Optional.empty(), Optional.empty(), OnnxTrees.fromXgboost(xgb.bytes()));
            model = Models.load(onnx); // fails here, naming the artifact to add, if ONNX Runtime is absent
            for (float[] x : b.encodedLeads) {
                double expected = b.leadModel.predict(x);
                double got = model.predict(x);
                if (Math.abs(expected - got) > 1e-5) {
                    throw new IllegalStateException("The ONNX trees score " + got + " where XGBoost scores " + expected);
                }
            }
            scoring = MarketModels.builder(b.encoder, ModelTask.LEAD_SCORING).global(Models.load(onnx)).build();
        }

        @TearDown(Level.Trial)
        public void close() {
            scoring.close();
            model.close();
        }
    }

    @Benchmark
    public LeadScore scoreLeadOnnx(Onnx onnx, Bound b) {
        return onnx.scoring.score(leads[b.next++ & (ROWS - 1)]);
    }

    @Benchmark
    public double predictLeadOnnx(Onnx onnx, Bound b) {
        return onnx.model.predict(encodedLeads[b.next++ & (ROWS - 1)]);
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

    /**
     * Writes an XGBoost model (binary logistic, numerical splits) as an ONNX model: one
     * {@code ai.onnx.ml.TreeEnsembleRegressor} (opset 3; {@code x < threshold} is the true branch, a missing value
     * follows XGBoost's default direction, the base score's logit as base value) and a {@code Sigmoid}. A minimal
     * protobuf writer; field numbers are onnx.proto's (ModelProto, GraphProto, NodeProto, AttributeProto,
     * ValueInfoProto, TypeProto, TensorShapeProto), IR version 8.
     */
    static final class OnnxTrees {
        private OnnxTrees() {
        }

        static byte[] fromXgboost(byte[] model) throws Exception {
            Booster booster = XGBoost.loadModel(model);
            JsonNode learner;
            try {
                learner = new ObjectMapper().readTree(booster.toByteArray("json")).path("learner");
            } finally {
                booster.dispose();
            }
            if (!learner.path("objective").path("name").asText().equals("binary:logistic")) {
                throw new IllegalStateException("Only binary:logistic models are written here");
            }
            double base = Double.parseDouble(learner.path("learner_model_param").path("base_score").asText()
                    .replace("[", "").replace("]", ""));
            int features = learner.path("learner_model_param").path("num_feature").asInt();
            List<Long> treeIds = new ArrayList<>();
            List<Long> nodeIds = new ArrayList<>();
            List<Long> featureIds = new ArrayList<>();
            List<Float> values = new ArrayList<>();
            List<String> modes = new ArrayList<>();
            List<Long> trueIds = new ArrayList<>();
            List<Long> falseIds = new ArrayList<>();
            List<Long> missingTrue = new ArrayList<>();
            List<Long> targetTree = new ArrayList<>();
            List<Long> targetNode = new ArrayList<>();
            List<Float> weights = new ArrayList<>();
            int tree = 0;
            for (JsonNode t : learner.path("gradient_booster").path("model").path("trees")) {
                int n = t.path("left_children").size();
                for (int i = 0; i < n; i++) {
                    int left = t.path("left_children").path(i).asInt();
                    float value = (float) t.path("split_conditions").path(i).asDouble();
                    treeIds.add((long) tree);
                    nodeIds.add((long) i);
                    if (left < 0) {
                        modes.add("LEAF");
                        featureIds.add(0L);
                        values.add(0f);
                        trueIds.add(0L);
                        falseIds.add(0L);
                        missingTrue.add(0L);
                        targetTree.add((long) tree);
                        targetNode.add((long) i);
                        weights.add(value);
                    } else {
                        modes.add("BRANCH_LT");
                        featureIds.add((long) t.path("split_indices").path(i).asInt());
                        values.add(value);
                        trueIds.add((long) left);
                        falseIds.add((long) t.path("right_children").path(i).asInt());
                        missingTrue.add(t.path("default_left").path(i).asInt() != 0 ? 1L : 0L);
                    }
                }
                tree++;
            }
            Message trees = new Message();
            trees.string(1, "X");
            trees.string(2, "margin");
            trees.string(3, "trees");
            trees.string(4, "TreeEnsembleRegressor");
            trees.string(7, "ai.onnx.ml");
            trees.message(5, ints("nodes_treeids", treeIds));
            trees.message(5, ints("nodes_nodeids", nodeIds));
            trees.message(5, ints("nodes_featureids", featureIds));
            trees.message(5, floats("nodes_values", values));
            trees.message(5, strings("nodes_modes", modes));
            trees.message(5, ints("nodes_truenodeids", trueIds));
            trees.message(5, ints("nodes_falsenodeids", falseIds));
            trees.message(5, ints("nodes_missing_value_tracks_true", missingTrue));
            trees.message(5, ints("target_treeids", targetTree));
            trees.message(5, ints("target_nodeids", targetNode));
            trees.message(5, ints("target_ids", targetNode.stream().map(x -> 0L).toList()));
            trees.message(5, floats("target_weights", weights));
            trees.message(5, intAttribute("n_targets", 1));
            trees.message(5, floats("base_values", List.of((float) Math.log(base / (1 - base)))));
            trees.message(5, stringAttribute("post_transform", "NONE"));
            trees.message(5, stringAttribute("aggregate_function", "SUM"));
            Message sigmoid = new Message();
            sigmoid.string(1, "margin");
            sigmoid.string(2, "Y");
            sigmoid.string(3, "sigmoid");
            sigmoid.string(4, "Sigmoid");
            Message graph = new Message();
            graph.message(1, trees);
            graph.message(1, sigmoid);
            graph.string(2, "xgboost-trees");
            graph.message(11, valueInfo("X", features));
            graph.message(12, valueInfo("Y", 1));
            Message model1 = new Message();
            model1.varintField(1, 8);
            model1.string(2, "geo-models ModelScoringBenchmark");
            model1.message(7, graph);
            model1.message(8, opset("", 13));
            model1.message(8, opset("ai.onnx.ml", 3));
            return model1.toBytes();
        }

        private static Message opset(String domain, int version) {
            Message m = new Message();
            m.string(1, domain);
            m.varintField(2, version);
            return m;
        }

        private static Message ints(String name, List<Long> values) {
            Message a = new Message();
            a.string(1, name);
            for (long v : values) {
                a.varintField(8, v);
            }
            a.varintField(20, 7); // INTS
            return a;
        }

        private static Message floats(String name, List<Float> values) {
            Message a = new Message();
            a.string(1, name);
            for (float v : values) {
                a.fixed32Field(7, Float.floatToIntBits(v));
            }
            a.varintField(20, 6); // FLOATS
            return a;
        }

        private static Message strings(String name, List<String> values) {
            Message a = new Message();
            a.string(1, name);
            for (String v : values) {
                a.string(9, v);
            }
            a.varintField(20, 8); // STRINGS
            return a;
        }

        private static Message intAttribute(String name, long value) {
            Message a = new Message();
            a.string(1, name);
            a.varintField(3, value);
            a.varintField(20, 2); // INT
            return a;
        }

        private static Message stringAttribute(String name, String value) {
            Message a = new Message();
            a.string(1, name);
            a.string(4, value);
            a.varintField(20, 3); // STRING
            return a;
        }

        private static Message valueInfo(String name, int width) {
            Message batch = new Message();
            batch.string(2, "N");
            Message cols = new Message();
            cols.varintField(1, width);
            Message shape = new Message();
            shape.message(1, batch);
            shape.message(1, cols);
            Message tensorType = new Message();
            tensorType.varintField(1, 1); // FLOAT
            tensorType.message(2, shape);
            Message type = new Message();
            type.message(1, tensorType);
            Message info = new Message();
            info.string(1, name);
            info.message(2, type);
            return info;
        }
    }

    /** A protobuf message being written: fields in the order given. */
    private static final class Message {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varintField(int field, long value) {
            varint((long) field << 3);
            varint(value);
        }

        void fixed32Field(int field, int bits) {
            varint(((long) field << 3) | 5);
            out.write(bits & 0xFF);
            out.write((bits >>> 8) & 0xFF);
            out.write((bits >>> 16) & 0xFF);
            out.write((bits >>> 24) & 0xFF);
        }

        void string(int field, String value) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        void message(int field, Message value) {
            bytes(field, value.toBytes());
        }

        void bytes(int field, byte[] value) {
            varint(((long) field << 3) | 2);
            varint(value.length);
            out.writeBytes(value);
        }

        private void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
