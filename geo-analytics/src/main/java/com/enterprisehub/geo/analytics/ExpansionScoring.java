package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.Level;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketId;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Scores expansion candidates from their catalog data and tests how the ranking depends on the weights.
 *
 * <h2>Method</h2>
 * <ol>
 *   <li>Raw values: market size and the revenue range's midpoint converted to the reference currency with
 *       the rates the host supplies (no rate is built in); target customers as given; regulatory complexity
 *       and competition as ordinals LOW 0, MEDIUM 1, HIGH 2, VERY_HIGH 3 (equal steps: an assumption).</li>
 *   <li>Min-max normalization over the candidates that have the value: benefit criteria
 *       {@code (v - min) / (max - min)}, cost criteria {@code (max - v) / (max - min)}; when all candidates
 *       have the same value, each gets 0.5.</li>
 *   <li>Score: the weighted mean of the normalized values the candidate has ({@link MissingValues}).</li>
 *   <li>Sensitivity: each weighted criterion's weight multiplied by 0.8 and by 1.2 in turn, the others
 *       unchanged, and the candidates ranked again.</li>
 * </ol>
 *
 * <p>Default weights are equal (0.2 each): no source gives better ones. Immutable and thread-safe.
 */
public final class ExpansionScoring {
    private static final double[] FACTORS = {0.8, 1.2};

    private final Map<ExpansionCriterion, Double> weights;
    private final Currency reference;
    private final Map<Currency, BigDecimal> rates;
    private final MissingValues missing;

