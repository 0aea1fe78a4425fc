package com.enterprisehub.geo.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.localization.Area;
import com.enterprisehub.geo.localization.AreaUnit;
import com.enterprisehub.geo.localization.OfflineRates;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

class FeatureEncoderTest {
    private final FeatureEncoder encoder = Fixtures.encoder();

    private static float at(float[] x, FeatureSchema schema, String name) {
        return x[schema.indexOf(name)];
    }

    @Test
    void amountsAreConvertedToTheCommonCurrencyAndAreasToSquareMetres() {
        Lead lead = Lead.builder(Fixtures.GB, "GB-ENG").city("London").createdOn(LocalDate.of(2025, 6, 1))
                .budget(Money.of(790_000, "GBP")).build();
        FeatureSchema schema = encoder.schema(ModelTask.LEAD_SCORING, FeatureSet.GLOBAL);
        float[] x = encoder.encode(lead, FeatureSet.GLOBAL);
        assertThat(at(x, schema, "log_budget")).isCloseTo((float) Math.log(1_000_000), within(1e-5f));

        Property sqft = Property.builder(Fixtures.US_TX, "US-TX").floorArea(Area.of(1076.3910417, AreaUnit.SQUARE_FOOT))
                .yearBuilt(2000).listedOn(LocalDate.of(2025, 1, 1)).build();
        Property m2 = Property.builder(Fixtures.AU, "AU-WA").floorArea(Area.of(100, AreaUnit.SQUARE_METRE))
                .yearBuilt(2000).listedOn(LocalDate.of(2025, 1, 1)).build();
        FeatureSchema p = encoder.schema(ModelTask.VALUATION, FeatureSet.GLOBAL);
        assertThat(at(encoder.encode(sqft, FeatureSet.GLOBAL), p, "log_floor_area_m2"))
                .isCloseTo((float) Math.log(100), within(1e-5f));
        assertThat(at(encoder.encode(m2, FeatureSet.GLOBAL), p, "log_floor_area_m2"))
                .isCloseTo((float) Math.log(100), within(1e-5f));
        assertThat(at(encoder.encode(sqft, FeatureSet.GLOBAL), p, "age_years")).isEqualTo(25f);
    }

    @Test
    void localSeasonsAreShiftedByHalfAYearInTheSouthernHemisphereOnly() {
        LocalDate january = LocalDate.of(2025, 1, 1);
        Property sydney = Property.builder(Fixtures.AU, "AU-NSW").city("Sydney").floorArea(Area.of(90,
                AreaUnit.SQUARE_METRE)).yearBuilt(1990).listedOn(january).build();
        Property chicagoLike = Property.builder(Fixtures.US_NY, "US-NY").floorArea(Area.of(900, AreaUnit.SQUARE_FOOT))
                .yearBuilt(1990).listedOn(january).build();
        FeatureSchema local = encoder.schema(ModelTask.VALUATION, FeatureSet.LOCALIZED);
        FeatureSchema global = encoder.schema(ModelTask.VALUATION, FeatureSet.GLOBAL);
        // 1 January: midwinter (cos = 1) in New York, midsummer (cos = -1) in Sydney
        assertThat(at(encoder.encode(chicagoLike, FeatureSet.LOCALIZED), local, "season_cos")).isEqualTo(1f);
        assertThat(at(encoder.encode(sydney, FeatureSet.LOCALIZED), local, "season_cos")).isEqualTo(-1f);
        // the global model sees the calendar month only
        assertThat(at(encoder.encode(sydney, FeatureSet.GLOBAL), global, "month_cos")).isEqualTo(1f);
        float[] x = encoder.encode(sydney, FeatureSet.LOCALIZED);
        assertThat(at(x, local, "market=au")).isEqualTo(1f);
        assertThat(at(x, local, "jurisdiction=AU-NSW")).isEqualTo(1f);
        assertThat(at(x, local, "city=au/Sydney")).isEqualTo(1f);
        assertThat(at(x, local, "city=au/Perth")).isEqualTo(0f);
        assertThat(at(x, local, "market=gb")).isEqualTo(0f);
        assertThat(global.names()).noneMatch(n -> n.startsWith("market=") || n.startsWith("city="));
    }

    @Test
    void theTransferTaxIsACostFeatureAndMissingWhereNoCalculatorApplies() {
        FeatureSchema schema = encoder.schema(ModelTask.LEAD_SCORING, FeatureSet.GLOBAL);
        // England, main residence, not a first-time buyer, 2025-06-01: SDLT on GBP 500,000 is 0% to 125,000,
        // 2% to 250,000, 5% above: 2,500 + 12,500 = 15,000 (gov.uk "Stamp Duty Land Tax: residential property
        // rates", from 1 April 2025)
        Lead england = Lead.builder(Fixtures.GB, "GB-ENG").createdOn(LocalDate.of(2025, 6, 1))
                .budget(Money.of(500_000, "GBP")).build();
        assertThat(at(encoder.encode(england, FeatureSet.GLOBAL), schema, "transfer_tax_share"))
                .isCloseTo(15_000f / 500_000f, within(1e-6f));
        FeatureEncoder noTaxes = FeatureEncoder.builder(MarketCatalog.defaults()).rates(Fixtures.RATES, "USD").build();
        assertThat(at(noTaxes.encode(england, FeatureSet.GLOBAL), schema, "transfer_tax_share")).isNaN();
    }

    @Test
    void rowsOfAnotherMarketOrCurrencyAndIncompleteRatesAreRefused() {
        Lead wrongJurisdiction = Lead.builder(Fixtures.GB, "US-CA").createdOn(LocalDate.of(2025, 6, 1))
                .budget(Money.of(500_000, "GBP")).build();
        assertThatThrownBy(() -> encoder.encode(wrongJurisdiction, FeatureSet.GLOBAL))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("US-CA is not a jurisdiction");
        Lead wrongCurrency = Lead.builder(Fixtures.GB, "GB-ENG").createdOn(LocalDate.of(2025, 6, 1))
                .budget(Money.of(500_000, "USD")).build();
        assertThatThrownBy(() -> encoder.encode(wrongCurrency, FeatureSet.GLOBAL))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("must be in GBP");
        OfflineRates noAud = OfflineRates.of(LocalDate.of(2025, 12, 31), "test", "USD",
                Map.of("CAD", BigDecimal.ONE, "GBP", BigDecimal.ONE));
        assertThatThrownBy(() -> FeatureEncoder.builder(MarketCatalog.defaults()).rates(noAud, "USD").build())
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("lack AUD");
    }
}
