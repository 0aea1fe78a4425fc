package com.enterprisehub.geo.examples;

import com.enterprisehub.geo.analytics.AnalyticsRecorder;
import com.enterprisehub.geo.analytics.AnalyticsSnapshot;
import com.enterprisehub.geo.analytics.Availability;
import com.enterprisehub.geo.analytics.CrossMarketInsight;
import com.enterprisehub.geo.analytics.DurationSummary;
import com.enterprisehub.geo.analytics.ExpansionCandidate;
import com.enterprisehub.geo.analytics.ExpansionReport;
import com.enterprisehub.geo.analytics.ExpansionScoring;
import com.enterprisehub.geo.analytics.GlobalPerformanceReport;
import com.enterprisehub.geo.analytics.MarketPerformance;
import com.enterprisehub.geo.analytics.MarketProjection;
import com.enterprisehub.geo.analytics.Metric;
import com.enterprisehub.geo.analytics.Performance;
import com.enterprisehub.geo.analytics.PerformanceAnalysis;
import com.enterprisehub.geo.analytics.Ranking;
import com.enterprisehub.geo.analytics.Recommendation;
import com.enterprisehub.geo.analytics.RevenuePlan;
import com.enterprisehub.geo.analytics.RevenueProjection;
import com.enterprisehub.geo.analytics.SensitivityCase;
import com.enterprisehub.geo.analytics.TotalCheck;
import com.enterprisehub.geo.analytics.Verdict;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketTier;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Part of the quickstart: a simulated month of events through geo-analytics, the global report, then the
 * expansion candidates ranked from the catalog and the seed's revenue figures checked.
 */
final class AnalyticsDemo {
    private static final Instant END = Instant.parse("2026-11-24T00:00:00Z");
    private static final int DAYS = 30;

    /** The simulation's planted truths: conversion rates differ only where listed. */
    private static final Map<String, Double> CONVERSION = Map.of("us-tx", 0.13, "us-il", 0.07);
    private static final double BASE_CONVERSION = 0.10;

    /**
     * US dollars per unit, Federal Reserve G.5A "Foreign Exchange Rates -- Annual", released 2024-02-01,
     * 2023 averages (https://www.federalreserve.gov/releases/g5a/20240201): Canada 1.3494 CAD per USD,
     * United Kingdom 1.2440 USD per GBP, Australia 0.6644 USD per AUD. The seed's market sizes are undated.
     */
    private static final Map<Currency, BigDecimal> USD_PER_UNIT = Map.of(
            Currency.getInstance("CAD"), BigDecimal.ONE.divide(new BigDecimal("1.3494"), MathContext.DECIMAL64),
            Currency.getInstance("GBP"), new BigDecimal("1.2440"),
            Currency.getInstance("AUD"), new BigDecimal("0.6644"));

    private AnalyticsDemo() {
    }

    static void run(MarketCatalog markets, PrintStream out) {
        out.println();
        out.println("== A simulated month of events (geo-analytics) ==");
        AnalyticsSnapshot snapshot = simulate(markets);
        GlobalPerformanceReport report = PerformanceAnalysis.defaults().analyze(snapshot);
        out.printf("  %s to %s, %d markets, %d tenants. Planted: conversion 13%% in us-tx, 7%% in us-il, 10%% "
                + "elsewhere; slow responses in gb; a 60-minute outage in au; international markets just launched.%n",
                report.from().orElseThrow(), report.to().orElseThrow(), report.totalMarkets(), report.totalTenants());
        out.printf("  %-6s %7s %7s  %-30s %-16s %-8s %-9s %s%n", "market", "tenants", "leads", "conversion (95% CI)",
                "p50/p95/p99 ms", "<=200ms", "avail.", "budget left");
        for (MarketPerformance m : report.markets()) {
            row(out, m.market().value(), m.performance());
        }
        row(out, "total", report.totals());
        out.println("  Rankings (" + Quickstart.abbreviate(report.method(), 150) + ")");
        for (Ranking r : report.rankings()) {
            out.printf("    %-36s top %s, underperforming %s, in line %d, insufficient data %s%n", r.metric().label() + ":",
                    r.with(Verdict.TOP), r.with(Verdict.UNDERPERFORMING), r.with(Verdict.IN_LINE).size(),
                    r.with(Verdict.INSUFFICIENT_DATA));
        }
        out.println("  Largest significant differences (two per metric):");
        for (Metric metric : Metric.values()) {
            report.insights().stream().filter(i -> i.metric() == metric).limit(2)
                    .forEach((CrossMarketInsight i) -> out.println("    " + i));
        }
        out.println("  Recommendations:");
        for (Recommendation r : report.recommendations()) {
            out.println("    [" + r.rule() + "] " + r.text());
        }
        expansion(markets, out);
    }