    private ExpansionScoring(Builder b) {
        this.weights = new EnumMap<>(b.weights);
        this.reference = b.reference;
        this.rates = Map.copyOf(b.rates);
        this.missing = b.missing;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scores {@code candidates}.
     *
     * @throws AnalyticsException if a candidate's figures are in a currency without a rate, or fewer than two
     *     candidates are given
     */
    public ExpansionReport score(Collection<Market> candidates) {
        Objects.requireNonNull(candidates, "candidates");
        if (candidates.size() < 2) {
            throw new AnalyticsException("Give at least two candidates to rank; got " + candidates.size() + ".");
        }
        TreeSet<String> unknown = new TreeSet<>();
        for (Market m : candidates) {
            if (!m.size().currency().equals(reference) && !rates.containsKey(m.size().currency())) {
                unknown.add(m.size().currency().getCurrencyCode() + " (market size of " + m.id() + ")");
            }
            if (!m.revenueRange().currency().equals(reference) && !rates.containsKey(m.revenueRange().currency())) {
                unknown.add(m.revenueRange().currency().getCurrencyCode() + " (revenue range of " + m.id() + ")");
            }
        }
        if (!unknown.isEmpty()) {
            throw new AnalyticsException("No exchange rate to " + reference + " for " + unknown + "; supply one "
                    + "with ExpansionScoring.builder().exchangeRate(currency, " + reference + " per unit), citing its "
                    + "source and date.");
        }
        Map<MarketId, Map<ExpansionCriterion, Double>> raw = new TreeMap<>();
        Map<MarketId, List<ExpansionCriterion>> notScored = new TreeMap<>();
        Map<MarketId, List<ExpansionCriterion>> lackingOf = new HashMap<>();
        for (Market m : candidates) {
            Map<ExpansionCriterion, Double> values = rawValues(m);
            List<ExpansionCriterion> lacking = weights.entrySet().stream()
                    .filter(e -> e.getValue() > 0 && !values.containsKey(e.getKey())).map(Map.Entry::getKey).toList();
            lackingOf.put(m.id(), lacking);
            if (missing == MissingValues.EXCLUDE && !lacking.isEmpty()) {
                notScored.put(m.id(), lacking);
            } else if (raw.put(m.id(), values) != null) {
                throw new AnalyticsException("Candidate " + m.id() + " is given twice.");
            }
        }
        Map<MarketId, Map<ExpansionCriterion, Double>> normalized = normalize(raw);
        Map<MarketId, Double> base = scores(normalized, weights);
        List<MarketId> baseOrder = order(base);
        Map<MarketId, Integer> baseRanks = ranks(base, baseOrder);
        Map<MarketId, int[]> range = new HashMap<>();
        baseRanks.forEach((id, r) -> range.put(id, new int[] {r, r}));
        List<SensitivityCase> cases = new ArrayList<>();
        for (ExpansionCriterion c : ExpansionCriterion.values()) {
            if (weights.get(c) == 0) {
                continue;
            }
            for (double factor : FACTORS) {
                Map<ExpansionCriterion, Double> changed = new EnumMap<>(weights);
                changed.put(c, weights.get(c) * factor);
                Map<MarketId, Double> s = scores(normalized, changed);
                List<MarketId> order = order(s);
                Map<MarketId, Integer> ranks = ranks(s, order);
                int moved = 0;
                int largest = 0;
                for (MarketId id : order) {
                    int shift = Math.abs(ranks.get(id) - baseRanks.get(id));
                    moved += shift > 0 ? 1 : 0;
                    largest = Math.max(largest, shift);
                    int[] r = range.get(id);
                    r[0] = Math.min(r[0], ranks.get(id));
                    r[1] = Math.max(r[1], ranks.get(id));
                }
                cases.add(new SensitivityCase(c, factor, order, moved, largest,
                        !order.isEmpty() && !order.get(0).equals(baseOrder.get(0))));
            }
        }
        double totalWeight = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        List<ExpansionCandidate> ranked = new ArrayList<>();
        for (MarketId id : baseOrder) {
            Map<ExpansionCriterion, Double> n = normalized.get(id);
            double covered = n.keySet().stream().mapToDouble(weights::get).sum() / totalWeight;
            ranked.add(new ExpansionCandidate(id, baseRanks.get(id), base.get(id), n, lackingOf.get(id), covered,
                    range.get(id)[0], range.get(id)[1]));
        }
        Map<ExpansionCriterion, Double> shown = new EnumMap<>(ExpansionCriterion.class);
        weights.forEach((c, w) -> shown.put(c, w / totalWeight));
        return new ExpansionReport(ranked, notScored, shown, cases, method(shown));
    }

    private Map<ExpansionCriterion, Double> rawValues(Market m) {
        Map<ExpansionCriterion, Double> values = new EnumMap<>(ExpansionCriterion.class);
        values.put(ExpansionCriterion.MARKET_SIZE, toReference(m.size().annualTransactionVolume(), m.size().currency()));
        m.targetCustomers().ifPresent(c -> values.put(ExpansionCriterion.TARGET_CUSTOMERS, c.doubleValue()));
        BigDecimal mid = m.revenueRange().low().add(m.revenueRange().high()).divide(BigDecimal.valueOf(2), MathContext.DECIMAL64);
        values.put(ExpansionCriterion.REVENUE_POTENTIAL, toReference(mid, m.revenueRange().currency()));
        m.regulatoryComplexity().ifPresent(l -> values.put(ExpansionCriterion.REGULATORY_COMPLEXITY, ordinal(l)));
        m.competitionLevel().ifPresent(l -> values.put(ExpansionCriterion.COMPETITION, ordinal(l)));
        values.keySet().removeIf(c -> weights.get(c) == 0);
        return values;
    }

    private static double ordinal(Level level) {
        return level.ordinal();
    }

    private double toReference(BigDecimal amount, Currency currency) {
        return currency.equals(reference) ? amount.doubleValue() : amount.multiply(rates.get(currency)).doubleValue();
    }

    private static Map<MarketId, Map<ExpansionCriterion, Double>> normalize(
            Map<MarketId, Map<ExpansionCriterion, Double>> raw) {
        Map<MarketId, Map<ExpansionCriterion, Double>> out = new TreeMap<>();
        raw.keySet().forEach(id -> out.put(id, new EnumMap<>(ExpansionCriterion.class)));
        for (ExpansionCriterion c : ExpansionCriterion.values()) {
            OptionalDouble min = raw.values().stream().filter(v -> v.containsKey(c)).mapToDouble(v -> v.get(c)).min();
            OptionalDouble max = raw.values().stream().filter(v -> v.containsKey(c)).mapToDouble(v -> v.get(c)).max();
            if (min.isEmpty()) {
                continue;
            }
            double lo = min.getAsDouble();
            double spread = max.getAsDouble() - lo;
            raw.forEach((id, v) -> {
                if (v.containsKey(c)) {
                    double x = spread == 0 ? 0.5 : (v.get(c) - lo) / spread;
                    out.get(id).put(c, c.isBenefit() ? x : 1 - x);
                }
            });
        }
        return out;
    }

    private static Map<MarketId, Double> scores(Map<MarketId, Map<ExpansionCriterion, Double>> normalized,
            Map<ExpansionCriterion, Double> weights) {
        Map<MarketId, Double> out = new HashMap<>();
        normalized.forEach((id, values) -> {
            double sum = 0;
            double weight = 0;
            for (Map.Entry<ExpansionCriterion, Double> e : values.entrySet()) {
                sum += weights.get(e.getKey()) * e.getValue();
                weight += weights.get(e.getKey());
            }
            out.put(id, weight == 0 ? 0 : sum / weight);
        });
        return out;
    }

    private static List<MarketId> order(Map<MarketId, Double> scores) {
        return scores.keySet().stream().sorted(Comparator.<MarketId>comparingDouble(id -> -scores.get(id))
                .thenComparing(Comparator.naturalOrder())).toList();
    }

    private static Map<MarketId, Integer> ranks(Map<MarketId, Double> scores, List<MarketId> order) {
        Map<MarketId, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            MarketId id = order.get(i);
            boolean tie = i > 0 && scores.get(order.get(i - 1)).doubleValue() == scores.get(id).doubleValue();
            out.put(id, tie ? out.get(order.get(i - 1)) : i + 1);
        }
        return out;
    }

