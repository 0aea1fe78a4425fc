package com.enterprisehub.geo.models;

import com.enterprisehub.geo.analytics.HolmAdjustment;
import com.enterprisehub.geo.analytics.Proportion;
import com.enterprisehub.geo.analytics.Significance;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.models.internal.Stats;
import com.enterprisehub.geo.spi.Providers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a global model and a localized one per market, judges both on each market's held-out rows, and adopts the
 * localized model only where it is significantly better.
 *
 * <ol>
 *   <li>Each market's rows are shuffled (seeded) and split: {@code testShare} held out, the rest for training. For
 *       valuation, {@code calibrationShare} of the training rows set the conformal interval instead of fitting.</li>
 *   <li>The global model is fitted on every market's training rows with {@link FeatureSet#GLOBAL} features; the
 *       localized model of a market on that market's training rows alone with {@link FeatureSet#LOCALIZED} features
 *       (city, jurisdiction, local seasons).</li>
 *   <li>On the market's held-out rows: AUC, Brier score and calibration (scoring); MAE, MAPE and interval coverage
 *       (valuation). Intervals: percentile bootstrap over the held-out rows (95%), coverage with geo-analytics'
 *       Wilson interval.</li>
 *   <li>The lift (log-loss reduction in nats per lead, or relative MAE reduction) is bootstrapped paired (both models
 *       on the same resampled rows). Each market's two-sided bootstrap p-value of "no lift" ({@link LiftTest}) goes
 *       through geo-analytics' Holm step-down correction over the markets judged
 *       ({@link com.enterprisehub.geo.analytics.Significance#holm}); the localized model is adopted where Holm
 *       rejects and the lift is positive, so the chance of adopting it anywhere it is not better stays at most
 *       {@code alpha} (up to the bootstrap's approximation). The reported interval of the lift is simultaneous over
 *       the markets: Bonferroni, each at {@code 1 - alpha / m}. Where that interval lies above zero Holm's first
 *       step nearly always rejects too (up to a resample or two at the boundary), and its later steps can adopt
 *       more (Holm has no simultaneous intervals of its own that match its decisions).</li>
 * </ol>
 *
 * <p>A market with fewer than {@code minimumRows} training or held-out rows, or (scoring) fewer than ten held-out
 * leads of either class, gets {@link Decision#INSUFFICIENT_DATA} and the global model.
 *
 * <p>Immutable and thread-safe; a study with the same inputs and seed gives the same result (with one trainer thread).
 */
public final class LocalizationStudy {
    private static final Logger LOG = LoggerFactory.getLogger(LocalizationStudy.class);

    private final FeatureEncoder encoder;
    private final Trainer trainer;
    private final Function<ModelArtifact, PredictiveModel> loader;
    private final double alpha;
    private final int bootstrap;
    private final double testShare;
    private final double calibrationShare;
    private final double intervalLevel;
    private final int minimumRows;
    private final long seed;
    private final LocalizationStrategy strategy;
    private final ScoreCalibration calibration;

    private LocalizationStudy(Builder b) {
        this.calibration = b.calibration;
        this.strategy = b.strategy;
        this.encoder = b.encoder;
        this.trainer = b.trainer;
        this.loader = b.loader;
        this.alpha = b.alpha;
        this.bootstrap = b.bootstrap;
        this.testShare = b.testShare;
        this.calibrationShare = b.calibrationShare;
        this.intervalLevel = b.intervalLevel;
        this.minimumRows = b.minimumRows;
        this.seed = b.seed;
    }

    /** A study on {@code encoder}'s markets. */
    public static Builder builder(FeatureEncoder encoder) {
        return new Builder(encoder);
    }

    /**
     * Runs the study for lead scoring.
     *
     * @throws GeoValidationException if there are no leads
     * @throws ModelException if training fails
     */
    public StudyResult scoring(List<LabeledLead> leads) {
        Objects.requireNonNull(leads, "leads");
        Map<MarketId, List<LabeledLead>> byMarket = new TreeMap<>();
        for (LabeledLead l : leads) {
            byMarket.computeIfAbsent(l.lead().market(), k -> new ArrayList<>()).add(l);
        }
        return run(ModelTask.LEAD_SCORING, byMarket, new Rows<>() {
            @Override
            public void encode(LabeledLead row, FeatureSet set, float[] out, int offset) {
                encoder.encode(row.lead(), set, out, offset);
            }

            @Override
            public float label(LabeledLead row) {
                return row.converted() ? 1f : 0f;
            }
        });
    }

    /**
     * Runs the study for valuation.
     *
     * @throws GeoValidationException if there are no sales
     * @throws ModelException if training fails
     */
    public StudyResult valuation(List<Sale> sales) {
        Objects.requireNonNull(sales, "sales");
        Map<MarketId, List<Sale>> byMarket = new TreeMap<>();
        for (Sale s : sales) {
            byMarket.computeIfAbsent(s.property().market(), k -> new ArrayList<>()).add(s);
        }
        return run(ModelTask.VALUATION, byMarket, new Rows<>() {
            @Override
            public void encode(Sale row, FeatureSet set, float[] out, int offset) {
                encoder.encode(row.property(), set, out, offset);
            }

            @Override
            public float label(Sale row) {
                return (float) Math.log(encoder.toCommon(row.price()));
            }
        });
    }

    private interface Rows<T> {
        void encode(T row, FeatureSet set, float[] out, int offset);

        float label(T row);
    }

    private record Split<T>(List<T> fit, List<T> calibration, List<T> test) {
        int trainRows() {
            return fit.size() + calibration.size();
        }
    }

    private <T> StudyResult run(ModelTask task, Map<MarketId, List<T>> byMarket, Rows<T> rows) {
        if (byMarket.isEmpty()) {
            throw new GeoValidationException("A study needs rows; got none.");
        }
        Map<MarketId, Split<T>> splits = new TreeMap<>();
        List<T> globalFit = new ArrayList<>();
        List<T> globalCalibration = new ArrayList<>();
        for (Map.Entry<MarketId, List<T>> e : byMarket.entrySet()) {
            List<T> shuffled = new ArrayList<>(e.getValue());
            SplittableRandom r = new SplittableRandom(seed * 31 + e.getKey().value().hashCode());
            for (int i = shuffled.size() - 1; i > 0; i--) {
                java.util.Collections.swap(shuffled, i, r.nextInt(i + 1));
            }
            int test = (int) Math.round(shuffled.size() * testShare);
            List<T> train = shuffled.subList(test, shuffled.size());
            int held = calibrates(task) ? (int) Math.round(train.size() * calibrationShare) : 0;
            Split<T> split = new Split<>(train.subList(held, train.size()), train.subList(0, held),
                    shuffled.subList(0, test));
            splits.put(e.getKey(), split);
            globalFit.addAll(split.fit);
            if (task == ModelTask.VALUATION) {
                globalCalibration.addAll(split.calibration);
            }
        }
        long start = System.nanoTime();
        ModelArtifact global = fit(task, FeatureSet.GLOBAL, Optional.empty(), globalFit, globalCalibration, rows);
        LOG.debug("{} global model: {} rows in {} ms", task, globalFit.size(), (System.nanoTime() - start) / 1_000_000);
        Map<MarketId, ModelArtifact> localized = new HashMap<>();
        Map<MarketId, Judged> judged = new TreeMap<>();
        ModelArtifact pooled = strategy == LocalizationStrategy.MARKET_EFFECTS
                ? fit(task, FeatureSet.LOCALIZED, Optional.empty(), globalFit, globalCalibration, rows) : null;
        try (PredictiveModel globalModel = loader.apply(global)) {
            for (Map.Entry<MarketId, Split<T>> e : splits.entrySet()) {
                MarketId market = e.getKey();
                Split<T> split = e.getValue();
                double[] truth = labels(split.test, rows);
                double[] globalPredictions = globalModel.predict(matrix(split.test, FeatureSet.GLOBAL, rows, task),
                        split.test.size());
                Optional<String> insufficient = insufficient(task, split, truth);
                PlattScaling globalPlatt = platt(task, market, globalModel, FeatureSet.GLOBAL, split, rows);
                if (insufficient.isPresent()) {
                    judged.put(market, new Judged(split.trainRows(), truth, globalPredictions, null, null,
                            insufficient.get(), globalPlatt, null));
                    continue;
                }
                ModelArtifact local = pooled != null ? pooled : fit(task, FeatureSet.LOCALIZED, Optional.of(market),
                        split.fit, split.calibration, rows);
                localized.put(market, local);
                try (PredictiveModel localModel = loader.apply(local)) {
                    double[] localPredictions = localModel.predict(
                            matrix(split.test, FeatureSet.LOCALIZED, rows, task), split.test.size());
                    PlattScaling localPlatt = platt(task, market, localModel, FeatureSet.LOCALIZED, split, rows);
                    judged.put(market, new Judged(split.trainRows(), truth, globalPredictions, localPredictions, local,
                            null, globalPlatt, localPlatt));
                }
            }
        }
        int compared = (int) judged.values().stream().filter(j -> j.local != null).count();
        double simultaneous = 1 - alpha / Math.max(1, compared);
        Map<MarketId, Measured> measured = new TreeMap<>();
        for (Map.Entry<MarketId, Judged> e : judged.entrySet()) {
            measured.put(e.getKey(), measure(task, e.getKey(), e.getValue(), global, simultaneous));
        }
        List<MarketId> tested = measured.entrySet().stream().filter(e -> e.getValue().lift.isPresent())
                .map(Map.Entry::getKey).toList();
        HolmAdjustment holm = Significance.holm(alpha, tested.stream().mapToDouble(m -> measured.get(m).pValue)
                .toArray());
        double floor = 2.0 / (bootstrap + 1);
        String resolution = "";
        if (compared > 0 && floor > alpha / compared) {
            int needed = (int) Math.ceil(2.0 * compared / alpha) - 1;
            resolution = String.format(Locale.ROOT, " With %d resamples no p-value is below %.4f, above Holm's first"
                    + " level %.4f (alpha %s over %d markets), so no market can be adopted: give bootstrap(%d) or"
                    + " more.", bootstrap, floor, alpha / compared, alpha, compared, needed);
            LOG.warn("{} study:{}", task, resolution);
        }
        Optional<String> coarse = intervalResolution(bootstrap, alpha, compared);
        coarse.ifPresent(note -> LOG.warn("{} study:{}", task, note));
        String intervalNote = coarse.orElse("");
        Map<MarketId, MarketReport> reports = new TreeMap<>();
        Map<MarketId, PlattScaling> calibrations = new TreeMap<>();
        for (Map.Entry<MarketId, Measured> e : measured.entrySet()) {
            int i = tested.indexOf(e.getKey());
            Optional<LiftTest> test = i < 0 ? Optional.empty() : Optional.of(new LiftTest(e.getValue().pValue,
                    holm.adjustedPValues().get(i), holm.levels().get(i), compared, alpha));
            MarketReport r = decide(task, e.getKey(), e.getValue(), global, test, compared, resolution,
                    intervalNote);
            Judged j = e.getValue().judged;
            PlattScaling chosen = r.decision() == Decision.ADOPT_LOCALIZED ? j.localPlatt : j.globalPlatt;
            if (chosen != null) {
                calibrations.put(e.getKey(), chosen);
            }
            reports.put(e.getKey(), r);
        }
        return new StudyResult(task, global, localized, reports, calibrations);
    }

    private record Judged(int trainRows, double[] truth, double[] global, double[] local, ModelArtifact localArtifact,
            String insufficient, PlattScaling globalPlatt, PlattScaling localPlatt) {
    }

    private boolean calibrates(ModelTask task) {
        return task == ModelTask.VALUATION || calibration == ScoreCalibration.PLATT;
    }

    /**
     * The Platt scaling of {@code model} on the market's calibration leads, or null without {@link
     * ScoreCalibration#PLATT} or with fewer than ten calibration leads of either class.
     */
    private <T> PlattScaling platt(ModelTask task, MarketId market, PredictiveModel model, FeatureSet set,
            Split<T> split, Rows<T> rows) {
        if (task != ModelTask.LEAD_SCORING || calibration != ScoreCalibration.PLATT) {
            return null;
        }
        double[] y = labels(split.calibration, rows);
        long positives = Arrays.stream(y).filter(v -> v == 1).count();
        if (positives < 10 || y.length - positives < 10) {
            LOG.debug("{}: {} calibration leads, {} converted: too few to calibrate", market, y.length, positives);
            return null;
        }
        double[] p = model.predict(matrix(split.calibration, set, rows, task), split.calibration.size());
        boolean[] outcome = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            outcome[i] = y[i] == 1;
        }
        com.enterprisehub.geo.models.internal.Platt.Fit fit = com.enterprisehub.geo.models.internal.Platt.fit(p,
                outcome);
        fit.fallback().ifPresent(why -> LOG.warn("{} model's Platt scaling for {}: {}", set == FeatureSet.GLOBAL
                ? "Global" : "Localized", market, why));
        return new PlattScaling(fit.slope(), fit.intercept(), y.length, Optional.of(market));
    }

    private static double[] calibrated(double[] p, PlattScaling platt) {
        if (platt == null) {
            return p;
        }
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = platt.apply(p[i]);
        }
        return out;
    }

    private <T> Optional<String> insufficient(ModelTask task, Split<T> split, double[] truth) {
        if (split.trainRows() < minimumRows || split.test.size() < minimumRows) {
            return Optional.of("only " + split.trainRows() + " training and " + split.test.size()
                    + " held-out rows (at least " + minimumRows + " each are needed)");
        }
        if (task == ModelTask.LEAD_SCORING) {
            long positives = Arrays.stream(truth).filter(y -> y == 1).count();
            long negatives = truth.length - positives;
            if (positives < 10 || negatives < 10) {
                return Optional.of("the held-out leads have " + positives + " conversions and " + negatives
                        + " non-conversions (at least 10 of each are needed)");
            }
        }
        return Optional.empty();
    }

    private <T> ModelArtifact fit(ModelTask task, FeatureSet set, Optional<MarketId> market, List<T> fit,
            List<T> calibration, Rows<T> rows) {
        FeatureSchema schema = encoder.schema(task, set);
        float[] x = matrix(fit, set, rows, task);
        float[] y = new float[fit.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = rows.label(fit.get(i));
        }
        byte[] model = trainer.fit(task, x, y, fit.size(), schema.size());
        if (task == ModelTask.LEAD_SCORING) {
            return new ModelArtifact(trainer.format(), task, schema, market, Optional.empty(), Optional.empty(),
                    model);
        }
        ModelArtifact provisional = new ModelArtifact(trainer.format(), task, schema, market,
                Optional.of(encoder.commonCurrency()), Optional.of(new ConformalInterval(intervalLevel, 0, 1)), model);
        double halfWidth;
        try (PredictiveModel m = loader.apply(provisional)) {
            double[] predicted = m.predict(matrix(calibration, set, rows, task), calibration.size());
            double[] residuals = new double[predicted.length];
            for (int i = 0; i < residuals.length; i++) {
                residuals[i] = Math.abs(rows.label(calibration.get(i)) - predicted[i]);
            }
            halfWidth = Stats.conformal(residuals, intervalLevel);
        }
        if (Double.isInfinite(halfWidth)) {
            throw new ModelException("Only " + calibration.size() + " calibration rows for a " + intervalLevel
                    + " interval" + market.map(m -> " in market '" + m + "'").orElse("") + "; give more rows or a"
                    + " larger calibrationShare.");
        }
        return new ModelArtifact(trainer.format(), task, schema, market, Optional.of(encoder.commonCurrency()),
                Optional.of(new ConformalInterval(intervalLevel, halfWidth, calibration.size())), model);
    }

    private <T> float[] matrix(List<T> list, FeatureSet set, Rows<T> rows, ModelTask task) {
        int width = encoder.schema(task, set).size();
        float[] x = new float[list.size() * width];
        for (int i = 0; i < list.size(); i++) {
            rows.encode(list.get(i), set, x, i * width);
        }
        return x;
    }

    private static <T> double[] labels(List<T> list, Rows<T> rows) {
        double[] y = new double[list.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = rows.label(list.get(i));
        }
        return y;
    }

    private record Measured(Judged judged, Metrics global, Optional<Metrics> local, Optional<Estimate> lift,
            double pValue) {
    }

    /**
     * The note that the lift intervals' limits are coarse: an interval at {@code 1 - alpha / m} leaves
     * {@code B alpha / (2 m)} resamples beyond each limit, and below ten the limit moves with the seed (a percentile
     * from a handful of resamples). Empty when each tail holds ten or more, or no market was compared.
     */
    static Optional<String> intervalResolution(int bootstrap, double alpha, int compared) {
        if (compared < 1) {
            return Optional.empty();
        }
        double tail = bootstrap * alpha / (2.0 * compared);
        if (tail >= 10 - 1e-9) {
            return Optional.empty();
        }
        int needed = (int) Math.ceil(20.0 * compared / alpha - 1e-9);
        return Optional.of(String.format(Locale.ROOT, " The interval's limits at %.4f rest on about %.1f resamples in"
                + " each tail (%d resamples, alpha %s over %d markets), fewer than 10, so they are coarse: give"
                + " bootstrap(%d) or more for limits that hold still.", 1 - alpha / compared, tail, bootstrap, alpha,
                compared, needed));
    }

    /**
     * The two-sided paired-bootstrap p-value of "no lift": {@code min(1, 2 (1 + b) / (B + 1))}, {@code b} the resampled
     * lifts on the far side of zero (Davison and Hinkley, Bootstrap Methods and their Application, 1997, 4.4). A
     * percentile-bootstrap p-value, so only approximately valid (the resamples come from the data, not from the null
     * hypothesis; the +1s keep it above zero): it cannot be below {@code 2 / (B + 1)}.
     */
    static double bootstrapPValue(double value, double[] boot) {
        int far = 0;
        for (double b : boot) {
            if (value > 0 ? b <= 0 : b >= 0) {
                far++;
            }
        }
        return Math.min(1.0, 2.0 * (1 + far) / (boot.length + 1));
    }

    private Measured measure(ModelTask task, MarketId market, Judged j, ModelArtifact global, double simultaneous) {
        int n = j.truth.length;
        SplittableRandom random = new SplittableRandom(seed * 17 + market.value().hashCode());
        Metrics globalMetrics;
        Optional<Metrics> localMetrics = Optional.empty();
        Optional<Estimate> lift = Optional.empty();
        double[] liftBoot = null;
        if (task == ModelTask.LEAD_SCORING) {
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                y[i] = j.truth[i] == 1;
            }
            java.util.OptionalDouble globalBefore = j.globalPlatt == null ? java.util.OptionalDouble.empty()
                    : java.util.OptionalDouble.of(ece(j.global, y));
            java.util.OptionalDouble localBefore = j.localPlatt == null || j.local == null
                    ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(ece(j.local, y));
            j = new Judged(j.trainRows, j.truth, calibrated(j.global, j.globalPlatt),
                    j.local == null ? null : calibrated(j.local, j.localPlatt), j.localArtifact, j.insufficient,
                    j.globalPlatt, j.localPlatt);
            int[] globalOrder = Stats.order(j.global);
            int[] localOrder = j.local == null ? null : Stats.order(j.local);
            double[] globalLoss = Stats.logLoss(j.global, y);
            double[] localLoss = j.local == null ? null : Stats.logLoss(j.local, y);
            double[][] boot = new double[7][bootstrap];
            int[] w = new int[n];
            for (int b = 0; b < bootstrap; b++) {
                Stats.resample(n, random, w);
                boot[0][b] = Stats.auc(j.global, y, w, globalOrder);
                boot[1][b] = Stats.brier(j.global, y, w);
                boot[5][b] = Stats.mean(globalLoss, w);
                if (j.local != null) {
                    boot[2][b] = Stats.auc(j.local, y, w, localOrder);
                    boot[3][b] = Stats.brier(j.local, y, w);
                    boot[6][b] = Stats.mean(localLoss, w);
                    boot[4][b] = boot[5][b] - boot[6][b];
                }
            }
            int[] ones = Stats.ones(n);
            globalMetrics = scoring(j.global, y, Stats.auc(j.global, y, ones, globalOrder), boot[0],
                    Stats.brier(j.global, y, ones), boot[1], Stats.mean(globalLoss, ones), boot[5], globalBefore);
            if (j.local != null) {
                double localAuc = Stats.auc(j.local, y, ones, localOrder);
                localMetrics = Optional.of(scoring(j.local, y, localAuc, boot[2], Stats.brier(j.local, y, ones),
                        boot[3], Stats.mean(localLoss, ones), boot[6], localBefore));
                lift = Optional.of(interval(Stats.mean(globalLoss, ones) - Stats.mean(localLoss, ones), boot[4],
                        simultaneous));
                liftBoot = boot[4];
            }
        } else {
            Currency currency = encoder.catalog().require(market).currency();
            double[] price = new double[n];
            double[] gAbs = new double[n];
            double[] gPct = new double[n];
            double[] lAbs = j.local == null ? null : new double[n];
            double[] lPct = j.local == null ? null : new double[n];
            for (int i = 0; i < n; i++) {
                price[i] = encoder.fromCommon(Math.exp(j.truth[i]), market);
                double g = encoder.fromCommon(Math.exp(j.global[i]), market);
                gAbs[i] = Math.abs(g - price[i]);
                gPct[i] = gAbs[i] / price[i];
                if (j.local != null) {
                    double l = encoder.fromCommon(Math.exp(j.local[i]), market);
                    lAbs[i] = Math.abs(l - price[i]);
                    lPct[i] = lAbs[i] / price[i];
                }
            }
            double[][] boot = new double[5][bootstrap];
            int[] w = new int[n];
            for (int b = 0; b < bootstrap; b++) {
                Stats.resample(n, random, w);
                boot[0][b] = Stats.mean(gAbs, w);
                boot[1][b] = Stats.mean(gPct, w);
                if (j.local != null) {
                    boot[2][b] = Stats.mean(lAbs, w);
                    boot[3][b] = Stats.mean(lPct, w);
                    boot[4][b] = (boot[0][b] - boot[2][b]) / boot[0][b];
                }
            }
            int[] ones = Stats.ones(n);
            globalMetrics = valuation(currency, j.truth, j.global, global, gAbs, gPct, ones, boot[0], boot[1]);
            if (j.local != null) {
                localMetrics = Optional.of(valuation(currency, j.truth, j.local, j.localArtifact, lAbs, lPct, ones,
                        boot[2], boot[3]));
                double gMae = Stats.mean(gAbs, ones);
                lift = Optional.of(interval((gMae - Stats.mean(lAbs, ones)) / gMae, boot[4], simultaneous));
                liftBoot = boot[4];
            }
        }
        double p = lift.isPresent() ? bootstrapPValue(lift.get().value(), liftBoot) : Double.NaN;
        return new Measured(j, globalMetrics, localMetrics, lift, p);
    }

    private MarketReport decide(ModelTask task, MarketId market, Measured m, ModelArtifact global,
            Optional<LiftTest> test, int compared, String resolution, String intervalNote) {
        Judged j = m.judged;
        Decision decision;
        String explanation;
        if (j.insufficient != null) {
            decision = Decision.INSUFFICIENT_DATA;
            explanation = "No localized model: " + j.insufficient + ".";
        } else {
            Estimate lift = m.lift.orElseThrow();
            LiftTest t = test.orElseThrow();
            String evidence = String.format(Locale.ROOT, "lift %s (interval at %.4f, Bonferroni-simultaneous over %d"
                    + " markets); bootstrap p %.4f, Holm-adjusted %.4f %s alpha %s", lift, lift.confidence(), compared,
                    t.pValue(), t.adjustedPValue(), t.rejected() ? "<=" : ">", t.alpha());
            if (t.rejected() && lift.value() > 0) {
                decision = Decision.ADOPT_LOCALIZED;
                explanation = "The localized model is significantly better: " + evidence + "." + intervalNote;
            } else if (t.rejected()) {
                decision = Decision.KEEP_GLOBAL;
                explanation = "The localized model is significantly worse: " + evidence + "." + intervalNote;
            } else {
                decision = Decision.KEEP_GLOBAL;
                explanation = "Not significantly better: " + evidence + "." + resolution + intervalNote;
            }
        }
        ModelArtifact base = decision == Decision.ADOPT_LOCALIZED ? j.localArtifact : global;
        PlattScaling platt = decision == Decision.ADOPT_LOCALIZED ? j.localPlatt : j.globalPlatt;
        String served = (platt == null ? base : base.withCalibration(platt)).version();
        return new MarketReport(market, task, j.trainRows, j.truth.length, m.global, m.local, m.lift, test, decision,
                explanation, served);
    }

    private static Estimate interval(double value, double[] boot, double confidence) {
        double tail = (1 - confidence) / 2;
        return new Estimate(value, Stats.quantile(boot, tail), Stats.quantile(boot, 1 - tail), confidence);
    }

    private static double ece(double[] p, boolean[] y) {
        int bins = 10;
        int[] count = new int[bins];
        int[] positive = new int[bins];
        double[] sum = new double[bins];
        for (int i = 0; i < p.length; i++) {
            int b = Math.min(bins - 1, (int) Math.floor(p[i] * bins));
            count[b]++;
            sum[b] += p[i];
            positive[b] += y[i] ? 1 : 0;
        }
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                ece += count[b] / (double) p.length * Math.abs(sum[b] / count[b] - positive[b] / (double) count[b]);
            }
        }
        return ece;
    }

    private static ScoringMetrics scoring(double[] p, boolean[] y, double auc, double[] aucBoot, double brier,
            double[] brierBoot, double logLoss, double[] logLossBoot, java.util.OptionalDouble before) {
        int bins = 10;
        int[] count = new int[bins];
        int[] positive = new int[bins];
        double[] sum = new double[bins];
        int converted = 0;
        for (int i = 0; i < p.length; i++) {
            int b = Math.min(bins - 1, (int) Math.floor(p[i] * bins));
            count[b]++;
            sum[b] += p[i];
            if (y[i]) {
                positive[b]++;
                converted++;
            }
        }
        List<CalibrationBin> out = new ArrayList<>();
        double ece = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] == 0) {
                continue;
            }
            double mean = sum[b] / count[b];
            Proportion observed = Proportion.of(positive[b], count[b], 0.95);
            out.add(new CalibrationBin(b / (double) bins, (b + 1) / (double) bins, mean, observed));
            ece += count[b] / (double) p.length * Math.abs(mean - observed.estimate());
        }
        return new ScoringMetrics(p.length, converted, interval(auc, aucBoot, 0.95), interval(brier, brierBoot, 0.95),
                interval(logLoss, logLossBoot, 0.95), ece, out, before);
    }

    private static ValuationMetrics valuation(Currency currency, double[] truth, double[] predicted,
            ModelArtifact artifact, double[] abs, double[] pct, int[] ones, double[] maeBoot, double[] mapeBoot) {
        ConformalInterval interval = artifact.interval().orElseThrow();
        int covered = 0;
        for (int i = 0; i < truth.length; i++) {
            if (Math.abs(truth[i] - predicted[i]) <= interval.logHalfWidth()) {
                covered++;
            }
        }
        return new ValuationMetrics(truth.length, currency, interval(Stats.mean(abs, ones), maeBoot, 0.95),
                interval(Stats.mean(pct, ones), mapeBoot, 0.95), Proportion.of(covered, truth.length, 0.95),
                interval.level());
    }

    @Override
    public String toString() {
        return "LocalizationStudy[trainer=" + trainer + ", alpha=" + alpha + ", bootstrap=" + bootstrap
                + ", testShare=" + testShare + ", calibrationShare=" + calibrationShare + ", intervalLevel="
                + intervalLevel + ", minimumRows=" + minimumRows + ", seed=" + seed + ", strategy=" + strategy
                + ", calibration=" + calibration + "]";
    }

    /** Builder; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private final FeatureEncoder encoder;
        private Trainer trainer = XGBoostTrainer.defaults();
        private Function<ModelArtifact, PredictiveModel> loader = a -> Models.load(Providers.fromClassPath(), a);
        private double alpha = 0.05;
        private int bootstrap = 1000;
        private double testShare = 0.3;
        private double calibrationShare = 0.2;
        private double intervalLevel = 0.8;
        private int minimumRows = 100;
        private long seed = 1;
        private LocalizationStrategy strategy = LocalizationStrategy.MARKET_EFFECTS;
        private ScoreCalibration calibration = ScoreCalibration.NONE;

        private Builder(FeatureEncoder encoder) {
            this.encoder = Objects.requireNonNull(encoder, "encoder");
        }

        /** The trainer (default {@link XGBoostTrainer#defaults()}). */
        public Builder trainer(Trainer trainer) {
            this.trainer = Objects.requireNonNull(trainer, "trainer");
            return this;
        }

        /** The family-wise error rate of the adoption decisions, in (0, 0.5] (default 0.05). */
        public Builder alpha(double alpha) {
            if (!(alpha > 0 && alpha <= 0.5)) {
                throw new GeoValidationException("alpha must be in (0, 0.5]; got " + alpha + ".");
            }
            this.alpha = alpha;
            return this;
        }

        /** Bootstrap resamples, 100 to 100,000 (default 1,000). */
        public Builder bootstrap(int resamples) {
            if (resamples < 100 || resamples > 100_000) {
                throw new GeoValidationException("bootstrap must be in [100, 100000]; got " + resamples + ".");
            }
            this.bootstrap = resamples;
            return this;
        }

        /** The share of each market's rows held out, in [0.1, 0.9] (default 0.3). */
        public Builder testShare(double share) {
            if (!(share >= 0.1 && share <= 0.9)) {
                throw new GeoValidationException("testShare must be in [0.1, 0.9]; got " + share + ".");
            }
            this.testShare = share;
            return this;
        }

        /**
         * The share of training rows held out of fitting, in [0.05, 0.5] (default 0.2): valuation's rows that set the
         * interval, and lead scoring's that fit the calibration with {@link ScoreCalibration#PLATT}.
         */
        public Builder calibrationShare(double share) {
            if (!(share >= 0.05 && share <= 0.5)) {
                throw new GeoValidationException("calibrationShare must be in [0.05, 0.5]; got " + share + ".");
            }
            this.calibrationShare = share;
            return this;
        }

        /** Valuation: the prediction interval's intended coverage, in [0.5, 0.99] (default 0.8). */
        public Builder intervalLevel(double level) {
            if (!(level >= 0.5 && level <= 0.99)) {
                throw new GeoValidationException("intervalLevel must be in [0.5, 0.99]; got " + level + ".");
            }
            this.intervalLevel = level;
            return this;
        }

        /** The fewest training and held-out rows a market needs for a localized model, 20 or more (default 100). */
        public Builder minimumRows(int rows) {
            if (rows < 20) {
                throw new GeoValidationException("minimumRows must be at least 20; got " + rows + ".");
            }
            this.minimumRows = rows;
            return this;
        }

        /** How the localized model is built (default {@link LocalizationStrategy#MARKET_EFFECTS}). */
        public Builder strategy(LocalizationStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Lead scoring: whether each market's served model is followed by a calibration fitted on the market's
         * {@code calibrationShare} of training leads, held out from fitting (default {@link ScoreCalibration#NONE}).
         * With {@link ScoreCalibration#PLATT} both models are judged on their calibrated probabilities.
         */
        public Builder calibration(ScoreCalibration calibration) {
            this.calibration = Objects.requireNonNull(calibration, "calibration");
            return this;
        }

        /** The seed of the splits and the bootstrap (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How artifacts are loaded for evaluation (default {@link Models#load(Providers, ModelArtifact)}). */
        public Builder loader(Function<ModelArtifact, PredictiveModel> loader) {
            this.loader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** The study. */
        public LocalizationStudy build() {
            return new LocalizationStudy(this);
        }
    }
}
