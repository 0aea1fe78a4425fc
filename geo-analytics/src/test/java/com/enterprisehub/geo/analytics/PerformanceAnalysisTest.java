package com.enterprisehub.geo.analytics;

import static com.enterprisehub.geo.analytics.AnalyticsRecorderTest.CATALOG;
import static com.enterprisehub.geo.analytics.AnalyticsRecorderTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Synthetic streams with a known truth. */
class PerformanceAnalysisTest {
    private static final MarketId CA = MarketId.of("us-ca");
    private static final MarketId TX = MarketId.of("us-tx");
    private static final MarketId NY = MarketId.of("us-ny");
    private static final PerformanceAnalysis ANALYSIS = PerformanceAnalysis.defaults();

    private static AnalyticsRecorder recorder() {
        return AnalyticsRecorder.builder(CATALOG).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    /** Each market gets {@code leads} leads converting with its true rate, spread over 5 tenants. */
    private static AnalyticsSnapshot conversions(long seed, int leads, ToDoubleFunction<MarketId> trueRate) {
        AnalyticsRecorder r = recorder();
        SplittableRandom random = new SplittableRandom(seed);
        for (MarketId market : CATALOG.ids()) {
            double p = trueRate.applyAsDouble(market);
            for (int i = 0; i < leads; i++) {
                TenantId tenant = TenantId.of(market.value() + "-t" + (i % 5));
                r.leadCreated(market, tenant, NOW);
                if (random.nextDouble() < p) {
                    r.leadConverted(market, tenant, NOW);
                }
            }
        }
        return r.snapshot();
    }

    @Test
    void aPlantedDifferenceIsFoundWithItsSize() {
        int covered = 0;
        int falseCalls = 0;
        int seeds = 40;
        for (long seed = 1; seed <= seeds; seed++) {
            GlobalPerformanceReport report = ANALYSIS.analyze(conversions(seed, 3000,
                    m -> m.equals(CA) ? 0.14 : m.equals(TX) ? 0.06 : 0.10));
            Ranking ranking = report.ranking(Metric.CONVERSION_RATE);
            assertThat(ranking.with(Verdict.TOP)).as("seed %d", seed).contains(CA);
            assertThat(ranking.with(Verdict.UNDERPERFORMING)).as("seed %d", seed).contains(TX);
            if (ranking.with(Verdict.TOP).size() + ranking.with(Verdict.UNDERPERFORMING).size() > 2) {
                falseCalls++; // a market with the common rate called out: allowed in about alpha of the runs
            }
            assertThat(ranking.markets().get(0).market()).isEqualTo(CA);
            CrossMarketInsight insight = report.insights().stream()
                    .filter(i -> i.better().equals(CA) && i.worse().equals(TX)).findFirst().orElseThrow();
            assertThat(insight.metric()).isEqualTo(Metric.CONVERSION_RATE);
            assertThat(insight.lower()).isPositive();
            if (insight.lower() <= 0.08 && 0.08 <= insight.upper()) {
                covered++;
            }
            // the weak market is told whom to learn from, with the evidence
            assertThat(report.recommendations()).anySatisfy(r -> {
                assertThat(r.rule()).isEqualTo(RecommendationRule.LEARN_FROM_PEER);
                assertThat(r.markets()).containsExactly(TX, CA);
            });
        }
        // simultaneous 95% intervals cover the true difference of 8 points
        assertThat(covered).isGreaterThanOrEqualTo(seeds - 3);
        assertThat((double) falseCalls / seeds).isLessThanOrEqualTo(0.05 + 3 * Math.sqrt(0.05 * 0.95 / seeds));
    }

    /**
     * With no true difference, a market is called top or underperforming in at most about alpha of the
     * runs (Holm keeps the family-wise rate at 5%), although some uncorrected p-value falls below 0.05 in
     * roughly 1 - 0.95^12 = 46% of them.
     */
    @Test
    void noDifferenceIsFlaggedNoMoreOftenThanAlpha() {
        int seeds = 400;
        int flagged = 0;
        int anyInsight = 0;
        int uncorrected = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            GlobalPerformanceReport report = ANALYSIS.analyze(conversions(1000 + seed, 2000, m -> 0.2));
            Ranking ranking = report.ranking(Metric.CONVERSION_RATE);
            assertThat(ranking.with(Verdict.INSUFFICIENT_DATA)).isEmpty();
            if (!ranking.with(Verdict.TOP).isEmpty() || !ranking.with(Verdict.UNDERPERFORMING).isEmpty()) {
                flagged++;
            }
            if (!report.insights().isEmpty()) {
                anyInsight++;
            }
            if (ranking.markets().stream().anyMatch(m -> m.pValue().getAsDouble() < 0.05)) {
                uncorrected++;
            }
        }
        double bound = 0.05 + 3 * Math.sqrt(0.05 * 0.95 / seeds);
        assertThat((double) flagged / seeds).isLessThanOrEqualTo(bound);
        assertThat((double) anyInsight / seeds).isLessThanOrEqualTo(bound);
        assertThat((double) uncorrected / seeds).isBetween(0.30, 0.60);
    }