    private String method(Map<ExpansionCriterion, Double> shown) {
        StringBuilder w = new StringBuilder();
        shown.forEach((c, v) -> w.append(w.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT))
                .append(' ').append(String.format(Locale.ROOT, "%.3f", v)));
        return "Weights " + w + ". Money in " + reference + (rates.isEmpty() ? "" : " at the supplied rates " + rates)
                + ". Min-max normalization over the candidates having each value (cost criteria reversed; levels "
                + "LOW..VERY_HIGH as 0..3); score = weighted mean of the values a candidate has; missing values: "
                + missing + ". Sensitivity: each weight x0.8 and x1.2 in turn.";
    }

    /** Configures {@link ExpansionScoring}. Not thread-safe. */
    public static final class Builder {
        private final Map<ExpansionCriterion, Double> weights = new EnumMap<>(ExpansionCriterion.class);
        private Currency reference = Currency.getInstance("USD");
        private final Map<Currency, BigDecimal> rates = new HashMap<>();
        private MissingValues missing = MissingValues.RENORMALIZE;

        private Builder() {
            for (ExpansionCriterion c : ExpansionCriterion.values()) {
                weights.put(c, 0.2);
            }
        }

        /** The weight of {@code criterion}, zero or more (relative: weights are normalized to sum to 1). */
        public Builder weight(ExpansionCriterion criterion, double weight) {
            Objects.requireNonNull(criterion, "criterion");
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new GeoValidationException("A weight must be a finite number, zero or more; got " + weight
                        + " for " + criterion + ".");
            }
            weights.put(criterion, weight);
            return this;
        }

        /** The currency money criteria are compared in (default USD). */
        public Builder referenceCurrency(Currency currency) {
            this.reference = Objects.requireNonNull(currency, "currency");
            return this;
        }

        /** How many units of the reference currency one unit of {@code currency} is worth. */
        public Builder exchangeRate(Currency currency, BigDecimal referencePerUnit) {
            Objects.requireNonNull(currency, "currency");
            if (referencePerUnit == null || referencePerUnit.signum() <= 0) {
                throw new GeoValidationException("An exchange rate must be positive; got " + referencePerUnit
                        + " for " + currency + ".");
            }
            rates.put(currency, referencePerUnit);
            return this;
        }

        /** What to do with candidates lacking a weighted criterion (default {@link MissingValues#RENORMALIZE}). */
        public Builder missingValues(MissingValues policy) {
            this.missing = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public ExpansionScoring build() {
            if (weights.values().stream().allMatch(w -> w == 0)) {
                throw new GeoValidationException("At least one criterion needs a positive weight.");
            }
            rates.remove(reference);
            return new ExpansionScoring(this);
        }
    }
}
