package com.enterprisehub.geo.localization;

import static com.enterprisehub.geo.localization.Fixtures.australia;
import static com.enterprisehub.geo.localization.Fixtures.quebec;
import static com.enterprisehub.geo.localization.Fixtures.uk;
import static com.enterprisehub.geo.localization.Fixtures.us;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.money.Monetary;
import javax.money.convert.ConversionQueryBuilder;
import javax.money.convert.CurrencyConversionException;
import org.javamoney.moneta.FastMoney;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

/** Cases a review of geo-localization found; each failed (or could not be expressed) before its fix. */
class ReviewCasesTest {
    @Test
    void dateArgumentsInMessagesAreCorrectFromManyThreadsAndInTheMarketsZone() throws Exception {
        Localization l10n = Localization.builder().clock(Fixtures.CLOCK)
                .bundles("test-bundles/messages", getClass().getClassLoader()).build();
        MarketLocalizer toronto = l10n.localizer(Fixtures.market("ca"), Locale.CANADA);
        // 02:30 UTC on 25 November is 21:30 on the 24th in Toronto.
        Instant late = Instant.parse("2026-11-25T02:30:00Z");
        String expected = "Listed November 24, 2026 at 9:30\u202fp.m.";
        assertThat(toronto.message("when", Map.of("d", late))).isEqualTo(expected);
        List<Instant> instants = List.of(late, Instant.parse("2001-02-03T16:05:00Z"), Instant.parse("2030-07-01T12:00:00Z"));
        List<String> texts = new ArrayList<>();
        for (Instant i : instants) {
            texts.add(toronto.message("when", Map.of("d", i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                runs.add(pool.submit(() -> {
                    start.await();
                    int wrong = 0;
                    for (int i = 0; i < 3_000; i++) {
                        int k = (i + offset) % instants.size();
                        if (!toronto.message("when", Map.of("d", instants.get(k))).equals(texts.get(k))) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            start.countDown();
            for (Future<Integer> run : runs) {
                assertThat(run.get()).isZero();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void messageArgumentsAreCheckedAndFormattedInOurTerms() {
        assertThatThrownBy(() -> us().message("listing.price")).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("[price]");
        assertThatThrownBy(() -> quebec().message("listing.summary", Map.of("beds", 2)))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("[city, price, type]");
        assertThatThrownBy(() -> us().message("listing.bedrooms", Map.of("beds", "three")))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("listing.bedrooms");
        assertThat(australia().message("listing.land", Map.of("area", Area.of(650, AreaUnit.SQUARE_METRE))))
                .isEqualTo("Land size: 650 m²");
        assertThat(us().message("listing.price", Map.of("price", Money.of(12.345, "USD")))).isEqualTo("Price: $12.34");
    }

    @Test
    void moneyIsShownWithExactlyTheDigitsItIsRoundedTo() {
        // ISO 4217: IQD has 3 minor digits, JPY none; CLDR would show IQD whole.
        assertThat(us().money(Money.of(new BigDecimal("1234.5675"), "IQD"))).isEqualTo("IQD\u00a01,234.568");
        assertThat(Amounts.round(Money.of(new BigDecimal("1234.5675"), "IQD")).getNumber().numberValue(BigDecimal.class))
                .isEqualByComparingTo("1234.568");
        assertThat(us().money(Money.of(new BigDecimal("1234.5"), "JPY"))).isEqualTo("¥1,234");
        assertThatThrownBy(() -> us().money(Money.of(new BigDecimal("1E-5000"), "USD")))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("round it first");
    }

    @Test
    void conversionRoundsBeforeMakingTheAmountSoFastMoneyWorks() {
        Localization l10n = Localization.builder().clock(Fixtures.CLOCK).rates(rates()).build();
        MarketLocalizer ca = l10n.localizer(Fixtures.market("ca"), Locale.CANADA);
        ConvertedAmount c = ca.convert(FastMoney.of(1, "USD"), Monetary.getCurrency("GBP"));
        assertThat(c.amount()).isInstanceOf(FastMoney.class);
        assertThat(c.amount().getNumber().numberValue(BigDecimal.class)).isEqualByComparingTo("0.79");
    }

    @Test
    void ratesDatedInTheFutureAreStaleLimitsAreWholeDaysAndOtherDatesAreRefused() {
        OfflineRates future = load("source=x\nas-of=2026-12-01\nbase=EUR\nUSD=1.05\nCAD=1.47\n");
        MarketLocalizer ca = Localization.builder().clock(Fixtures.CLOCK).rates(future).build()
                .localizer(Fixtures.market("ca"), Locale.CANADA);
        assertThat(ca.convert(Money.of(1, "USD"), Monetary.getCurrency("CAD")).stale()).isTrue();
        assertThatThrownBy(() -> Localization.builder().staleAfter(Duration.ofHours(36)))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("whole number of days");
        assertThatThrownBy(() -> load("source=x\nas-of=2026-11-20\nbase=EUR\nEUR=1.1\n"))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("rate 1");
        OfflineRates r = rates();
        assertThatThrownBy(() -> r.getExchangeRate(ConversionQueryBuilder.of().setBaseCurrency("USD").setTermCurrency("CAD")
                .set(java.time.LocalDate.class, java.time.LocalDate.of(2020, 1, 1)).build()))
                .isInstanceOf(CurrencyConversionException.class).hasMessageContaining("2020-01-01");
    }

    @Test
    void offsetZonesAreNamedAndUnknownZonesRefused() {
        assertThat(us().dateTime(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.ofHoursMinutes(5, 30)))
                .isEqualTo("Nov 24, 2026, 5:30\u202fPM GMT+5:30");
        assertThat(uk().dateTime(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC)).isEqualTo("24 Nov 2026, 12:00 GMT");
    }

    @Test
    void relativeTimesRoundAndSayNow() {
        assertThat(us().relative(Fixtures.NOW)).isEqualTo("now");
        assertThat(us().relative(Fixtures.NOW.minusSeconds(86_400))).isEqualTo("yesterday");
        assertThat(us().relative(Fixtures.NOW.minus(Duration.ofMinutes(119)))).isEqualTo("2 hours ago");
        assertThat(us().relative(Fixtures.NOW.minus(Duration.ofDays(364)))).isEqualTo("last year");
    }

    @Test
    void anAreaJustBelowTheThresholdThatShowsAsTheThresholdUsesTheLargeUnit() {
        assertThat(us().area(Area.of("43559.6", AreaUnit.SQUARE_FOOT), AreaKind.LAND)).isEqualTo("1 ac");
        assertThat(us().area(Area.of("43559.4", AreaUnit.SQUARE_FOOT), AreaKind.LAND)).isEqualTo("43,559 sq ft");
        assertThat(australia().area(Area.of("9999.6", AreaUnit.SQUARE_METRE), AreaKind.LAND)).isEqualTo("1 ha");
    }

    @Test
    void aChangedMarketUnderTheSameIdGetsANewLocalizerAndWarmUpPreparesEverything() {
        Localization l10n = Localization.builder().clock(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC)).build();
        var ca = Fixtures.market("ca");
        MarketLocalizer first = l10n.localizer(ca, Locale.CANADA);
        var moved = com.enterprisehub.geo.core.market.Market.builder("ca").name(ca.name()).tier(ca.tier())
                .region(ca.region()).currency("CAD").locales("en-CA", "fr-CA").timeZone("America/Vancouver")
                .jurisdictions("CA-BC").size(ca.size()).revenueRange(ca.revenueRange()).dataResidency(ca.dataResidency())
                .build();
        MarketLocalizer second = l10n.localizer(moved, Locale.CANADA);
        assertThat(second).isNotSameAs(first);
        assertThat(second.dateTime(Instant.parse("2026-11-24T20:00:00Z"))).endsWith("PST");
        assertThat(l10n.localizer(moved, Locale.CANADA)).isSameAs(second);
        assertThat(l10n.warmUp(Fixtures.MARKETS.markets())).isEqualTo(13);
    }

    private static OfflineRates rates() {
        return OfflineRates.load(ReviewCasesTest.class.getResourceAsStream("/test-rates.properties"), "test");
    }

    private static OfflineRates load(String text) {
        return OfflineRates.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "inline");
    }
}
