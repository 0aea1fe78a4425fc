package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.analytics.internal.CellData;
import com.enterprisehub.geo.analytics.internal.Counter;
import com.enterprisehub.geo.analytics.internal.MarketCell;
import com.enterprisehub.geo.analytics.internal.Proportions;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Turns an {@link AnalyticsSnapshot} into a {@link GlobalPerformanceReport}: figures per market, per tenant
 * and in total, rankings that call a market top or underperforming only when a test says so, significant
 * differences between pairs of markets, and recommendations from the documented
 * {@link RecommendationRule}s.
 *
 * <h2>Method</h2>
 * <ul>
 *   <li>Each metric is a proportion (see {@link Metric}). A market is compared with all other markets pooled
 *       by the two-sided pooled two-proportion z-test. The markets tested on one metric form a family:
 *       Holm's step-down correction keeps the chance of any false call in it at most {@code alpha}
 *       (default 0.05).</li>
 *   <li>A significant difference from the rest is necessary, not sufficient: a market is called top only
 *       when, pairwise (below), it is also significantly better than more than half of the markets it was
 *       compared with, or than at least one market that is not itself significantly below the rest, and
 *       worse than none; underperforming likewise. Without this, one very poor market makes every other
 *       market "better than the rest". The family-wise error rate stays at most alpha: no market is called
 *       without the corrected test against the rest rejecting.</li>
 *   <li>The test is run only where its normal approximation holds: under the pooled proportion, each group
 *       expects at least {@code minimumExpected} successes and as many failures (default 10). Otherwise the
 *       verdict is {@link Verdict#INSUFFICIENT_DATA}, never a rank.</li>
 *   <li>Pairs of markets: the same test over every pair with enough data, Holm over the pairs of a metric.
 *       The size of a difference comes with Newcombe's hybrid score interval at Bonferroni-simultaneous
 *       confidence {@code 1 - alpha}; a pair is reported when the corrected test rejects and the interval
 *       excludes zero.</li>
 *   <li>Single proportions carry Wilson score intervals at {@code confidence} (default 0.95).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class PerformanceAnalysis {
    private final double alpha;
    private final double confidence;
    private final double minimumExpected;
    private final double availabilityTarget;

    private PerformanceAnalysis(Builder b) {
        this.alpha = b.alpha;
        this.confidence = b.confidence;
        this.minimumExpected = b.minimumExpected;
        this.availabilityTarget = b.availabilityTarget;
    }

    /** Alpha 0.05, 95% intervals, 10 expected successes and failures, availability target 99.9%. */
    public static PerformanceAnalysis defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The report over every window of {@code snapshot}. */
    public GlobalPerformanceReport analyze(AnalyticsSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        Map<MarketId, Aggregate> markets = new TreeMap<>();
        Map<MarketId, Map<TenantId, long[]>> tenants = new TreeMap<>();
        Aggregate total = new Aggregate(null);
        Set<TenantId> allTenants = new HashSet<>();
        for (Map<MarketId, CellData> window : snapshot.cells().values()) {
            for (Map.Entry<MarketId, CellData> e : window.entrySet()) {
                CellData cell = e.getValue();
                Aggregate market = markets.computeIfAbsent(e.getKey(), id -> new Aggregate(cell.currency()));
                market.add(cell);
                Map<TenantId, long[]> ofMarket = tenants.computeIfAbsent(e.getKey(), id -> new TreeMap<>());
                cell.tenants().forEach((id, values) -> add(ofMarket.computeIfAbsent(id, t -> new long[Counter.COUNT]), values));
                allTenants.addAll(cell.tenants().keySet());
            }
        }
        markets.values().forEach(total::add);
        long targetMicros = snapshot.latencyTargetMicros();
        List<MarketPerformance> marketFigures = new ArrayList<>();
        markets.forEach((id, agg) -> marketFigures.add(new MarketPerformance(id,
                performance(agg, tenants.get(id).size()))));
        List<TenantPerformance> tenantFigures = new ArrayList<>();
        tenants.forEach((market, ofMarket) -> ofMarket.forEach((tenant, c) -> tenantFigures.add(tenant(market,
                tenant, c, markets.get(market).currency))));

        List<Ranking> rankings = new ArrayList<>();
        List<CrossMarketInsight> insights = new ArrayList<>();
        Map<Metric, List<Assessed>> assessed = new TreeMap<>();
        for (Metric metric : Metric.values()) {
            Map<MarketId, long[]> trials = new TreeMap<>();
            markets.forEach((id, agg) -> trials.put(id, trials(metric, agg)));
            Map<MarketId, Integer> compared = new TreeMap<>();
            List<CrossMarketInsight> differences = pairs(metric, trials, compared);
            List<Assessed> verdicts = rank(trials, differences, compared);
            assessed.put(metric, verdicts);
            rankings.add(new Ranking(metric, verdicts.stream().map(a -> a.ranking).toList()));
            insights.addAll(differences);
        }
        insights.sort(Comparator.comparingDouble(CrossMarketInsight::lower).reversed());
        List<Recommendation> recommendations = recommend(marketFigures, assessed, insights, targetMicros);
        return new GlobalPerformanceReport(snapshot.start(), snapshot.end(), marketFigures,
                performance(total, allTenants.size()), tenantFigures, rankings, insights, recommendations, method());
    }

    /** The report over the windows of {@code snapshot} that start in {@code [from, to)}. */
    public GlobalPerformanceReport analyze(AnalyticsSnapshot snapshot, Instant from, Instant to) {
        return analyze(snapshot.between(from, to));
    }

    /** The method of the tests, in words, as the report states it. */
    public String method() {
        return String.format(Locale.ROOT, "Rankings: each market against all others pooled, two-sided pooled "
                + "two-proportion z-test, family-wise alpha %s per metric with Holm's step-down correction over the "
                + "markets tested; called top (underperforming) only when that test rejects and, pairwise, the market is "
                + "significantly better (worse) than more than half of the markets or than one market not itself "
                + "significantly low (high), and worse (better) than none; tested only where each group expects at least %s successes and %s failures under "
                + "the pooled proportion, otherwise 'insufficient data'. Insights: the same test over all pairs of "
                + "markets, Holm over the pairs of a metric, differences with Newcombe hybrid score intervals at "
                + "%s%% Bonferroni-simultaneous confidence; reported when both exclude no difference. Single "
                + "proportions: Wilson score intervals at %s%%.", fmt(alpha), fmt(minimumExpected),
                fmt(minimumExpected), fmt(100 * (1 - alpha)), fmt(100 * confidence));
    }

    private Performance performance(Aggregate agg, int tenantCount) {
        long[] c = agg.counters;
        Optional<Proportion> conversion = conversion(c);
        Optional<DurationSummary> latency = summary(agg.latency, c[Counter.LATENCY_MICROS_SUM], 1_000);
        Optional<Proportion> within = c[Counter.REQUESTS] > 0
                ? Optional.of(Proportion.of(c[Counter.REQUESTS_WITHIN_TARGET], c[Counter.REQUESTS], confidence))
                : Optional.empty();
        Optional<DurationSummary> response = summary(agg.response, c[Counter.RESPONSE_MILLIS_SUM], 1_000_000);
        Optional<Availability> availability = Optional.empty();
        if (agg.probes > 0) {
            long failures = agg.probes - agg.probesUp;
            double allowed = (1 - availabilityTarget) * agg.probes;
            availability = Optional.of(new Availability(Proportion.of(agg.probesUp, agg.probes, confidence),
                    availabilityTarget, failures, allowed, 1 - failures / allowed));
        }
        return new Performance(tenantCount, volumes(c, agg.dealValue()), conversion, latency, within, response,
                availability);
    }

    private TenantPerformance tenant(MarketId market, TenantId tenant, long[] c, Currency currency) {
        Map<Currency, BigDecimal> value = Map.of(currency, minorToMajor(c[Counter.DEAL_VALUE_MINOR], currency));
        Optional<Proportion> conversion = conversion(c);
        boolean served = c[Counter.REQUESTS] > 0;
        return new TenantPerformance(tenant, market, volumes(c, value), conversion,
                served ? Optional.of(mean(c[Counter.LATENCY_MICROS_SUM], c[Counter.REQUESTS], 1_000)) : Optional.empty(),
                served ? Optional.of(Proportion.of(c[Counter.REQUESTS_WITHIN_TARGET], c[Counter.REQUESTS], confidence))
                        : Optional.empty(),
                c[Counter.LEADS_RESPONDED] > 0
                        ? Optional.of(mean(c[Counter.RESPONSE_MILLIS_SUM], c[Counter.LEADS_RESPONDED], 1_000_000))
                        : Optional.empty());
    }

    /** Leads converted among leads created; absent without leads or with more conversions than leads. */
    private Optional<Proportion> conversion(long[] c) {
        return c[Counter.LEADS_CREATED] > 0 && c[Counter.LEADS_CONVERTED] <= c[Counter.LEADS_CREATED]
                ? Optional.of(Proportion.of(c[Counter.LEADS_CONVERTED], c[Counter.LEADS_CREATED], confidence))
                : Optional.empty();
    }

    private static Volumes volumes(long[] c, Map<Currency, BigDecimal> value) {
        return new Volumes(c[Counter.LEADS_CREATED], c[Counter.LEADS_RESPONDED], c[Counter.LEADS_CONVERTED],
                c[Counter.DEALS_CLOSED], value, c[Counter.REQUESTS]);
    }

    private static Optional<DurationSummary> summary(Histogram h, long exactSum, long nanosPerUnit) {
        long count = h.getTotalCount();
        if (count == 0) {
            return Optional.empty();
        }
        return Optional.of(new DurationSummary(count, mean(exactSum, count, nanosPerUnit),
                nanos(h.getValueAtPercentile(50), nanosPerUnit), nanos(h.getValueAtPercentile(95), nanosPerUnit),
                nanos(h.getValueAtPercentile(99), nanosPerUnit), nanos(h.getMaxValue(), nanosPerUnit)));
    }

    private static Duration mean(long sum, long count, long nanosPerUnit) {
        return Duration.ofNanos(Math.round((double) sum / count * nanosPerUnit));
    }

    private static Duration nanos(long value, long nanosPerUnit) {
        return Duration.ofNanos(Math.multiplyExact(value, nanosPerUnit));
    }

    private static long[] trials(Metric metric, Aggregate agg) {
        long[] c = agg.counters;
        return switch (metric) {
            case CONVERSION_RATE -> new long[] {c[Counter.LEADS_CONVERTED], c[Counter.LEADS_CREATED]};
            case LATENCY_WITHIN_TARGET -> new long[] {c[Counter.REQUESTS_WITHIN_TARGET], c[Counter.REQUESTS]};
            case AVAILABILITY -> new long[] {agg.probesUp, agg.probes};
        };
    }

    /** A market's verdict with what the recommendations need: trials still missing. */
    private record Assessed(MarketRanking ranking, long moreTrialsNeeded) {
    }

    /** Whether {@code {successes, trials}} can enter a test: some trials, and no more successes than trials. */
    private static boolean usable(long[] t) {
        return t[1] > 0 && t[0] <= t[1];
    }

    private List<Assessed> rank(Map<MarketId, long[]> trials, List<CrossMarketInsight> differences,
            Map<MarketId, Integer> compared) {
        long allX = 0;
        long allN = 0;
        for (long[] t : trials.values()) {
            if (usable(t)) {
                allX += t[0];
                allN += t[1];
            }
        }
        List<MarketId> tested = new ArrayList<>();
        List<Double> pValues = new ArrayList<>();
        Map<MarketId, Assessed> out = new TreeMap<>();
        for (Map.Entry<MarketId, long[]> e : trials.entrySet()) {
            long x = e.getValue()[0];
            long n = e.getValue()[1];
            MarketId id = e.getKey();
            if (n == 0) {
                out.put(id, insufficient(id, Optional.empty(), OptionalDouble.empty(), "no trials in the period",
                        needed(allX, allN, 0)));
                continue;
            }
            if (x > n) {
                out.put(id, insufficient(id, Optional.empty(), OptionalDouble.empty(), "more successes (" + x
                        + ") than trials (" + n + ") in the period: leads from before it converted in it; report a "
                        + "longer period", 0));
                continue;
            }
            Optional<Proportion> value = Optional.of(Proportion.of(x, n, confidence));
            long restX = allX - x;
            long restN = allN - n;
            if (restN == 0) {
                out.put(id, insufficient(id, value, OptionalDouble.empty(), "no other market has data to compare "
                        + "with", 0));
                continue;
            }
            OptionalDouble rest = OptionalDouble.of((double) restX / restN);
            if (!Proportions.approximationHolds(x, n, restX, restN, minimumExpected)) {
                long more = needed(allX, allN, Math.min(n, restN));
                out.put(id, insufficient(id, value, rest, String.format(Locale.ROOT, "too few trials for the test: "
                        + "each group must expect at least %s successes and failures under the pooled proportion "
                        + "%.4f", fmt(minimumExpected), (double) allX / allN), more));
                continue;
            }
            double z = Proportions.zStatistic(x, n, restX, restN);
            tested.add(id);
            double p = Significance.twoSidedPValue(z);
            pValues.add(p);
            out.put(id, new Assessed(new MarketRanking(id, Verdict.IN_LINE, value, rest, OptionalDouble.of(p),
                    OptionalDouble.empty(), ""), 0));
        }
        double[] adjusted = Significance.holm(alpha, pValues.stream().mapToDouble(Double::doubleValue).toArray())
                .adjustedPValues().stream().mapToDouble(Double::doubleValue).toArray();
        Set<MarketId> significantlyAbove = new HashSet<>();
        Set<MarketId> significantlyBelow = new HashSet<>();
        for (int i = 0; i < tested.size(); i++) {
            MarketRanking r = out.get(tested.get(i)).ranking;
            if (adjusted[i] <= alpha) {
                (r.value().get().estimate() > r.restEstimate().getAsDouble() ? significantlyAbove : significantlyBelow)
                        .add(r.market());
            }
        }
        for (int i = 0; i < tested.size(); i++) {
            MarketRanking r = out.get(tested.get(i)).ranking;
            MarketId id = r.market();
            boolean significant = adjusted[i] <= alpha;
            double estimate = r.value().get().estimate();
            double restEstimate = r.restEstimate().getAsDouble();
            boolean above = estimate > restEstimate;
            List<MarketId> beats = differences.stream().filter(d -> d.better().equals(id)).map(CrossMarketInsight::worse)
                    .toList();
            List<MarketId> beatenBy = differences.stream().filter(d -> d.worse().equals(id))
                    .map(CrossMarketInsight::better).toList();
            int against = compared.getOrDefault(id, 0);
            boolean stands = above
                    ? beatenBy.isEmpty() && (beats.size() * 2 > against
                            || beats.stream().anyMatch(m -> !significantlyBelow.contains(m)))
                    : beats.isEmpty() && (beatenBy.size() * 2 > against
                            || beatenBy.stream().anyMatch(m -> !significantlyAbove.contains(m)));
            Verdict verdict = !significant || !stands ? Verdict.IN_LINE : above ? Verdict.TOP : Verdict.UNDERPERFORMING;
            String explanation = String.format(Locale.ROOT, "%.2f%% against %.2f%% for the other markets; p = %.3g, "
                    + "Holm-adjusted %.3g %s alpha %s; pairwise significantly better than %d and worse than %d of "
                    + "the %d markets compared", 100 * estimate, 100 * restEstimate, r.pValue().getAsDouble(),
                    adjusted[i], significant ? "<=" : ">", fmt(alpha), beats.size(), beatenBy.size(), against);
            if (significant && !stands) {
                explanation += above ? " (above the rest only because of markets that are themselves significantly "
                        + "low, or also below some market: in line)"
                        : " (below the rest only because of markets that are themselves significantly high, or also "
                        + "above some market: in line)";
            }
            out.put(id, new Assessed(new MarketRanking(id, verdict, r.value(), r.restEstimate(), r.pValue(),
                    OptionalDouble.of(adjusted[i]), explanation), 0));
        }
        List<Assessed> ordered = new ArrayList<>(out.values());
        ordered.sort(Comparator.<Assessed>comparingInt(a -> a.ranking.verdict() == Verdict.INSUFFICIENT_DATA ? 1 : 0)
                .thenComparing(a -> -a.ranking.value().map(Proportion::estimate).orElse(-1.0))
                .thenComparing(a -> a.ranking.market()));
        return ordered;
    }

    private static Assessed insufficient(MarketId id, Optional<Proportion> value, OptionalDouble rest, String why,
            long more) {
        return new Assessed(new MarketRanking(id, Verdict.INSUFFICIENT_DATA, value, rest, OptionalDouble.empty(),
                OptionalDouble.empty(), why), more);
    }

    /** Trials a group of size {@code n} still needs to expect the minimum under the pooled proportion. */
    private long needed(long allX, long allN, long n) {
        if (allN == 0) {
            return 0;
        }
        double pooled = (double) allX / allN;
        double smaller = Math.min(pooled, 1 - pooled);
        if (smaller == 0) {
            return 0;
        }
        return Math.max(0, (long) Math.ceil(minimumExpected / smaller) - n);
    }

    private List<CrossMarketInsight> pairs(Metric metric, Map<MarketId, long[]> trials,
            Map<MarketId, Integer> compared) {
        List<MarketId> ids = new ArrayList<>();
        trials.forEach((id, t) -> {
            if (usable(t)) {
                ids.add(id);
            }
        });
        List<int[]> pairs = new ArrayList<>();
        List<Double> pValues = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            long[] a = trials.get(ids.get(i));
            for (int j = i + 1; j < ids.size(); j++) {
                long[] b = trials.get(ids.get(j));
                if (Proportions.approximationHolds(a[0], a[1], b[0], b[1], minimumExpected)) {
                    pairs.add(new int[] {i, j});
                    compared.merge(ids.get(i), 1, Integer::sum);
                    compared.merge(ids.get(j), 1, Integer::sum);
                    pValues.add(Significance.twoSidedPValue(Proportions.zStatistic(a[0], a[1], b[0], b[1])));
                }
            }
        }
        List<CrossMarketInsight> out = new ArrayList<>();
        if (pairs.isEmpty()) {
            return out;
        }
        double[] adjusted = Significance.holm(alpha, pValues.stream().mapToDouble(Double::doubleValue).toArray())
                .adjustedPValues().stream().mapToDouble(Double::doubleValue).toArray();
        double z = Significance.normalQuantile(1 - alpha / (2.0 * pairs.size()));
        for (int k = 0; k < pairs.size(); k++) {
            if (adjusted[k] > alpha) {
                continue;
            }
            MarketId first = ids.get(pairs.get(k)[0]);
            MarketId second = ids.get(pairs.get(k)[1]);
            long[] a = trials.get(first);
            long[] b = trials.get(second);
            boolean firstBetter = (double) a[0] / a[1] > (double) b[0] / b[1];
            long[] hi = firstBetter ? a : b;
            long[] lo = firstBetter ? b : a;
            double[] ci = Proportions.newcombeDifference(hi[0], hi[1], lo[0], lo[1], z);
            if (ci[0] <= 0) {
                continue;
            }
            out.add(new CrossMarketInsight(metric, firstBetter ? first : second, firstBetter ? second : first,
                    (double) hi[0] / hi[1] - (double) lo[0] / lo[1], ci[0], ci[1], 1 - alpha, adjusted[k]));
        }
        return out;
    }

    private List<Recommendation> recommend(List<MarketPerformance> markets, Map<Metric, List<Assessed>> assessed,
            List<CrossMarketInsight> insights, long targetMicros) {
        List<Recommendation> out = new ArrayList<>();
        Duration target = Duration.ofNanos(targetMicros * 1_000);
        double zLimit = markets.isEmpty() ? 0 : Significance.normalQuantile(1 - alpha / (2.0 * markets.size()));
        for (MarketPerformance m : markets) {
            Performance p = m.performance();
            if (p.withinLatencyTarget().isPresent() && p.latency().isPresent()) {
                Proportion within = p.withinLatencyTarget().get();
                double upper = Proportions.wilson(within.successes(), within.trials(), zLimit)[1];
                if (upper < 0.95) {
                    out.add(new Recommendation(RecommendationRule.LATENCY_ABOVE_TARGET, List.of(m.market()),
                            String.format(Locale.ROOT, "Reduce request latency in %s: its p95 is %s against the %s "
                                    + "target; %.2f%% of requests were within target (at most %.2f%% at %s%% "
                                    + "confidence), fewer than the 95%% a p95 on target needs.", m.market(),
                                    ms(p.latency().get().p95()), ms(target), 100 * within.estimate(), 100 * upper,
                                    String.format(Locale.ROOT, "%.1f", 100 * (1 - alpha / markets.size())))));
                }
            }
            p.availability().filter(a -> a.errorBudgetRemaining() < 0).ifPresent(a -> out.add(new Recommendation(
                    RecommendationRule.ERROR_BUDGET_OVERSPENT, List.of(m.market()), String.format(Locale.ROOT,
                            "Restore availability in %s: %,d of %,d probes failed where the %s%% target allows %.1f; "
                                    + "the error budget is overspent by %.0f%%.", m.market(), a.failures(),
                            a.measured().trials(), fmt(100 * a.target()), a.allowedFailures(),
                            -100 * a.errorBudgetRemaining()))));
        }
        for (Assessed a : assessed.get(Metric.CONVERSION_RATE)) {
            if (a.ranking.verdict() != Verdict.UNDERPERFORMING) {
                continue;
            }
            MarketId weak = a.ranking.market();
            insights.stream().filter(i -> i.metric() == Metric.CONVERSION_RATE && i.worse().equals(weak))
                    .max(Comparator.comparingDouble(CrossMarketInsight::lower)).ifPresent(best -> {
                        String context = responseContext(markets, best.better(), weak);
                        out.add(new Recommendation(RecommendationRule.LEARN_FROM_PEER, List.of(weak, best.better()),
                                String.format(Locale.ROOT, "Study how %s handles leads: it converts %.2f pp more than "
                                        + "%s (%.2f–%.2f pp, %s%% simultaneous CI).%s", best.better(),
                                        100 * best.difference(), weak, 100 * best.lower(), 100 * best.upper(),
                                        fmt(100 * best.confidence()), context)));
                    });
        }
        for (Metric metric : Metric.values()) {
            List<Assessed> missing = assessed.get(metric).stream()
                    .filter(a -> a.ranking.verdict() == Verdict.INSUFFICIENT_DATA && a.moreTrialsNeeded > 0).toList();
            if (!missing.isEmpty()) {
                Map<Long, List<MarketId>> byNeed = new TreeMap<>();
                missing.forEach(a -> byNeed.computeIfAbsent(a.moreTrialsNeeded, n -> new ArrayList<>()).add(a.ranking.market()));
                StringBuilder text = new StringBuilder("Collect more data before ranking ").append(metric.label())
                        .append(": ");
                byNeed.forEach((need, ids) -> text.append(text.charAt(text.length() - 2) == ':' ? "" : "; ")
                        .append(ids.size() == 1 ? ids.get(0) + " needs" : String.join(", ", ids.stream()
                                .map(MarketId::value).toList()) + " each need")
                        .append(String.format(Locale.ROOT, " about %,d more trials", need)));
                out.add(new Recommendation(RecommendationRule.COLLECT_MORE_DATA,
                        missing.stream().map(a -> a.ranking.market()).toList(), text.append('.').toString()));
            }
        }
        return out;
    }

    private static String responseContext(List<MarketPerformance> markets, MarketId peer, MarketId weak) {
        Optional<DurationSummary> p = markets.stream().filter(m -> m.market().equals(peer)).findFirst()
                .flatMap(m -> m.performance().leadResponse());
        Optional<DurationSummary> w = markets.stream().filter(m -> m.market().equals(weak)).findFirst()
                .flatMap(m -> m.performance().leadResponse());
        if (p.isEmpty() || w.isEmpty()) {
            return "";
        }
        return String.format(Locale.ROOT, " For context (not a tested cause): median first response %.1f min in %s vs "
                + "%.1f min in %s.", p.get().p50().toMillis() / 60_000.0, peer, w.get().p50().toMillis() / 60_000.0, weak);
    }

    private static String ms(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    private static String fmt(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static BigDecimal minorToMajor(long minor, Currency currency) {
        return BigDecimal.valueOf(minor, Math.max(0, currency.getDefaultFractionDigits()));
    }

    private static void add(long[] into, long[] values) {
        for (int i = 0; i < into.length; i++) {
            into[i] = Math.addExact(into[i], values[i]);
        }
    }

    /** A market's cells summed over windows, or (without a currency) the markets summed for the totals. */
    private static final class Aggregate {
        final Currency currency;
        final long[] counters = new long[Counter.COUNT];
        final Histogram latency = new Histogram(MarketCell.SIGNIFICANT_DIGITS);
        final Histogram response = new Histogram(MarketCell.SIGNIFICANT_DIGITS);
        /** Totals only: deal values per currency, never added across currencies. */
        final Map<Currency, BigDecimal> dealValues = new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode));
        long probes;
        long probesUp;

        Aggregate(Currency currency) {
            this.currency = currency;
        }

        void add(CellData cell) {
            cell.tenants().values().forEach(values -> PerformanceAnalysis.add(counters, values));
            add(cell.latencyMicros(), cell.responseMillis(), cell.probes(), cell.probesUp());
        }

        void add(Aggregate market) {
            PerformanceAnalysis.add(counters, market.counters);
            add(market.latency, market.response, market.probes, market.probesUp);
            market.dealValue().forEach((c, v) -> dealValues.merge(c, v, BigDecimal::add));
        }

        private void add(Histogram latencies, Histogram responses, long moreProbes, long moreUp) {
            latency.add(latencies);
            response.add(responses);
            probes = Math.addExact(probes, moreProbes);
            probesUp = Math.addExact(probesUp, moreUp);
        }

        Map<Currency, BigDecimal> dealValue() {
            return currency == null ? dealValues
                    : Map.of(currency, minorToMajor(counters[Counter.DEAL_VALUE_MINOR], currency));
        }
    }

    /** Configures a {@link PerformanceAnalysis}. Not thread-safe. */
    public static final class Builder {
        private double alpha = 0.05;
        private double confidence = 0.95;
        private double minimumExpected = 10;
        private double availabilityTarget = 0.999;

        private Builder() {
        }

        /** The family-wise error rate of each metric's ranking and of its pairwise insights (default 0.05). */
        public Builder alpha(double alpha) {
            this.alpha = open01(alpha, "alpha");
            return this;
        }

        /** The confidence of the intervals of single proportions (default 0.95). */
        public Builder confidence(double confidence) {
            this.confidence = open01(confidence, "confidence");
            return this;
        }

        /**
         * The successes and failures each group must expect under the pooled proportion before it is tested
         * (default 10; 5 is the textbook minimum).
         */
        public Builder minimumExpected(double count) {
            if (!(count >= 1)) {
                throw new GeoValidationException("minimumExpected must be at least 1; got " + count + ".");
            }
            this.minimumExpected = count;
            return this;
        }

        /** The availability target the error budget is computed against (default 0.999, the seed's SLA). */
        public Builder availabilityTarget(double target) {
            this.availabilityTarget = open01(target, "availabilityTarget");
            return this;
        }

        public PerformanceAnalysis build() {
            return new PerformanceAnalysis(this);
        }

        private static double open01(double v, String name) {
            if (!(v > 0 && v < 1)) {
                throw new GeoValidationException(name + " must be strictly between 0 and 1; got " + v + ".");
            }
            return v;
        }
    }
}
