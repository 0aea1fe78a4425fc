package com.enterprisehub.geo.localization.tax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
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
