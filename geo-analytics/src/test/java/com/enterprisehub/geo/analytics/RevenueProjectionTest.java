package com.enterprisehub.geo.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.market.MarketTier;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RevenueProjectionTest {
    private static final MarketCatalog CATALOG = MarketCatalog.defaults();
    private static final Currency USD = Currency.getInstance("USD");

    private static Map<String, TotalCheck> checks() {
        return RevenueProjection.check(CATALOG.markets(), RevenuePlan.seed()).stream()
                .collect(Collectors.toMap(c -> c.stated().label(), c -> c));
    }

    @Test
    void theSeedsTierTotalsAreReproducedFromItsPerMarketFigures() {
        Map<String, TotalCheck> checks = checks();
        TotalCheck tier2 = checks.get("Tier 2 total (Total_Tier_2_Potential)");
        assertThat(tier2.markets()).hasSize(4);
        assertThat(tier2.sumLow()).isEqualByComparingTo("650000");
        assertThat(tier2.sumHigh()).isEqualByComparingTo("1150000");
        assertThat(tier2.agrees()).isTrue();
        TotalCheck international = checks.get("International total (International_Revenue_Potential)");
        assertThat(international.markets()).extracting(MarketId::value).containsExactly("ca", "gb", "au");
        assertThat(international.agrees()).isTrue();
        TotalCheck tier1 = checks.get("Tier 1 total (Total_Tier_1_Potential)");
        assertThat(tier1.sumLow()).isEqualByComparingTo("1800000");
        assertThat(tier1.lowDifference()).isZero();
    }

    /** The seed's own arithmetic: 700 + 500 + 800 + 400 + 600 = 3,000 (thousand), not the 3,100 it states. */
    @Test
    void whereTheSeedDisagreesWithItselfItIsReported() {
        Map<String, TotalCheck> checks = checks();
        TotalCheck tier1 = checks.get("Tier 1 total (Total_Tier_1_Potential)");
        assertThat(tier1.agrees()).isFalse();
        assertThat(tier1.sumHigh()).isEqualByComparingTo("3000000");
        assertThat(tier1.highDifference()).isEqualByComparingTo("100000");
        TotalCheck all = checks.get("All markets (revenue_targets.total_geographic)");
        assertThat(all.markets()).hasSize(12);
        assertThat(all.sumLow()).isEqualByComparingTo("3200000");
        assertThat(all.sumHigh()).isEqualByComparingTo("5650000");
        assertThat(all.highDifference()).isEqualByComparingTo("100000");
        assertThat(checks.get("Tier 1 (overview)").lowDifference()).isEqualByComparingTo("-1000000");
        assertThat(checks.get("All markets (header: Target Revenue)").agrees()).isFalse();
        List<String> disagreeing = checks.values().stream().filter(c -> !c.agrees()).map(c -> c.stated().label()).sorted().toList();
        assertThat(disagreeing).containsExactly("All markets (header: Target Revenue)",
                "All markets (revenue_targets.total_geographic)", "International (overview)", "Tier 1 (overview)",
                "Tier 1 total (Total_Tier_1_Potential)", "Tier 2 (overview)");
    }

    @Test
    void projectionFromPenetrationTargets() {
        List<MarketProjection> projections = RevenueProjection.project(CATALOG.markets(), RevenuePlan.seed(),
                new BigDecimal("1200"), USD);
        Map<String, MarketProjection> byId = projections.stream().collect(Collectors.toMap(p -> p.market().value(), p -> p));
        MarketProjection ca = byId.get("us-ca");
        // 15,000 professionals x 2% x $1,200 and x 4%
        assertThat(ca.conservative()).contains(new BigDecimal("360000.00"));
        assertThat(ca.aggressive()).contains(new BigDecimal("720000.00"));
        // the seed's own range implies $400,000 / 300 customers and $700,000 / 600 customers
        assertThat(ca.impliedLowPerCustomer()).contains(new BigDecimal("1333.33"));
        assertThat(ca.impliedHighPerCustomer()).contains(new BigDecimal("1166.67"));
        MarketProjection az = byId.get("us-az");
        assertThat(az.tier()).isEqualTo(MarketTier.TIER_2);
        assertThat(az.conservative()).contains(new BigDecimal("216000.00")); // 6,000 x 3% x 1,200
        MarketProjection gb = byId.get("gb");
        assertThat(gb.conservative()).isEmpty();
        assertThat(gb.reason()).hasValueSatisfying(r -> assertThat(r).contains("no target customers"));
        assertThatThrownBy(() -> RevenueProjection.project(CATALOG.markets(), RevenuePlan.seed(), BigDecimal.ZERO, USD))
                .isInstanceOf(AnalyticsException.class);
    }

    @Test
    void aBadPlanNamesItsFault() {
        String json = "{\"currency\":\"USD\",\"statedTotals\":[{\"label\":\"x\",\"tier\":\"TIER_9\",\"low\":1,\"high\":2,\"where\":\"here\"}]}";
        assertThatThrownBy(() -> RevenuePlan.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "plan.json"))
                .isInstanceOf(AnalyticsException.class).hasMessageContaining("plan.json statedTotals[0]")
                .hasMessageContaining("TIER_9");
        String noSource = "{\"currency\":\"USD\",\"penetration\":[{\"tier\":\"TIER_1\",\"low\":0.02,\"high\":0.04}]}";
        assertThatThrownBy(() -> RevenuePlan.load(new ByteArrayInputStream(noSource.getBytes(StandardCharsets.UTF_8)), "p.json"))
                .isInstanceOf(AnalyticsException.class).hasMessageContaining("'where'");
    }
}
