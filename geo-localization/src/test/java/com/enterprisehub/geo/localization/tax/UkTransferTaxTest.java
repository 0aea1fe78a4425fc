package com.enterprisehub.geo.localization.tax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.tax.BandContribution;
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

/**
 * Issue 5, UK: the worked examples HM Revenue & Customs, Revenue Scotland and the Welsh Revenue Authority
 * publish (URL beside each), band edges, each relief and surcharge, and the regime changes by date.
 */
class UkTransferTaxTest {
    private static final TransferTaxes TAXES = TransferTaxes.fromClassPath();
    private static final LocalDate NOW = LocalDate.of(2026, 11, 24);

    private static BigDecimal tax(String jurisdiction, String price, LocalDate date,
            UnaryOperator<TransferTaxRequest.Builder> buyer) {
        TransferTaxResult r = TAXES.calculate(buyer.apply(TransferTaxRequest.builder(Money.of(new BigDecimal(price),
                "GBP"), jurisdiction, date)).build());
        return r.total().getNumber().numberValueExact(BigDecimal.class);
    }

    private static BigDecimal tax(String jurisdiction, String price, LocalDate date) {
        return tax(jurisdiction, price, date, b -> b);
    }

    // ---------------------------------------------------------------- England: SDLT

    @Test
    void englandStandardRatesMatchHmrcExamples() {
        // https://www.gov.uk/stamp-duty-land-tax/residential-property-rates: GBP 295,000 from 1 April 2025 -> 4,750
        assertThat(tax("GB-ENG", "295000", NOW)).isEqualByComparingTo("4750");
        // same page before 1 April 2025 (23 Sep 2022 rates): GBP 295,000 -> 2,250
        assertThat(tax("GB-ENG", "295000", LocalDate.of(2024, 10, 1))).isEqualByComparingTo("2250");
        // the nil band moved on 1 April 2025: the day before and the day itself
        assertThat(tax("GB-ENG", "250000", LocalDate.of(2025, 3, 31))).isEqualByComparingTo("0");
        assertThat(tax("GB-ENG", "250000", LocalDate.of(2025, 4, 1))).isEqualByComparingTo("2500");
        assertThat(tax("GB-ENG", "1600000", NOW)).isEqualByComparingTo("105750");
    }

    @Test
    void englandBandEdgesAndRoundingDownToThePound() {
        assertThat(tax("GB-ENG", "125000", NOW)).isEqualByComparingTo("0");
        assertThat(tax("GB-ENG", "125000.01", NOW)).isEqualByComparingTo("0"); // 0.0002 -> rounded down
        assertThat(tax("GB-ENG", "125050", NOW)).isEqualByComparingTo("1");
        assertThat(tax("GB-ENG", "925000", NOW)).isEqualByComparingTo("36250");
        assertThat(tax("GB-ENG", "925000.01", NOW)).isEqualByComparingTo("36250");
    }

    @Test
    void englandFirstTimeBuyerReliefAndItsCliff() {
        // HMRC SDLTM29815: first-time buyer, GBP 450,000 from 1 April 2025 -> 7,500
        assertThat(tax("GB-ENG", "450000", NOW, TransferTaxRequest.Builder::firstTimeBuyer)).isEqualByComparingTo("7500");
        // gov.uk (23 Sep 2022 to 31 Mar 2025 rates): first-time buyer GBP 500,000 -> 3,750
        assertThat(tax("GB-ENG", "500000", LocalDate.of(2024, 6, 1), TransferTaxRequest.Builder::firstTimeBuyer))
                .isEqualByComparingTo("3750");
        assertThat(tax("GB-ENG", "300000", NOW, TransferTaxRequest.Builder::firstTimeBuyer)).isEqualByComparingTo("0");
        assertThat(tax("GB-ENG", "500000", NOW, TransferTaxRequest.Builder::firstTimeBuyer)).isEqualByComparingTo("10000");
        // one penny over the limit: no relief at all
        assertThat(tax("GB-ENG", "500000.01", NOW, TransferTaxRequest.Builder::firstTimeBuyer))
                .isEqualByComparingTo("15000");
    }