    private static AnalyticsSnapshot simulate(MarketCatalog markets) {
        AnalyticsRecorder recorder = AnalyticsRecorder.builder(markets).clock(Clock.fixed(END, ZoneOffset.UTC))
                .build();
        SplittableRandom random = new SplittableRandom(2026);
        for (Market market : markets.markets()) {
            String id = market.id().value();
            int leadsPerTenantDay = switch (market.tier()) {
                case TIER_1 -> 12;
                case TIER_2 -> 6;
                default -> 0;
            };
            double conversion = CONVERSION.getOrDefault(id, BASE_CONVERSION);
            double medianMs = id.equals("gb") ? 140 : 60;
            for (int t = 1; t <= 5; t++) {
                TenantId tenant = TenantId.of(id + "-agency-" + t);
                for (int day = 0; day < DAYS; day++) {
                    Instant at = END.minus(Duration.ofDays(DAYS - day)).plusSeconds(random.nextInt(86_400));
                    int leads = leadsPerTenantDay > 0 ? leadsPerTenantDay : random.nextInt(10) == 0 ? 1 : 0;
                    for (int i = 0; i < leads; i++) {
                        recorder.leadCreated(market.id(), tenant, at);
                        recorder.leadResponded(market.id(), tenant, at,
                                Duration.ofSeconds(Math.round(600 * Math.exp(random.nextGaussian()))));
                        if (random.nextDouble() < conversion) {
                            recorder.leadConverted(market.id(), tenant, at);
                        }
                    }
                    for (int i = 0; i < 100; i++) {
                        long micros = Math.round(1000 * medianMs * Math.exp(0.5 * random.nextGaussian()));
                        recorder.requestServed(market.id(), tenant, at, Duration.ofNanos(micros * 1000));
                    }
                }
            }
            for (int minute = 0; minute < DAYS * 24 * 60; minute++) {
                boolean outage = id.equals("au") && minute >= 20_000 && minute < 20_060;
                recorder.availabilityProbe(market.id(), END.minus(Duration.ofMinutes(DAYS * 24 * 60 - minute)),
                        !outage);
            }
        }
        return recorder.snapshot();
    }

    private static void row(PrintStream out, String name, Performance p) {
        String conversion = p.conversion().map(Object::toString).map(s -> s.replaceAll(", 95% CI.*", ")"))
                .orElse("-");
        String latency = p.latency().map(AnalyticsDemo::percentiles).orElse("-");
        String within = p.withinLatencyTarget().map(w -> pct(w.estimate())).orElse("-");
        Optional<Availability> a = p.availability();
        out.printf(Locale.ROOT, "  %-6s %7d %,7d  %-30s %-16s %-8s %-9s %s%n", name, p.tenants(),
                p.volumes().leadsCreated(), conversion, latency, within,
                a.map(x -> String.format(Locale.ROOT, "%.3f%%", 100 * x.measured().estimate())).orElse("-"),
                a.map(x -> String.format(Locale.ROOT, "%+.0f%%", 100 * x.errorBudgetRemaining())).orElse("-"));
    }

    private static String percentiles(DurationSummary d) {
        return d.p50().toMillis() + "/" + d.p95().toMillis() + "/" + d.p99().toMillis();
    }

