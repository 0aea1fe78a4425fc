package com.enterprisehub.geo.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticMarketsTest {

    @Test
    void theSameSeedGivesTheSameRowsWhateverOtherMarketsAreGenerated() {
        FeatureEncoder encoder = Fixtures.encoder();
        List<Sale> alone = SyntheticMarkets.builder(encoder).markets(Set.of(Fixtures.GB)).seed(5).build().sales(50);
        List<Sale> withOthers = SyntheticMarkets.builder(encoder).markets(Set.of(Fixtures.AU, Fixtures.GB,
                Fixtures.US_TX)).seed(5).build().sales(50).stream()
                .filter(s -> s.property().market().equals(Fixtures.GB)).toList();
        assertThat(withOthers).isEqualTo(alone);
        assertThat(SyntheticMarkets.builder(encoder).markets(Set.of(Fixtures.GB)).seed(6).build().sales(50))
                .isNotEqualTo(alone);
    }

    @Test
    void plantedCityPricesKeepTheMarketsLevelAndSpreadItsCities() {
        FeatureEncoder encoder = Fixtures.encoder();
        MarketId gb = Fixtures.GB;
        List<Sale> planted = SyntheticMarkets.builder(encoder).markets(Set.of(gb)).planted(Set.of(gb)).seed(3)
                .build().sales(4000);
        List<Sale> common = SyntheticMarkets.builder(encoder).markets(Set.of(gb)).seed(3).build().sales(4000);
        assertThat(meanLogPricePerM2(planted, "London") - meanLogPricePerM2(planted, "Manchester"))
                .isCloseTo(Math.log(2.5 / 0.8), org.assertj.core.api.Assertions.within(0.05));
        assertThat(meanLogPricePerM2(common, "London") - meanLogPricePerM2(common, "Manchester"))
                .isCloseTo(0, org.assertj.core.api.Assertions.within(0.05));
        // factors are normalized to a geometric mean of 1 over the cities: the market's level does not move
        assertThat(meanLogPricePerM2(planted, null) - meanLogPricePerM2(common, null))
                .isCloseTo(0, org.assertj.core.api.Assertions.within(0.05));
    }

    private static double meanLogPricePerM2(List<Sale> sales, String city) {
        return sales.stream().filter(s -> city == null ? s.property().city().isPresent()
                        : s.property().city().filter(city::equals).isPresent())
                .mapToDouble(s -> Math.log(s.price().getNumber().doubleValue()
                        / FeatureEncoder.squareMetres(s.property())))
                .average().orElseThrow();
    }
}
