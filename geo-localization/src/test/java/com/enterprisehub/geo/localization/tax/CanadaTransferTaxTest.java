package com.enterprisehub.geo.localization.tax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.tax.TaxLine;
import com.enterprisehub.geo.spi.tax.TransferTaxException;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.spi.tax.TransferTaxResult;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.function.UnaryOperator;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

/** Issue 5, Canada: Ontario with Toronto, British Columbia. Official examples where published (URL beside). */
class CanadaTransferTaxTest {
    private static final TransferTaxes TAXES = TransferTaxes.fromClassPath();
    private static final LocalDate NOW = LocalDate.of(2026, 11, 24);

    private static TransferTaxResult calc(String jurisdiction, String price, LocalDate date,
            UnaryOperator<TransferTaxRequest.Builder> buyer) {
        return TAXES.calculate(buyer.apply(TransferTaxRequest.builder(Money.of(new BigDecimal(price), "CAD"),
                jurisdiction, date)).build());
    }

    private static BigDecimal total(String jurisdiction, String price, LocalDate date,
            UnaryOperator<TransferTaxRequest.Builder> buyer) {
        return calc(jurisdiction, price, date, buyer).total().getNumber().numberValueExact(BigDecimal.class);
    }

    @Test
    void ontarioMatchesTheMinistryOfFinance() {
        // Ontario Bulletin LTT 2-2005, example 1: $95,000 -> $675 (rates unchanged in those brackets)
        assertThat(total("CA-ON", "95000", NOW, b -> b)).isEqualByComparingTo("675");
        assertThat(total("CA-ON", "500000", NOW, b -> b)).isEqualByComparingTo("6475");
        assertThat(total("CA-ON", "3000000", NOW, b -> b)).isEqualByComparingTo("61475");
        // band edge: 2.5% from one cent over $2,000,000
        assertThat(total("CA-ON", "2000000", NOW, b -> b)).isEqualByComparingTo("36475");
        assertThat(total("CA-ON", "2000100", NOW, b -> b)).isEqualByComparingTo("36477.50");
        // first-time homebuyer refund up to $4,000: none to pay up to $368,333.33
        assertThat(total("CA-ON", "368000", NOW, TransferTaxRequest.Builder::firstTimeBuyer)).isEqualByComparingTo("0");
        assertThat(total("CA-ON", "500000", NOW, TransferTaxRequest.Builder::firstTimeBuyer)).isEqualByComparingTo("2475");
        // non-resident speculation tax 25% of the whole price
        assertThat(total("CA-ON", "500000", NOW, TransferTaxRequest.Builder::nonResident)).isEqualByComparingTo("131475");
    }

    @Test
    void torontoAddsItsMunicipalTaxWithTheLuxuryBracketsInForce() {
        // first-time buyer, $800,000: Ontario 12,475 - 4,000; Toronto 12,475 - 4,475 -> 16,475
        assertThat(total("CA-ON", "800000", NOW, b -> b.city("Toronto").firstTimeBuyer())).isEqualByComparingTo("16475");
        TransferTaxResult house = calc("CA-ON", "5000000", NOW, b -> b.city("Toronto"));
        assertThat(house.lines()).extracting(TaxLine::tax).containsExactly("Land transfer tax",
                "Municipal land transfer tax");
        // from 1 April 2026: 4.40% and 5.45% above $3,000,000 and $4,000,000
        assertThat(house.lines().get(1).amount().getNumber().numberValueExact(BigDecimal.class))
                .isEqualByComparingTo("159975");
        // the 2024 brackets the day before
        assertThat(calc("CA-ON", "5000000", LocalDate.of(2026, 3, 31), b -> b.city("Toronto")).lines().get(1).amount()
                .getNumber().numberValueExact(BigDecimal.class)).isEqualByComparingTo("141475");
        // before 2024: 2.5% above $2,000,000
        assertThat(calc("CA-ON", "5000000", LocalDate.of(2023, 12, 31), b -> b.city("Toronto")).lines().get(1).amount()
                .getNumber().numberValueExact(BigDecimal.class)).isEqualByComparingTo("111475");
        // foreign buyer in Toronto: Ontario NRST 25% and Toronto's 10% from 1 January 2025
        assertThat(calc("CA-ON", "1000000", NOW, b -> b.city("Toronto").nonResident()).lines()).extracting(TaxLine::tax)
                .containsExactly("Land transfer tax", "Municipal land transfer tax", "Non-resident speculation tax",
                        "Municipal non-resident speculation tax");
        assertThatThrownBy(() -> calc("CA-ON", "500000", NOW, b -> b.city("Ottawa")))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("Ottawa");
    }