    /** One very poor market must not make all the others "top": they are above the rest only because of it. */
    @Test
    void oneOutlierDoesNotMakeEveryOtherMarketTop() {
        MarketId gb = MarketId.of("gb");
        GlobalPerformanceReport report = ANALYSIS.analyze(conversions(77, 4000, m -> m.equals(gb) ? 0.30 : 0.70));
        Ranking ranking = report.ranking(Metric.CONVERSION_RATE);
        assertThat(ranking.with(Verdict.UNDERPERFORMING)).containsExactly(gb);
        assertThat(ranking.with(Verdict.TOP)).isEmpty();
        // the others are significantly above the pooled rest (which includes gb), and the report says why that
        // is not enough
        assertThat(ranking.markets()).filteredOn(m -> m.verdict() == Verdict.IN_LINE)
                .anySatisfy(m -> assertThat(m.explanation()).contains("only because of markets that are themselves"));
        assertThat(report.insights()).allSatisfy(i -> assertThat(i.worse()).isEqualTo(gb)).hasSize(11);
    }

    @Test
    void tooLittleDataGetsNoRankButAnEstimateOfWhatIsMissing() {
        AnalyticsRecorder r = recorder();
        for (MarketId market : List.of(CA, NY)) {
            for (int i = 0; i < 1000; i++) {
                r.leadCreated(market, TenantId.of("big-" + market.value()), NOW);
                if (i % 10 == 0) {
                    r.leadConverted(market, TenantId.of("big-" + market.value()), NOW);
                }
            }
        }
        TenantId small = TenantId.of("small");
        for (int i = 0; i < 40; i++) {
            r.leadCreated(TX, small, NOW);
        }
        r.leadConverted(TX, small, NOW);
        MarketId fl = MarketId.of("us-fl");
        r.leadCreated(fl, small, NOW);
        r.leadConverted(fl, small, NOW);
        r.leadConverted(fl, small, NOW);
        GlobalPerformanceReport report = ANALYSIS.analyze(r.snapshot());
        Map<MarketId, MarketRanking> verdicts = byMarket(report.ranking(Metric.CONVERSION_RATE));
        assertThat(verdicts.get(TX).verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
        assertThat(verdicts.get(TX).value().orElseThrow().trials()).isEqualTo(40);
        assertThat(verdicts.get(TX).explanation()).contains("too few trials");
        assertThat(verdicts.get(fl).verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
        assertThat(verdicts.get(fl).explanation()).contains("more successes");
        assertThat(report.market(fl).orElseThrow().performance().conversion()).isEmpty();
        assertThat(verdicts.get(CA).verdict()).isEqualTo(Verdict.IN_LINE);
        // pooled rate 201/2040 ≈ 0.0985: 10 expected successes need 102 leads, TX has 40
        Recommendation more = report.recommendations().stream()
                .filter(x -> x.rule() == RecommendationRule.COLLECT_MORE_DATA).findFirst().orElseThrow();
        assertThat(more.markets()).containsExactly(TX);
        assertThat(more.text()).contains("us-tx needs about 62 more trials");
        // no latency or availability data at all: no verdicts invented
        assertThat(report.ranking(Metric.AVAILABILITY).markets()).allSatisfy(m ->
                assertThat(m.verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA));
    }

    @Test
    void aSingleMarketIsNeverRanked() {
        GlobalPerformanceReport report = ANALYSIS.analyze(conversions(5, 500, m -> 0.3).between(NOW.minusSeconds(1), NOW.plusSeconds(1)));
        assertThat(report.ranking(Metric.CONVERSION_RATE).with(Verdict.TOP)).isEmpty();
        AnalyticsRecorder r = recorder();
        for (int i = 0; i < 500; i++) {
            r.leadCreated(CA, TenantId.of("only"), NOW);
            r.leadConverted(CA, TenantId.of("only"), NOW);
        }
        MarketRanking only = ANALYSIS.analyze(r.snapshot()).ranking(Metric.CONVERSION_RATE).markets().get(0);
        assertThat(only.verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
        assertThat(only.explanation()).contains("no other market");
    }

    @Test
    void latencyAndAvailabilityAgainstTheSeedsTargets() {
        AnalyticsRecorder r = recorder();
        SplittableRandom random = new SplittableRandom(3);
        TenantId tenant = TenantId.of("acme");
        for (int i = 0; i < 20_000; i++) {
            // California: 10% of requests at 250-450 ms, the rest fast; Texas: all under 150 ms
            long caMicros = random.nextInt(10) == 0 ? 250_000 + random.nextInt(200_000) : 20_000 + random.nextInt(100_000);
            r.requestServed(CA, tenant, NOW, Duration.ofNanos(caMicros * 1_000));
            r.requestServed(TX, tenant, NOW, Duration.ofNanos((20_000 + random.nextInt(130_000)) * 1_000L));
        }
        for (int i = 0; i < 43_200; i++) {
            r.availabilityProbe(CA, NOW, i % 1000 != 0);     // 44 failures: 99.9% allows 43.2
            r.availabilityProbe(TX, NOW, i % 4320 != 0);     // 10 failures
        }
        GlobalPerformanceReport report = ANALYSIS.analyze(r.snapshot());
        Performance ca = report.market(CA).orElseThrow().performance();
        assertThat(ca.latency().orElseThrow().p95().toMillis()).isBetween(250L, 460L);
        assertThat(ca.withinLatencyTarget().orElseThrow().estimate()).isCloseTo(0.9, within(0.01));
        Availability caAvailability = ca.availability().orElseThrow();
        assertThat(caAvailability.failures()).isEqualTo(44);
        assertThat(caAvailability.allowedFailures()).isCloseTo(43.2, within(1e-9));
        assertThat(caAvailability.errorBudgetRemaining()).isCloseTo(1 - 44 / 43.2, within(1e-9));
        assertThat(caAvailability.meetsTarget()).isFalse();
        Availability txAvailability = report.market(TX).orElseThrow().performance().availability().orElseThrow();
        assertThat(txAvailability.errorBudgetRemaining()).isCloseTo(1 - 10 / 43.2, within(1e-9));
        assertThat(txAvailability.meetsTarget()).isTrue();
        assertThat(report.recommendations()).extracting(Recommendation::rule, Recommendation::markets)
                .contains(org.assertj.core.groups.Tuple.tuple(RecommendationRule.LATENCY_ABOVE_TARGET, List.of(CA)),
                        org.assertj.core.groups.Tuple.tuple(RecommendationRule.ERROR_BUDGET_OVERSPENT, List.of(CA)))
                .doesNotContain(org.assertj.core.groups.Tuple.tuple(RecommendationRule.LATENCY_ABOVE_TARGET, List.of(TX)));
        Map<MarketId, MarketRanking> latency = byMarket(report.ranking(Metric.LATENCY_WITHIN_TARGET));
        assertThat(latency.get(TX).verdict()).isEqualTo(Verdict.TOP);
        assertThat(latency.get(CA).verdict()).isEqualTo(Verdict.UNDERPERFORMING);
        // totals across markets
        assertThat(report.totals().volumes().requests()).isEqualTo(40_000);
        assertThat(report.totals().availability().orElseThrow().failures()).isEqualTo(54);
        assertThat(report.method()).contains("Holm").contains("alpha 0.05").contains("Wilson");
    }

    private static Map<MarketId, MarketRanking> byMarket(Ranking ranking) {
        return ranking.markets().stream().collect(java.util.stream.Collectors.toMap(MarketRanking::market, m -> m));
    }
}
