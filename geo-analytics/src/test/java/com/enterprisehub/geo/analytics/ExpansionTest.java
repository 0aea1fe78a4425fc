package com.enterprisehub.geo.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.market.MarketTier;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExpansionTest {
    private static final MarketCatalog CATALOG = MarketCatalog.defaults();
    private static final List<Market> TIER_1 = CATALOG.inTier(MarketTier.TIER_1);

    /**
     * Worked by hand from the seed's tier-1 figures (size $bn 800/200/400/150/300, customers
     * 15k/12k/18k/8k/20k, revenue midpoints $k 550/400/650/300/500, complexity H/M/VH/M/M, competition
     * H/M/VH/M/H), equal weights: Texas 0.66044 just ahead of California 0.65952.
     */
    @Test
    void tierOneScoresMatchAHandComputation() {
        ExpansionReport report = ExpansionScoring.builder().build().score(TIER_1);
        Map<String, Double> scores = report.ranked().stream()
                .collect(Collectors.toMap(c -> c.market().value(), ExpansionCandidate::score));
        assertThat(scores.get("us-tx")).isCloseTo((3.0 / 13 + 1 + 4.0 / 7 + 1 + 0.5) / 5, within(1e-12));
        assertThat(scores.get("us-ca")).isCloseTo((1 + 7.0 / 12 + 5.0 / 7 + 0.5 + 0.5) / 5, within(1e-12));
        assertThat(scores.get("us-fl")).isCloseTo((50.0 / 650 + 4000.0 / 12000 + 100.0 / 350 + 1 + 1) / 5, within(1e-12));
        assertThat(scores.get("us-ny")).isCloseTo((250.0 / 650 + 10000.0 / 12000 + 1 + 0 + 0) / 5, within(1e-12));
        assertThat(scores.get("us-il")).isCloseTo(0.4, within(1e-12));
        assertThat(report.ranked()).extracting(c -> c.market().value())
                .containsExactly("us-tx", "us-ca", "us-fl", "us-ny", "us-il");
        assertThat(report.ranked().get(0).rank()).isEqualTo(1);
        assertThat(report.ranked()).allSatisfy(c -> assertThat(c.coverage()).isEqualTo(1.0));
        assertThat(report.weights().values()).allSatisfy(w -> assertThat(w).isCloseTo(0.2, within(1e-12)));
    }

    @Test
    void sensitivityShowsTheTopIsFragile() {
        ExpansionReport report = ExpansionScoring.builder().build().score(TIER_1);
        assertThat(report.sensitivity()).hasSize(10);
        SensitivityCase sizeUp = report.sensitivity().stream()
                .filter(s -> s.criterion() == ExpansionCriterion.MARKET_SIZE && s.factor() == 1.2).findFirst().orElseThrow();
        // CA = (0.24 + 0.2 (7/12 + 5/7 + 1)) / 1.04 = 0.67262 > TX = 0.64391
        assertThat(sizeUp.ranking().get(0)).isEqualTo(MarketId.of("us-ca"));
        assertThat(sizeUp.topChanged()).isTrue();
        assertThat(sizeUp.largestShift()).isEqualTo(1);
        assertThat(report.topIsRobust()).isFalse();
        ExpansionCandidate tx = report.ranked().get(0);
        assertThat(tx.bestRank()).isEqualTo(1);
        assertThat(tx.worstRank()).isEqualTo(2);
        ExpansionCandidate il = report.ranked().get(4);
        assertThat(il.bestRank()).isEqualTo(il.worstRank());
    }

    @Test
    void missingCatalogFiguresAreNeverImputed() {
        ExpansionScoring.Builder usdOnly = ExpansionScoring.builder();
        assertThatThrownBy(() -> usdOnly.build().score(CATALOG.markets())).isInstanceOf(AnalyticsException.class)
                .hasMessageContaining("CAD").hasMessageContaining("GBP").hasMessageContaining("AUD")
                .hasMessageContaining("exchangeRate");
        ExpansionScoring.Builder withRates = ExpansionScoring.builder()
                .exchangeRate(Currency.getInstance("CAD"), new BigDecimal("0.741"))
                .exchangeRate(Currency.getInstance("GBP"), new BigDecimal("1.244"))
                .exchangeRate(Currency.getInstance("AUD"), new BigDecimal("0.6644"));
        ExpansionReport renormalized = withRates.build().score(CATALOG.markets());
        assertThat(renormalized.ranked()).hasSize(12);
        Map<String, ExpansionCandidate> byId = renormalized.ranked().stream()
                .collect(Collectors.toMap(c -> c.market().value(), c -> c));
        assertThat(byId.get("us-az").missing()).containsExactly(ExpansionCriterion.REGULATORY_COMPLEXITY,
                ExpansionCriterion.COMPETITION);
        assertThat(byId.get("us-az").coverage()).isCloseTo(0.6, within(1e-12));
        // the seed gives international markets neither customers nor complexity nor competition
        assertThat(byId.get("gb").missing()).containsExactly(ExpansionCriterion.TARGET_CUSTOMERS,
                ExpansionCriterion.REGULATORY_COMPLEXITY, ExpansionCriterion.COMPETITION);
        assertThat(byId.get("gb").coverage()).isCloseTo(0.4, within(1e-12));
        assertThat(byId.get("gb").normalized()).doesNotContainKey(ExpansionCriterion.TARGET_CUSTOMERS);
        assertThat(byId.get("us-ca").coverage()).isEqualTo(1.0);

        ExpansionReport strict = withRates.missingValues(MissingValues.EXCLUDE).build().score(CATALOG.markets());
        assertThat(strict.ranked()).extracting(c -> c.market().value()).containsExactlyInAnyOrder("us-ca", "us-fl",
                "us-ny", "us-il", "us-tx");
        assertThat(strict.notScored()).hasSize(7).containsEntry(MarketId.of("au"), List.of(ExpansionCriterion.TARGET_CUSTOMERS,
                ExpansionCriterion.REGULATORY_COMPLEXITY, ExpansionCriterion.COMPETITION));
    }

    @Test
    void weightsAreRelativeAndAZeroWeightDropsACriterion() {
        ExpansionReport base = ExpansionScoring.builder().build().score(TIER_1);
        ExpansionScoring.Builder doubled = ExpansionScoring.builder();
        for (ExpansionCriterion c : ExpansionCriterion.values()) {
            doubled.weight(c, 0.4);
        }
        assertThat(doubled.build().score(TIER_1).ranked()).extracting(ExpansionCandidate::score)
                .containsExactlyElementsOf(base.ranked().stream().map(ExpansionCandidate::score).toList());
        ExpansionReport sizeOnly = ExpansionScoring.builder()
                .weight(ExpansionCriterion.TARGET_CUSTOMERS, 0).weight(ExpansionCriterion.REVENUE_POTENTIAL, 0)
                .weight(ExpansionCriterion.REGULATORY_COMPLEXITY, 0).weight(ExpansionCriterion.COMPETITION, 0)
                .build().score(TIER_1);
        assertThat(sizeOnly.ranked()).extracting(c -> c.market().value())
                .containsExactly("us-ca", "us-ny", "us-tx", "us-fl", "us-il");
        assertThat(sizeOnly.sensitivity()).hasSize(2).allSatisfy(s -> assertThat(s.moved()).isZero());
        assertThatThrownBy(() -> ExpansionScoring.builder().weight(ExpansionCriterion.COMPETITION, -1))
                .isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> ExpansionScoring.builder().build().score(TIER_1.subList(0, 1)))
                .isInstanceOf(AnalyticsException.class).hasMessageContaining("at least two");
    }
}