    @Test
    void englandHigherRatesForAdditionalDwellings() {
        // HMRC SDLTM09740: GBP 300,000 with the 3-point higher rates on the 125k scale -> 14,000
        assertThat(tax("GB-ENG", "300000", LocalDate.of(2022, 1, 15), TransferTaxRequest.Builder::additionalDwelling))
                .isEqualByComparingTo("14000");
        // 3 points until 30 October 2024, 5 points from 31 October 2024 (computed from the gov.uk tables)
        assertThat(tax("GB-ENG", "300000", LocalDate.of(2024, 10, 30), TransferTaxRequest.Builder::additionalDwelling))
                .isEqualByComparingTo("11500");
        assertThat(tax("GB-ENG", "300000", LocalDate.of(2024, 10, 31), TransferTaxRequest.Builder::additionalDwelling))
                .isEqualByComparingTo("17500");
        assertThat(tax("GB-ENG", "300000", NOW, TransferTaxRequest.Builder::additionalDwelling)).isEqualByComparingTo("20000");
        // SDLTM09770: GBP 40,000 or more, then on the whole price; below, the standard rates
        assertThat(tax("GB-ENG", "40000", NOW, TransferTaxRequest.Builder::additionalDwelling)).isEqualByComparingTo("2000");
        assertThat(tax("GB-ENG", "39999.99", NOW, TransferTaxRequest.Builder::additionalDwelling)).isEqualByComparingTo("0");
    }

    @Test
    void englandNonResidentSurchargeOnTopOfEverything() {
        assertThat(tax("GB-ENG", "300000", NOW, TransferTaxRequest.Builder::nonResident)).isEqualByComparingTo("11000");
        assertThat(tax("GB-ENG", "300000", NOW, b -> b.nonResident().additionalDwelling())).isEqualByComparingTo("26000");
        assertThat(tax("GB-ENG", "450000", NOW, b -> b.nonResident().firstTimeBuyer())).isEqualByComparingTo("16500");
    }