    private static void expansion(MarketCatalog markets, PrintStream out) {
        out.println();
        out.println("== Where to expand next: the catalog's markets scored (geo-analytics) ==");
        ExpansionScoring.Builder scoring = ExpansionScoring.builder();
        USD_PER_UNIT.forEach(scoring::exchangeRate);
        ExpansionReport report = scoring.build().score(markets.markets());
        out.println("  Equal weights; money in USD at the Federal Reserve's 2023 annual averages (G.5A); values the "
                + "seed does not give are left out, not guessed (coverage).");
        out.printf("  %-4s %-6s %-6s %-9s %s%n", "rank", "market", "score", "coverage", "rank with any weight ±20%");
        for (ExpansionCandidate c : report.ranked()) {
            out.printf(Locale.ROOT, "  %-4d %-6s %.3f  %-9s %s%n", c.rank(), c.market(), c.score(),
                    pct(c.coverage()), c.bestRank() == c.worstRank() ? "unchanged" : c.bestRank() + "-" + c.worstRank());
        }
        Optional<SensitivityCase> flip = report.sensitivity().stream().filter(SensitivityCase::topChanged).findFirst();
        out.println("  The first candidate " + (flip.isEmpty() ? "stays first in every ±20% case."
                : "is not robust: with " + flip.get().criterion() + " x" + flip.get().factor() + ", "
                        + flip.get().ranking().get(0) + " comes first."));

        out.println();
        out.println("== The seed's revenue figures against the sum of its markets ==");
        RevenuePlan plan = RevenuePlan.seed();
        for (TotalCheck check : RevenueProjection.check(markets.markets(), plan)) {
            out.printf(Locale.ROOT, "  %-52s stated %s, its %2d markets add up to %s: %s%n", check.stated().label(),
                    range(check.stated().low(), check.stated().high()), check.markets().size(),
                    range(check.sumLow(), check.sumHigh()), check.agrees() ? "agrees"
                            : "DISAGREES (" + signed(check.lowDifference()) + " / " + signed(check.highDifference()) + ")");
        }
        List<Market> tier1 = markets.inTier(MarketTier.TIER_1);
        long customers = tier1.stream().mapToLong(m -> m.targetCustomers().orElse(0L)).sum();
        BigDecimal stated = plan.totals().get(0).low();
        double penetration = plan.penetration(MarketTier.TIER_1).orElseThrow().low();
        BigDecimal perCustomer = stated.divide(BigDecimal.valueOf(customers * penetration), 2, RoundingMode.HALF_EVEN);
        out.printf(Locale.ROOT, "  Revenue per customer the seed implies: $%s (tier 1: $%s at %.0f%% of %,d "
                + "professionals). Projected at that figure:%n", perCustomer.toPlainString(), thousands(stated) + "k",
                100 * penetration, customers);
        for (MarketProjection p : RevenueProjection.project(markets.markets(), plan, perCustomer,
                Currency.getInstance("USD"))) {
            Market m = markets.require(p.market());
            out.printf("    %-6s %-13s projected %-16s catalog %s%n", p.market(), p.tier(),
                    p.conservative().map(lo -> range(lo, p.aggressive().orElseThrow())).orElse("-"),
                    range(m.revenueRange().low(), m.revenueRange().high())
                            + p.reason().map(r -> " (not projected: " + r + ")").orElse(""));
        }
    }

    private static String range(BigDecimal low, BigDecimal high) {
        return "$" + thousands(low) + "-" + thousands(high) + "k";
    }

    private static String signed(BigDecimal difference) {
        return (difference.signum() >= 0 ? "+" : "-") + "$" + thousands(difference.abs()) + "k";
    }

    private static String thousands(BigDecimal amount) {
        return String.format(Locale.ROOT, "%,d", amount.divide(BigDecimal.valueOf(1000), 0, RoundingMode.HALF_EVEN)
                .longValueExact());
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
