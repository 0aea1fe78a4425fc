package com.enterprisehub.geo.localization;

import static com.enterprisehub.geo.localization.Fixtures.australia;
import static com.enterprisehub.geo.localization.Fixtures.canada;
import static com.enterprisehub.geo.localization.Fixtures.quebec;
import static com.enterprisehub.geo.localization.Fixtures.uk;
import static com.enterprisehub.geo.localization.Fixtures.us;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

/** Issue 4: money, areas, dates and messages the way each market expects them. */
class MarketLocalizerTest {
    /** ICU writes French grouping with U+00A0 and U+202F; spell them out in the expectations. */
    private static String fr(String s) {
        return s.replace('_', '\u00a0').replace('~', '\u202f');
    }

    // ---------------------------------------------------------------- money

    @Test
    void eachMarketWritesItsOwnCurrencyItsOwnWay() {
        assertThat(us().money(Money.of(1_250_000, "USD"))).isEqualTo("$1,250,000.00");
        assertThat(canada().money(Money.of(1_250_000, "CAD"))).isEqualTo("$1,250,000.00");
        assertThat(quebec().money(Money.of(1_250_000, "CAD"))).isEqualTo(fr("1_250_000,00_$"));
        assertThat(uk().money(Money.of(1_250_000, "GBP"))).isEqualTo("£1,250,000.00");
        assertThat(australia().money(Money.of(1_250_000, "AUD"))).isEqualTo("$1,250,000.00");
    }

    @Test
    void aPageMixingCurrenciesGetsSymbolsNoOneCanMistake() {
        MonetaryAmount usd = Money.of(500_000, "USD");
        MonetaryAmount cad = Money.of(680_000, "CAD");
        MonetaryAmount aud = Money.of(750_000, "AUD");
        MonetaryAmount gbp = Money.of(400_000, "GBP");
        for (MarketLocalizer english : List.of(us(), canada(), uk(), australia())) {
            assertThat(english.money(usd, CurrencyStyle.UNAMBIGUOUS)).isEqualTo("US$500,000.00");
            assertThat(english.money(cad, CurrencyStyle.UNAMBIGUOUS)).isEqualTo("CA$680,000.00");
            assertThat(english.money(aud, CurrencyStyle.UNAMBIGUOUS)).isEqualTo("A$750,000.00");
            assertThat(english.money(gbp, CurrencyStyle.UNAMBIGUOUS)).isEqualTo("£400,000.00");
        }
        // Translation Bureau of Canada: « 25 $ CA », « 25 $ US », non-breaking spaces inside.
        assertThat(quebec().money(cad, CurrencyStyle.UNAMBIGUOUS)).isEqualTo(fr("680_000,00_$_CA"));
        assertThat(quebec().money(usd, CurrencyStyle.UNAMBIGUOUS)).isEqualTo(fr("500_000,00_$_US"));
        assertThat(quebec().money(aud, CurrencyStyle.UNAMBIGUOUS)).isEqualTo(fr("750_000,00_$_AU"));
        // The local style leaves a market's own dollar bare: ambiguous on a mixed page.
        assertThat(canada().money(cad)).isEqualTo(us().money(usd).replace("500", "680"));
        // A currency without a chosen symbol is written with its ISO code.
        assertThat(us().money(Money.of(1000, "JPY"), CurrencyStyle.UNAMBIGUOUS)).isEqualTo("JPY\u00a01,000");
    }

    @Test
    void compactPricesUseTheLocalesAbbreviations() {
        assertThat(us().compact(Money.of(1_200_000, "USD"))).isEqualTo("$1.2M");
        assertThat(us().compact(Money.of(950_000, "USD"))).isEqualTo("$950K");
        assertThat(uk().compact(Money.of(1_200_000, "GBP"))).isEqualTo("£1.2m");
        assertThat(quebec().compact(Money.of(1_200_000, "CAD"))).isEqualTo(fr("1,2_M_$"));
        assertThat(australia().compact(Money.of(12_400_000, "AUD"))).isEqualTo("$12M");
    }

