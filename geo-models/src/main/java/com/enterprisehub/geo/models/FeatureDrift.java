package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.models.internal.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Feature drift per market: the population stability index (PSI) of each feature between the rows a model was
 * trained on and recent rows, computed on the encoded features the model reads.
 *
 * <pre>{@code
 * DriftReport drift = FeatureDrift.builder(encoder).build().leads(trainingLeads, lastMonthsLeads);
 * drift.drifted();            // markets with a feature at PSI >= 0.25: retrain and run the study again there
 * System.out.println(drift.summary());
 * }</pre>
 *
 * <p>Per market and feature, the bins are cut at the training values' deciles (fewer where values repeat, as for
 * indicators) and at their minimum, each bin closed at its upper edge, plus one bin above the highest edge and one for
 * missing values (so an indicator's 0s and 1s are apart however rare either is); {@code PSI = sum (r - t) ln(r / t)}
 * over the bins' shares, each count given half a row so an empty bin stays finite. The default threshold 0.25 is the usual rule of thumb for a
 * significant shift (below 0.1 stable, 0.1 to 0.25 worth watching; Siddiqi, Credit Risk Scorecards, Wiley 2006). The
 * index has no sampling distribution of its own: with {@code n} training and {@code m} recent rows, identical
 * populations give about {@code (bins - 1) (1/n + 1/m)} by chance, so a market needs enough rows on both sides
 * ({@code minimumRows}, default 100). It sees drift in what the model reads, not in what it predicts: a change of the
 * conversion law with unchanged features is found by running the study on recent labelled rows, not here.
 *
 * <p>Immutable and thread-safe.
 */
public final class FeatureDrift {
    private final FeatureEncoder encoder;
    private final FeatureSet set;
    private final int bins;
    private final double threshold;
    private final int minimumRows;

    private FeatureDrift(Builder b) {
        this.encoder = b.encoder;
        this.set = b.set;
        this.bins = b.bins;
        this.threshold = b.threshold;
        this.minimumRows = b.minimumRows;
    }

    /** A check of {@code encoder}'s features. */
    public static Builder builder(FeatureEncoder encoder) {
        return new Builder(encoder);
    }

    /**
     * Compares the features of recent leads with those of the training leads, per market.
     *
     * @throws GeoValidationException if a lead is of a market not in the encoder's catalog
     */
    public DriftReport leads(List<Lead> training, List<Lead> recent) {
        return check(ModelTask.LEAD_SCORING, training, recent, Lead::market, (l, out) -> encoder.encode(l, set, out, 0));
    }

    /**
     * Compares the features of recent properties with those of the training properties, per market.
     *
     * @throws GeoValidationException if a property is of a market not in the encoder's catalog
     */
    public DriftReport properties(List<Property> training, List<Property> recent) {
        return check(ModelTask.VALUATION, training, recent, Property::market,
                (p, out) -> encoder.encode(p, set, out, 0));
    }

    private interface Encode<T> {
        void into(T row, float[] out);
    }

    private <T> DriftReport check(ModelTask task, List<T> training, List<T> recent, Function<T, MarketId> market,
            Encode<T> encode) {
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(recent, "recent");
        FeatureSchema schema = encoder.schema(task, set);
        Map<MarketId, List<float[]>> before = group(training, market, encode, schema.size());
        Map<MarketId, List<float[]>> after = group(recent, market, encode, schema.size());
        Map<MarketId, MarketDrift> out = new TreeMap<>();
        java.util.Set<MarketId> markets = new java.util.TreeSet<>(before.keySet());
        markets.addAll(after.keySet());
        for (MarketId m : markets) {
            List<float[]> t = before.getOrDefault(m, List.of());
            List<float[]> r = after.getOrDefault(m, List.of());
            if (t.size() < minimumRows || r.size() < minimumRows) {
                out.put(m, new MarketDrift(m, t.size(), r.size(), List.of(), Optional.of("only " + t.size()
                        + " training and " + r.size() + " recent rows (at least " + minimumRows + " each are needed)")));
                continue;
            }
            List<FeatureStability> features = new ArrayList<>(schema.size());
            for (int f = 0; f < schema.size(); f++) {
                double psi = Stats.psi(column(t, f), column(r, f), bins);
                features.add(new FeatureStability(schema.names().get(f), psi, psi >= threshold));
            }
            out.put(m, new MarketDrift(m, t.size(), r.size(), features, Optional.empty()));
        }
        return new DriftReport(task, set, threshold, out);
    }

    private static <T> Map<MarketId, List<float[]>> group(List<T> rows, Function<T, MarketId> market,
            Encode<T> encode, int width) {
        Map<MarketId, List<float[]>> out = new TreeMap<>();
        for (T row : rows) {
            float[] x = new float[width];
            encode.into(row, x);
            out.computeIfAbsent(market.apply(row), k -> new ArrayList<>()).add(x);
        }
        return out;
    }

    private static double[] column(List<float[]> rows, int f) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[f];
        }
        return out;
    }

    @Override
    public String toString() {
        return "FeatureDrift[" + set + ", bins=" + bins + ", threshold=" + threshold + ", minimumRows=" + minimumRows
                + "]";
    }

    /** Builder; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private final FeatureEncoder encoder;
        private FeatureSet set = FeatureSet.GLOBAL;
        private int bins = 10;
        private double threshold = 0.25;
        private int minimumRows = 100;

        private Builder(FeatureEncoder encoder) {
            this.encoder = Objects.requireNonNull(encoder, "encoder");
        }

        /** The features checked (default {@link FeatureSet#GLOBAL}; the market indicators of LOCALIZED never vary). */
        public Builder features(FeatureSet set) {
            this.set = Objects.requireNonNull(set, "set");
            return this;
        }

        /** Quantile bins per feature, 2 to 100 (default 10). */
        public Builder bins(int bins) {
            if (bins < 2 || bins > 100) {
                throw new GeoValidationException("bins must be in [2, 100]; got " + bins + ".");
            }
            this.bins = bins;
            return this;
        }

        /** The PSI at which a feature counts as drifted, in (0, 10] (default 0.25). */
        public Builder threshold(double threshold) {
            if (!(threshold > 0 && threshold <= 10)) {
                throw new GeoValidationException("threshold must be in (0, 10], typically 0.1 to 0.25; got " + threshold
                        + ".");
            }
            this.threshold = threshold;
            return this;
        }

        /** The fewest training and recent rows a market needs to be checked, 20 or more (default 100). */
        public Builder minimumRows(int rows) {
            if (rows < 20) {
                throw new GeoValidationException("minimumRows must be at least 20; got " + rows + ".");
            }
            this.minimumRows = rows;
            return this;
        }

        /** The check. */
        public FeatureDrift build() {
            return new FeatureDrift(this);
        }
    }
}
