package com.enterprisehub.geo.localization.tax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.tax.Payer;
import com.enterprisehub.geo.spi.tax.TaxLine;
import com.enterprisehub.geo.spi.tax.TransferTaxException;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.spi.tax.TransferTaxResult;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.function.UnaryOperator;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

/** Issue 5, US states with per-unit deed taxes, and the two with none. */
class UsTransferTaxTest {
    private static final TransferTaxes TAXES = TransferTaxes.fromClassPath();
    private static final LocalDate NOW = LocalDate.of(2026, 11, 24);

    private static TransferTaxResult calc(String jurisdiction, String price, UnaryOperator<TransferTaxRequest.Builder> b) {
        return TAXES.calculate(b.apply(TransferTaxRequest.builder(Money.of(new BigDecimal(price), "USD"), jurisdiction,
                NOW)).build());
    }

    private static BigDecimal total(String jurisdiction, String price) {
        return calc(jurisdiction, price, b -> b).total().getNumber().numberValueExact(BigDecimal.class);
    }

    @Test
    void northCarolinaPerFiveHundredOrPartAsTheRegistersOfDeedsGuidebookShows() {
        // UNC School of Government, North Carolina Guidebook for Registers of Deeds 3.2.6.1.2:
        // $27,700 -> $56; $32,350 -> $65
        assertThat(total("US-NC", "27700")).isEqualByComparingTo("56");
        assertThat(total("US-NC", "32350")).isEqualByComparingTo("65");
        assertThat(total("US-NC", "350000")).isEqualByComparingTo("700");
        assertThat(total("US-NC", "350001")).isEqualByComparingTo("701");
        assertThat(calc("US-NC", "350000", b -> b).lines().get(0).payer()).isEqualTo(Payer.SELLER);
        assertThat(calc("US-NC", "350000", b -> b).buyerPays().isZero()).isTrue();
    }

    @Test
    void floridaDocumentaryStampsWithMiamiDadesRate() {
        // Florida DOR example: $40,675 -> 407 units x $.70 = $284.90
        assertThat(total("US-FL", "40675")).isEqualByComparingTo("284.90");
        assertThat(total("US-FL", "425050")).isEqualByComparingTo("2975.70");
        // Miami-Dade, single-family residence: $.60 per $100, no surtax
        assertThat(calc("US-FL", "500000", b -> b.city("Miami")).total().getNumber().numberValueExact(BigDecimal.class))
                .isEqualByComparingTo("3000");
    }

    @Test
    void georgiaAndColorado() {
        assertThat(total("US-GA", "850")).isEqualByComparingTo("1");
        assertThat(total("US-GA", "1050")).isEqualByComparingTo("1.10");
        assertThat(total("US-GA", "250000")).isEqualByComparingTo("250");
        assertThat(total("US-GA", "250050")).isEqualByComparingTo("250.10");
        assertThat(total("US-GA", "100")).isEqualByComparingTo("0");
        assertThat(total("US-CO", "450000")).isEqualByComparingTo("45");
        assertThat(total("US-CO", "612345")).isEqualByComparingTo("61.23");
        assertThat(total("US-CO", "500")).isEqualByComparingTo("0");
        // above the $500 exemption the fee is on the whole price, per $100 or major fraction
        assertThat(total("US-CO", "500.01")).isEqualByComparingTo("0.05");
        assertThat(total("US-CO", "520")).isEqualByComparingTo("0.05");
        assertThat(total("US-CO", "549.99")).isEqualByComparingTo("0.05");
        assertThat(total("US-CO", "550")).isEqualByComparingTo("0.06");
    }

    @Test
    void newYorkStateMansionAndNewYorkCityTaxes() {
        // NYS DTF: $2 for each $500 or fractional part (computed: no DTF worked example retrieved)
        assertThat(total("US-NY", "750250")).isEqualByComparingTo("3002");
        TransferTaxResult upstate = calc("US-NY", "1200000", b -> b);
        assertThat(upstate.lines()).extracting(TaxLine::tax).containsExactly("Real estate transfer tax", "Mansion tax");
        assertThat(upstate.buyerPays().getNumber().numberValueExact(BigDecimal.class)).isEqualByComparingTo("12000");
        // the mansion tax's cliff at $1,000,000
        assertThat(calc("US-NY", "999999", b -> b).lines()).hasSize(1);
        // NYC condo $2,000,000: state $8,000, mansion $20,000 + supplemental 0.25% $5,000, RPTT 1.425% $28,500
        TransferTaxResult nyc = calc("US-NY", "2000000", b -> b.city("New York City"));
        assertThat(nyc.buyerPays().getNumber().numberValueExact(BigDecimal.class)).isEqualByComparingTo("25000");
        assertThat(nyc.total().getNumber().numberValueExact(BigDecimal.class)).isEqualByComparingTo("61500");
        // $3,500,000 in NYC: the additional state base tax ($1.25 per $500) and the 0.5% tier
        TransferTaxResult big = calc("US-NY", "3500000", b -> b.city("New York City"));
        assertThat(big.lines()).extracting(TaxLine::tax).containsExactly("Real estate transfer tax",
                "Real estate transfer tax, New York City additional base tax", "Mansion tax",
                "Supplemental (progressive mansion) tax", "Real property transfer tax");
        assertThat(big.buyerPays().getNumber().numberValueExact(BigDecimal.class)).isEqualByComparingTo("52500");
        assertThat(big.total().getNumber().numberValueExact(BigDecimal.class))
                .isEqualByComparingTo("125125"); // 14,000 + 8,750 + 35,000 + 17,500 + 49,875
        assertThat(calc("US-NY", "650000", b -> b.city("New York City")).total().getNumber()
                .numberValueExact(BigDecimal.class)).isEqualByComparingTo("11862.50");
    }