    @Test
    void everyAmountIsRoundedToTheMinorUnitHalfToEven() {
        // Money divides to 256 digits; what is shown is rounded once, explicitly.
        MonetaryAmount third = Money.of(1_000_000, "USD").divide(3);
        assertThat(third.getNumber().numberValue(BigDecimal.class).scale()).isGreaterThan(100);
        assertThat(Amounts.round(third)).isEqualTo(Money.of(new BigDecimal("333333.33"), "USD"));
        assertThat(us().money(third)).isEqualTo("$333,333.33");
        assertThat(Amounts.round(Money.of(new BigDecimal("0.125"), "USD"))).isEqualTo(Money.of(new BigDecimal("0.12"), "USD"));
        assertThat(Amounts.round(Money.of(new BigDecimal("0.135"), "USD"))).isEqualTo(Money.of(new BigDecimal("0.14"), "USD"));
        assertThat(Amounts.round(Money.of(new BigDecimal("1234.5"), "JPY"))).isEqualTo(Money.of(new BigDecimal("1234"), "JPY"));
        // Three rounded thirds sum to what is shown, not to the unrounded million.
        MonetaryAmount shown = Amounts.round(third);
        assertThat(shown.add(shown).add(shown)).isEqualTo(Money.of(new BigDecimal("999999.99"), "USD"));
    }

    // ---------------------------------------------------------------- areas

    @Test
    void floorAreasAreShownInTheMarketsUnitNotCldrs() {
        Area condo = Area.of(1200, AreaUnit.SQUARE_FOOT);
        assertThat(us().area(condo, AreaKind.FLOOR)).isEqualTo("1,200 sq ft");
        // CLDR would give metres for en-CA and fr-CA; Canadian listings quote square feet.
        assertThat(canada().area(condo, AreaKind.FLOOR)).isEqualTo("1,200 sq ft");
        assertThat(quebec().area(condo, AreaKind.FLOOR)).isEqualTo(fr("1_200_pi²"));
        // UK listings show both.
        assertThat(uk().area(condo, AreaKind.FLOOR)).isEqualTo("1,200 sq ft (111 m²)");
        assertThat(australia().area(condo, AreaKind.FLOOR)).isEqualTo("111 m²");
        assertThat(australia().area(Area.of(111.5, AreaUnit.SQUARE_METRE), AreaKind.FLOOR)).isEqualTo("112 m²");
    }

    @Test
    void anAreaCanBeShownInEitherSystemInEveryLocale() {
        Area home = Area.of(150, AreaUnit.SQUARE_METRE); // 1,614.6 sq ft
        assertThat(us().areaIn(home, AreaUnit.SQUARE_FOOT)).isEqualTo("1,615 sq ft");
        assertThat(us().areaIn(home, AreaUnit.SQUARE_METRE)).isEqualTo("150 m²");
        assertThat(canada().areaIn(home, AreaUnit.SQUARE_FOOT)).isEqualTo("1,615 sq ft");
        assertThat(quebec().areaIn(home, AreaUnit.SQUARE_FOOT)).isEqualTo(fr("1_615_pi²"));
        assertThat(quebec().areaIn(home, AreaUnit.SQUARE_METRE)).isEqualTo(fr("150_m²"));
        assertThat(uk().areaIn(home, AreaUnit.SQUARE_FOOT)).isEqualTo("1,615 sq ft");
        assertThat(australia().areaIn(home, AreaUnit.SQUARE_FOOT)).isEqualTo("1,615 sq ft");
        assertThat(australia().areaIn(Area.of(20_000, AreaUnit.SQUARE_METRE), AreaUnit.HECTARE)).isEqualTo("2 ha");
        assertThat(quebec().areaIn(Area.of(1, AreaUnit.HECTARE), AreaUnit.ACRE)).isEqualTo(fr("2,47_ac"));
    }