    @Test
    void britishColumbiaMatchesTheProvince() {
        // gov.bc.ca property transfer tax: $650,000 -> $11,000; residential $4,500,000 -> $143,000
        assertThat(total("CA-BC", "650000", NOW, b -> b)).isEqualByComparingTo("11000");
        assertThat(total("CA-BC", "4500000", NOW, b -> b)).isEqualByComparingTo("143000");
        // first time home buyers (registrations from 1 April 2024)
        assertThat(total("CA-BC", "500000", NOW, TransferTaxRequest.Builder::firstTimeBuyer)).isEqualByComparingTo("0");
        assertThat(total("CA-BC", "700000", NOW, TransferTaxRequest.Builder::firstTimeBuyer)).isEqualByComparingTo("4000");
        assertThat(total("CA-BC", "860000", NOW, TransferTaxRequest.Builder::firstTimeBuyer)).isEqualByComparingTo("15200");
        // additional property transfer tax: 20% in the specified areas only
        assertThat(total("CA-BC", "1000000", NOW, b -> b.nonResident().city("Vancouver"))).isEqualByComparingTo("218000");
        assertThat(total("CA-BC", "1000000", NOW, b -> b.nonResident().city("Kamloops"))).isEqualByComparingTo("18000");
        assertThatThrownBy(() -> calc("CA-BC", "1000000", NOW, TransferTaxRequest.Builder::nonResident))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("Vancouver");
    }

    @Test
    void quebecDutiesByYearAndMunicipality() {
        // Ville de Dollard-des-Ormeaux, droits de mutation 2025, example: base $1,150,000 -> $23,903.50
        assertThat(total("CA-QC", "1150000", LocalDate.of(2025, 6, 1), b -> b.city("Dollard-des-Ormeaux")))
                .isEqualByComparingTo("23903.50");
        // Montréal 2025 brackets (computed): $700,000 -> $9,392
        assertThat(total("CA-QC", "700000", LocalDate.of(2025, 6, 1), b -> b.city("Montréal"))).isEqualByComparingTo("9392");
        assertThat(total("CA-QC", "3500000", LocalDate.of(2025, 6, 1), b -> b.city("Montreal")))
                .isEqualByComparingTo("92938.50");
        // provincial schedule, thresholds indexed each year: 2026 $62,900 / $315,000 and 2025
        assertThat(total("CA-QC", "400000", NOW, b -> b)).isEqualByComparingTo("4110.50");
        assertThat(total("CA-QC", "400000", LocalDate.of(2025, 6, 1), b -> b)).isEqualByComparingTo("4153.50");
        // Montréal's 2026 brackets are not in the SDK's data: refused, not guessed
        assertThatThrownBy(() -> total("CA-QC", "700000", NOW, b -> b.city("Montréal")))
                .isInstanceOf(TransferTaxException.class).hasMessageContaining("montreal");
        assertThatThrownBy(() -> total("CA-QC", "700000", NOW, b -> b.city("Laval")))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("Laval");
    }

    @Test
    void albertaHasNoTransferTaxOnlyLandTitlesFees() {
        // Alberta Budget 2024 Fiscal Plan: $450,000 home -> $500 for the transfer (+ $455 for the mortgage)
        TransferTaxResult r = calc("CA-AB", "450000", NOW, b -> b);
        assertThat(r.total().getNumber().numberValueExact(BigDecimal.class)).isEqualByComparingTo("500");
        assertThat(r.notes()).singleElement().asString().contains("no land transfer tax");
        // "$5 for each $5,000 or portion"; before 20 October 2024, $2
        assertThat(total("CA-AB", "450001", NOW, b -> b)).isEqualByComparingTo("505");
        assertThat(total("CA-AB", "1000000", NOW, b -> b)).isEqualByComparingTo("1050");
        assertThat(total("CA-AB", "450000", LocalDate.of(2024, 10, 19), b -> b)).isEqualByComparingTo("230");
    }
}
