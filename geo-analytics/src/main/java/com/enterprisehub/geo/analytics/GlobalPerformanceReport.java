package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Performance across markets and tenants over a period, with rankings, insights and recommendations.
 *
 * @param from the start of the first window reported (absent when nothing was recorded)
 * @param to the end of the last window reported, exclusive
 * @param markets each market's performance, in market id order
 * @param totals all markets and tenants together
 * @param tenants each tenant's figures, by market then tenant id
 * @param rankings one ranking per {@link Metric}
 * @param insights significant differences between pairs of markets, largest lower limit first
 * @param recommendations what the {@link RecommendationRule}s suggest
 * @param method how rankings and insights were tested, in words (test, alpha, correction)
 */
public record GlobalPerformanceReport(Optional<Instant> from, Optional<Instant> to, List<MarketPerformance> markets,
        Performance totals, List<TenantPerformance> tenants, List<Ranking> rankings, List<CrossMarketInsight> insights,
        List<Recommendation> recommendations, String method) {
    public GlobalPerformanceReport {
        markets = List.copyOf(markets);
        tenants = List.copyOf(tenants);
        rankings = List.copyOf(rankings);
        insights = List.copyOf(insights);
        recommendations = List.copyOf(recommendations);
    }

    /** How many markets sent events. */
    public int totalMarkets() {
        return markets.size();
    }

    /** How many distinct tenants sent events. */
    public int totalTenants() {
        return totals.tenants();
    }

    /** The ranking on {@code metric}. */
    public Ranking ranking(Metric metric) {
        return rankings.stream().filter(r -> r.metric() == metric).findFirst().orElseThrow();
    }

    /** The performance of {@code market}, if it sent events. */
    public Optional<MarketPerformance> market(MarketId market) {
        return markets.stream().filter(m -> m.market().equals(market)).findFirst();
    }
}