    @Test
    void landSwitchesToAcresOrHectaresFromTheMarketsThreshold() {
        Area block = Area.of(650, AreaUnit.SQUARE_METRE);
        Area farm = Area.of(2.5, AreaUnit.HECTARE);
        assertThat(us().area(block, AreaKind.LAND)).isEqualTo("6,997 sq ft");
        assertThat(us().area(farm, AreaKind.LAND)).isEqualTo("6.18 ac");
        assertThat(us().area(Area.of(1, AreaUnit.ACRE), AreaKind.LAND)).isEqualTo("1 ac");
        // Compared as shown: 43,559.99 sq ft would read "43,560 sq ft", which is an acre.
        assertThat(us().area(Area.of("43559.99", AreaUnit.SQUARE_FOOT), AreaKind.LAND)).isEqualTo("1 ac");
        assertThat(us().area(Area.of("43559.49", AreaUnit.SQUARE_FOOT), AreaKind.LAND)).isEqualTo("43,559 sq ft");
        assertThat(uk().area(farm, AreaKind.LAND)).isEqualTo("6.18 ac (2.5 ha)");
        assertThat(australia().area(block, AreaKind.LAND)).isEqualTo("650 m²");
        assertThat(australia().area(farm, AreaKind.LAND)).isEqualTo("2.5 ha");
        assertThat(quebec().area(farm, AreaKind.LAND)).isEqualTo(fr("6,18_ac"));
    }