    @Test
    void theLineIsItemizedAndCited() {
        TransferTaxResult r = TAXES.calculate(TransferTaxRequest.builder(Money.of(295_000, "GBP"), "GB-ENG", NOW).build());
        TaxLine line = r.lines().get(0);
        assertThat(line.tax()).isEqualTo("Stamp Duty Land Tax");
        assertThat(line.authority()).isEqualTo("HM Revenue & Customs");
        assertThat(line.payer()).isEqualTo(Payer.BUYER);
        assertThat(line.source()).contains("https://www.gov.uk/stamp-duty-land-tax/residential-property-rates");
        assertThat(line.bands()).extracting(BandContribution::rate).containsExactly("0%", "2%", "5%");
        assertThat(line.bands()).extracting(BandContribution::tax).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("0"), new BigDecimal("2500"), new BigDecimal("2250"));
        assertThat(r.buyerPays()).isEqualTo(r.total());
    }

    // ---------------------------------------------------------------- Scotland: LBTT and ADS

    @Test
    void scotlandMatchesRevenueScotlandExamples() {
        // Revenue Scotland ADS guidance, example 1: GBP 350,000 -> LBTT 8,350
        assertThat(tax("GB-SCT", "350000", NOW)).isEqualByComparingTo("8350");
        // the same as an additional dwelling with ADS at 8% (from 5 December 2024): 8,350 + 28,000
        assertThat(tax("GB-SCT", "350000", NOW, TransferTaxRequest.Builder::additionalDwelling)).isEqualByComparingTo("36350");
        // ADS 6% the day before
        assertThat(tax("GB-SCT", "350000", LocalDate.of(2024, 12, 4), TransferTaxRequest.Builder::additionalDwelling))
                .isEqualByComparingTo("29350");
        // ADS from GBP 40,000, on all of it
        assertThat(tax("GB-SCT", "40000", NOW, TransferTaxRequest.Builder::additionalDwelling)).isEqualByComparingTo("3200");
        assertThat(tax("GB-SCT", "39999", NOW, TransferTaxRequest.Builder::additionalDwelling)).isEqualByComparingTo("0");
        // first-time buyers: nil band GBP 175,000, saving at most GBP 600
        assertThat(tax("GB-SCT", "200000", NOW, TransferTaxRequest.Builder::firstTimeBuyer)).isEqualByComparingTo("500");
        assertThat(tax("GB-SCT", "200000", NOW)).isEqualByComparingTo("1100");
        assertThat(tax("GB-SCT", "145000", NOW)).isEqualByComparingTo("0");
        assertThat(tax("GB-SCT", "145050", NOW)).isEqualByComparingTo("1");
    }

    // ---------------------------------------------------------------- Wales: LTT

    @Test
    void walesMatchesWelshRevenueAuthorityExamples() {
        // WRA LTTA/3020, examples 1 and 2: GBP 120,000 -> 0; GBP 350,000 -> 7,500
        assertThat(tax("GB-WLS", "120000", NOW)).isEqualByComparingTo("0");
        assertThat(tax("GB-WLS", "350000", NOW)).isEqualByComparingTo("7500");
        // MoneyHelper: GBP 410,000 -> 11,250
        assertThat(tax("GB-WLS", "410000", NOW)).isEqualByComparingTo("11250");
        // higher residential rates: a scale of their own, from GBP 40,000 (WSI 2024/1311 from 11 December 2024)
        assertThat(tax("GB-WLS", "300000", NOW, TransferTaxRequest.Builder::additionalDwelling)).isEqualByComparingTo("19950");
        assertThat(tax("GB-WLS", "300000", LocalDate.of(2024, 12, 10), TransferTaxRequest.Builder::additionalDwelling))
                .isEqualByComparingTo("16950");
        // main rates before 10 October 2022
        assertThat(tax("GB-WLS", "300000", LocalDate.of(2022, 10, 9))).isEqualByComparingTo("4950");
        // no first-time buyer relief in Wales
        assertThat(tax("GB-WLS", "350000", NOW, TransferTaxRequest.Builder::firstTimeBuyer)).isEqualByComparingTo("7500");
    }

    // ---------------------------------------------------------------- bad input, unknown regimes

    @Test
    void badInputAndUnknownRegimesAreClearErrors() {
        assertThatThrownBy(() -> TransferTaxRequest.builder(Money.of(0, "GBP"), "GB-ENG", NOW).build())
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> TransferTaxRequest.builder(Money.of(-1, "GBP"), "GB-ENG", NOW).build())
                .isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> TAXES.calculate(TransferTaxRequest.builder(Money.of(300_000, "EUR"), "GB-ENG", NOW).build()))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("GBP");
        assertThatThrownBy(() -> TAXES.calculate(TransferTaxRequest.builder(Money.of(300_000, "GBP"), "GB-ENG", NOW)
                .city("London").build())).isInstanceOf(GeoValidationException.class).hasMessageContaining("London");
        assertThatThrownBy(() -> TAXES.calculate(TransferTaxRequest.builder(Money.of(300_000, "GBP"), "GB-ENG",
                LocalDate.of(2021, 9, 30)).build())).isInstanceOf(TransferTaxException.class)
                .hasMessageContaining("2021-09-30").hasMessageContaining("does not guess");
        assertThatThrownBy(() -> TransferTaxRequest.builder(Money.of(300_000, "EUR"), "FR-IDF", NOW).build())
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("FR-IDF");
        assertThatThrownBy(() -> TAXES.calculate(TransferTaxRequest.builder(Money.of(300_000, "USD"), "US-WA", NOW).build()))
                .isInstanceOf(TransferTaxException.class).hasMessageContaining("US-WA").hasMessageContaining("GB-ENG");
        assertThatThrownBy(() -> TransferTaxRequest.builder(Money.of(1, "GBP"), "GB-ENG", NOW).firstTimeBuyer()
                .additionalDwelling().build()).isInstanceOf(GeoValidationException.class);
    }

    // ---------------------------------------------------------------- every jurisdiction alike (issue 18)

    /** A plain purchase of {@code price} in {@code jurisdiction}'s currency, with a city where one is needed. */
    private static TransferTaxRequest.Builder plain(String jurisdiction, long price, LocalDate date) {
        String currency = java.util.Currency.getInstance(new java.util.Locale("", jurisdiction.substring(0, 2)))
                .getCurrencyCode();
        TransferTaxRequest.Builder b = TransferTaxRequest.builder(Money.of(price, currency), jurisdiction, date);
        return switch (jurisdiction) {
            case "AU-WA" -> b.city("Perth");       // the first home owner rate depends on the region
            case "CA-BC" -> b.city("Vancouver");   // the additional property transfer tax depends on the area
            default -> b;
        };
    }

    static java.util.stream.Stream<String> jurisdictions() {
        return TAXES.jurisdictions().stream();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("jurisdictions")
    void aDateBeforeEveryRegimeIsATransferTaxExceptionEverywhere(String jurisdiction) {
        assertThatThrownBy(() -> TAXES.calculate(plain(jurisdiction, 500_000, LocalDate.of(1800, 1, 1)).build()))
                .isExactlyInstanceOf(TransferTaxException.class).hasMessageContaining("1800-01-01")
                .hasMessageContaining(jurisdiction.equals("GB-NIR") ? "GB-ENG" : jurisdiction);
        // with every flag, so that the paths of reliefs and surcharges are taken too
        assertThatThrownBy(() -> TAXES.calculate(plain(jurisdiction, 500_000, LocalDate.of(1800, 1, 1))
                .firstTimeBuyer().nonResident().newHome().build())).isExactlyInstanceOf(TransferTaxException.class);
        assertThatThrownBy(() -> TAXES.calculate(plain(jurisdiction, 500_000, LocalDate.of(1800, 1, 1))
                .additionalDwelling().build())).isExactlyInstanceOf(TransferTaxException.class);
    }

    /** The horizon: rates are used at most one year after the date they were last checked (2026-11-24). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("jurisdictions")
    void aDateBeyondTheHorizonIsRefusedEverywhere(String jurisdiction) {
        for (LocalDate far : new LocalDate[] {LocalDate.of(2100, 1, 1), LocalDate.of(2027, 11, 25)}) {
            assertThatThrownBy(() -> TAXES.calculate(plain(jurisdiction, 500_000, far).build()))
                    .as("%s on %s", jurisdiction, far).isExactlyInstanceOf(TransferTaxException.class)
                    .hasMessageContaining(far.toString());
        }
    }

    @Test
    void theHorizonIsOneYearAfterTheRatesWereLastChecked() {
        assertThatThrownBy(() -> tax("GB-ENG", "300000", LocalDate.of(2100, 1, 1)))
                .isInstanceOf(TransferTaxException.class).hasMessageContaining("2026-11-24")
                .hasMessageContaining("one year");
        // the last day within the horizon is computed, with the assumption stated
        TransferTaxResult last = TAXES.calculate(TransferTaxRequest.builder(Money.of(300_000, "GBP"), "GB-ENG",
                LocalDate.of(2027, 11, 24)).build());
        assertThat(last.total()).isEqualTo(Money.of(5000, "GBP"));
        assertThat(last.notes()).anySatisfy(n -> assertThat(n).contains("2026-11-24").contains("not reflected"));
        // on or before the day the rates were checked, no such note
        assertThat(TAXES.calculate(TransferTaxRequest.builder(Money.of(300_000, "GBP"), "GB-ENG", NOW).build())
                .notes()).noneSatisfy(n -> assertThat(n).contains("not reflected"));
        TransferTaxResult texas = TAXES.calculate(TransferTaxRequest.builder(Money.of(300_000, "USD"), "US-TX",
                LocalDate.of(2027, 3, 1)).build());
        assertThat(texas.notes()).anySatisfy(n -> assertThat(n).contains("2026-11-24"));
    }

    private enum Flag {
        FIRST_TIME_BUYER("first-time buyer", TransferTaxRequest.Builder::firstTimeBuyer),
        ADDITIONAL_DWELLING("additional dwelling", TransferTaxRequest.Builder::additionalDwelling),
        NON_RESIDENT("non-resident", TransferTaxRequest.Builder::nonResident),
        NOT_OWNER_OCCUPIER("not owner-occupier", TransferTaxRequest.Builder::notOwnerOccupier),
        NEW_HOME("new home", TransferTaxRequest.Builder::newHome);

        final String words;
        final UnaryOperator<TransferTaxRequest.Builder> set;

        Flag(String words, UnaryOperator<TransferTaxRequest.Builder> set) {
            this.words = words;
            this.set = set;
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> jurisdictionsAndFlags() {
        return TAXES.jurisdictions().stream().flatMap(j -> java.util.Arrays.stream(Flag.values())
                .map(f -> org.junit.jupiter.params.provider.Arguments.of(j, f)));
    }

    /**
     * Every calculator treats a buyer flag alike: it changes the taxes at some price, or the result says in a
     * note that it changes nothing there (issue 18: a first-time buyer in North Carolina was ignored silently).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.MethodSource("jurisdictionsAndFlags")
    void aFlagEitherChangesTheTaxesOrTheResultSaysItDoesNot(String jurisdiction, Flag flag) {
        LocalDate date = LocalDate.of(2026, 3, 2); // NSW 2025-26 and every other regime in force
        boolean changes = false;
        for (long price : new long[] {150_000, 500_000, 2_500_000}) {
            TransferTaxResult without = TAXES.calculate(plain(jurisdiction, price, date).build());
            TransferTaxResult with = TAXES.calculate(flag.set.apply(plain(jurisdiction, price, date)).build());
            changes |= !with.lines().stream().map(TaxLine::amount).toList()
                    .equals(without.lines().stream().map(TaxLine::amount).toList());
        }
        TransferTaxResult flagged = TAXES.calculate(flag.set.apply(plain(jurisdiction, 500_000, date)).build());
        java.util.List<String> notes = new java.util.ArrayList<>(flagged.notes());
        flagged.lines().forEach(l -> notes.addAll(l.notes()));
        if (!changes) {
            assertThat(notes).as("%s with the %s flag changes no tax, so a note must say so", jurisdiction,
                    flag.words).anySatisfy(n -> assertThat(n).containsIgnoringCase(flag.words));
        }
    }
}