    @Test
    void illinoisCookCountyAndChicagoWithTheirPayers() {
        TransferTaxResult chicago = calc("US-IL", "400250", b -> b.city("Chicago"));
        assertThat(chicago.lines()).extracting(TaxLine::payer).containsExactly(Payer.SELLER, Payer.SELLER, Payer.BUYER,
                Payer.SELLER);
        assertThat(chicago.buyerPays().getNumber().numberValueExact(BigDecimal.class)).isEqualByComparingTo("3003.75");
        assertThat(chicago.total().getNumber().numberValueExact(BigDecimal.class))
                .isEqualByComparingTo("4806.00"); // 400.50 + 200.25 + 3,003.75 + 1,201.50
        assertThat(total("US-IL", "400000")).isEqualByComparingTo("400");
        assertThat(calc("US-IL", "400000", b -> b).notes()).singleElement().asString().contains("Chicago");
    }

    @Test
    void californiaCountyLosAngelesWithUlaAndSanFrancisco() {
        LocalDate fy2025 = LocalDate.of(2026, 3, 2);
        // LA County Registrar-Recorder: $21,100 -> county $23.65; in the City of Los Angeles also $96.75
        TransferTaxResult small = TAXES.calculate(TransferTaxRequest.builder(Money.of(21_100, "USD"), "US-CA", fy2025)
                .city("Los Angeles").build());
        assertThat(small.lines()).extracting(l -> l.amount().getNumber().numberValueExact(BigDecimal.class))
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("23.65"), new BigDecimal("96.75"));
        assertThat(total("US-CA", "21100")).isEqualByComparingTo("23.65");
        // ULA, thresholds of 2025-26: 4% of the whole price over $5,300,000 (a cliff)
        TransferTaxResult mansion = TAXES.calculate(TransferTaxRequest.builder(Money.of(6_000_000, "USD"), "US-CA", fy2025)
                .city("Los Angeles").build());
        assertThat(mansion.total().getNumber().numberValueExact(BigDecimal.class)).isEqualByComparingTo("273600");
        assertThat(TAXES.calculate(TransferTaxRequest.builder(Money.of(5_300_000, "USD"), "US-CA", fy2025)
                .city("Los Angeles").build()).lines()).hasSize(2);
        // the FY 2026-27 thresholds are not published in the SDK's data: refused, not guessed
        assertThatThrownBy(() -> calc("US-CA", "900000", b -> b.city("Los Angeles")))
                .isInstanceOf(TransferTaxException.class).hasMessageContaining("los-angeles-ula");
        // San Francisco: the tier applies to the whole value
        assertThat(calc("US-CA", "250000", b -> b.city("San Francisco")).total().getNumber()
                .numberValueExact(BigDecimal.class)).isEqualByComparingTo("1250");
        assertThat(calc("US-CA", "250001", b -> b.city("San Francisco")).total().getNumber()
                .numberValueExact(BigDecimal.class)).isEqualByComparingTo("1703.40");
        assertThat(calc("US-CA", "1250000", b -> b.city("San Francisco")).total().getNumber()
                .numberValueExact(BigDecimal.class)).isEqualByComparingTo("9375");
        assertThatThrownBy(() -> calc("US-CA", "900000", b -> b.city("Oakland"))).isInstanceOf(GeoValidationException.class);
    }

    /** Issue 18: US-TX on 1800-01-01 threw NoSuchElementException. */
    @Test
    void texasBeforeItsKnownPeriodIsRefusedLikeEveryOtherJurisdiction() {
        assertThatThrownBy(() -> TAXES.calculate(TransferTaxRequest.builder(Money.of(450_000, "USD"), "US-TX",
                LocalDate.of(1800, 1, 1)).build())).isExactlyInstanceOf(TransferTaxException.class)
                .hasMessageContaining("1800-01-01").hasMessageContaining("does not guess");
        assertThatThrownBy(() -> TAXES.calculate(TransferTaxRequest.builder(Money.of(450_000, "USD"), "US-AZ",
                LocalDate.of(1800, 1, 1)).build())).isExactlyInstanceOf(TransferTaxException.class);
    }

    /** Issue 18: a first-time buyer in North Carolina was ignored silently. */
    @Test
    void aFlagNorthCarolinaHasNoRuleForIsStatedInTheNotes() {
        TransferTaxResult r = calc("US-NC", "350000", TransferTaxRequest.Builder::firstTimeBuyer);
        assertThat(total("US-NC", "350000")).isEqualByComparingTo("700");
        assertThat(r.total()).isEqualTo(calc("US-NC", "350000", b -> b).total());
        assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("first-time buyer").contains("US-NC"));
        assertThat(calc("US-NC", "350000", b -> b).notes()).noneSatisfy(n -> assertThat(n).contains("first-time buyer"));
        assertThat(calc("US-TX", "350000", b -> b.nonResident().newHome()).notes())
                .anySatisfy(n -> assertThat(n).contains("non-resident"))
                .anySatisfy(n -> assertThat(n).contains("new home"));
    }

    @Test
    void texasAndArizonaSayTheyHaveNone() {
        TransferTaxResult tx = calc("US-TX", "450000", b -> b);
        assertThat(tx.lines()).isEmpty();
        assertThat(tx.total().isZero()).isTrue();
        assertThat(tx.notes()).singleElement().asString().contains("Texas levies no real estate transfer tax")
                .contains("art. VIII");
        assertThat(calc("US-AZ", "450000", b -> b).notes()).singleElement().asString().contains("Arizona");
        assertThatThrownBy(() -> calc("US-TX", "450000", b -> b.city("Houston"))).isInstanceOf(GeoValidationException.class);
    }
}