    @Test
    void aHostCanChangeAMarketsConvention() {
        Localization metricCanada = Localization.builder().clock(Fixtures.CLOCK)
                .areaDisplay("CA", AreaKind.FLOOR, AreaDisplay.always(AreaUnit.SQUARE_METRE, AreaUnit.SQUARE_FOOT))
                .build();
        MarketLocalizer ca = metricCanada.localizer(Fixtures.market("ca"), Locale.CANADA);
        assertThat(ca.area(Area.of(1200, AreaUnit.SQUARE_FOOT), AreaKind.FLOOR)).isEqualTo("111 m² (1,200 sq ft)");
        assertThat(ca.area(Area.of(650, AreaUnit.SQUARE_METRE), AreaKind.LAND)).isEqualTo("6,997 sq ft");
        assertThatThrownBy(() -> Localization.builder().areaDisplay("ca", AreaKind.FLOOR,
                AreaDisplay.always(AreaUnit.SQUARE_METRE))).isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> AreaDisplay.always()).isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> AreaDisplay.always(AreaUnit.ACRE, AreaUnit.ACRE))
                .isInstanceOf(GeoValidationException.class);
    }

    // ---------------------------------------------------------------- dates, times, lists

    @Test
    void datesAndTimesAreInTheMarketsZoneAndStyle() {
        Instant evening = Instant.parse("2026-11-24T18:30:00Z");
        assertThat(us().dateTime(evening)).isEqualTo("Nov 24, 2026, 10:30\u202fAM PST");
        assertThat(canada().dateTime(evening)).isEqualTo("Nov 24, 2026, 1:30\u202fp.m. EST");
        assertThat(quebec().dateTime(evening)).isEqualTo("24 nov. 2026, 13 h 30 HNE");
        assertThat(uk().dateTime(evening)).isEqualTo("24 Nov 2026, 18:30 GMT");
        // Sydney is already on the next day.
        assertThat(australia().dateTime(evening)).isEqualTo("25 Nov 2026, 5:30\u202fam AEDT");
        // A city's own zone: Perth in the Australian market.
        assertThat(australia().dateTime(evening, ZoneId.of("Australia/Perth"))).isEqualTo("25 Nov 2026, 2:30\u202fam AWST");
        assertThat(us().date(LocalDate.of(2026, 7, 4))).isEqualTo("Jul 4, 2026");
        assertThat(uk().date(LocalDate.of(2026, 7, 4))).isEqualTo("4 Jul 2026");
        assertThat(quebec().date(LocalDate.of(2026, 7, 4))).isEqualTo("4 juill. 2026");
    }

    @Test
    void relativeTimesAndListsAreWordedByTheLocale() {
        Instant threeDaysAgo = Fixtures.NOW.minusSeconds(3 * 86_400);
        assertThat(us().relative(threeDaysAgo)).isEqualTo("3 days ago");
        assertThat(quebec().relative(threeDaysAgo)).isEqualTo("il y a 3 jours");
        assertThat(uk().relative(Fixtures.NOW.plusSeconds(2 * 3600))).isEqualTo("in 2 hours");
        assertThat(us().relative(Fixtures.NOW.minusSeconds(90 * 86_400))).isEqualTo("3 months ago");
        assertThat(us().list(List.of("Pool", "Garage", "Garden"))).isEqualTo("Pool, Garage, and Garden");
        assertThat(uk().list(List.of("Pool", "Garage", "Garden"))).isEqualTo("Pool, Garage and Garden");
        assertThat(quebec().list(List.of("piscine", "garage", "jardin"))).isEqualTo("piscine, garage et jardin");
    }

    // ---------------------------------------------------------------- messages

    @Test
    void messagesUseIcuPluralRulesOfTheLanguage() {
        assertThat(us().message("listing.bedrooms", Map.of("beds", 1))).isEqualTo("1 bedroom");
        assertThat(us().message("listing.bedrooms", Map.of("beds", 0))).isEqualTo("0 bedrooms");
        assertThat(us().message("listing.bedrooms", Map.of("beds", 1.5))).isEqualTo("1.5 bedrooms");
        // French puts 0 and 1.5 in "one".
        assertThat(quebec().message("listing.bedrooms", Map.of("beds", 0))).isEqualTo("0 chambre");
        assertThat(quebec().message("listing.bedrooms", Map.of("beds", 1.5))).isEqualTo("1,5 chambre");
        assertThat(quebec().message("listing.bedrooms", Map.of("beds", 2))).isEqualTo("2 chambres");
        assertThat(us().message("listing.photos", Map.of("count", 0))).isEqualTo("no photos");
        assertThat(uk().message("listing.status", Map.of("status", "pending"))).isEqualTo("Sold STC");
        assertThat(us().message("listing.status", Map.of("status", "pending"))).isEqualTo("Pending");
        assertThat(us().message("listing.status", Map.of("status", "withdrawn"))).isEqualTo("Off the market");
    }

    @Test
    void moneyAndTermsInsideMessagesFollowTheMarket() {
        MarketLocalizer fr = quebec();
        assertThat(fr.message("listing.summary", Map.of("beds", 2, "type", fr.term("condominium"), "city", "Montréal",
                "price", Money.of(450_000, "CAD")))).isEqualTo(fr("copropriété de 2 chambres à Montréal, 450_000,00_$"));
        MarketLocalizer gb = uk();
        assertThat(gb.message("listing.summary", Map.of("beds", 2, "type", gb.term("condominium"), "city", "Leeds",
                "price", Money.of(250_000, "GBP")))).isEqualTo("2-bedroom flat in Leeds, £250,000.00");
        assertThat(australia().message("listing.land", Map.of("area", australia().area(Area.of(650,
                AreaUnit.SQUARE_METRE), AreaKind.LAND)))).isEqualTo("Land size: 650 m²");
    }

    // ---------------------------------------------------------------- bad input, sharing

    @Test
    void badInputGetsAClearError() {
        assertThatThrownBy(() -> Fixtures.L10N.localizer(Fixtures.market("gb"), Locale.CANADA_FRENCH))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("not served in fr-CA")
                .hasMessageContaining("en-GB");
        assertThatThrownBy(() -> Area.of(-1, AreaUnit.ACRE)).isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> Area.of("12 acres", AreaUnit.ACRE)).isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> Area.of(Double.NaN, AreaUnit.ACRE)).isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> us().message("listing.no_such_key")).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("listing.no_such_key");
    }

    @Test
    void localizersAreCachedAndSafeToShareAcrossThreads() throws Exception {
        assertThat(us()).isSameAs(us());
        List<MarketLocalizer> all = List.of(us(), canada(), quebec(), uk(), australia());
        List<String> expected = new ArrayList<>();
        for (MarketLocalizer l : all) {
            expected.add(render(l, 0));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        int k = (i + offset) % all.size();
                        if (!render(all.get(k), 0).equals(expected.get(k))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> run : runs) {
                assertThat(run.get()).isTrue();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static String render(MarketLocalizer l, int unused) {
        String currency = l.market().currency().getCurrencyCode();
        return l.money(Money.of(123_456.785, currency)) + "|" + l.compact(Money.of(2_300_000, currency)) + "|"
                + l.area(Area.of(1500, AreaUnit.SQUARE_FOOT), AreaKind.FLOOR) + "|"
                + l.dateTime(Instant.parse("2026-03-08T09:59:00Z")) + "|" + l.date(LocalDate.of(2026, 1, 31)) + "|"
                + l.message("listing.bedrooms", Map.of("beds", 3)) + "|" + l.relative(Fixtures.NOW.minusSeconds(7200))
                + "|" + l.term("closing");
    }
}
