package com.enterprisehub.geo.localization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import javax.money.Monetary;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

/** Issue 4: conversion through Moneta's ExchangeRateProvider SPI, offline, with an as-of date and staleness. */
class OfflineRatesTest {
    private static OfflineRates rates() {
        InputStream in = OfflineRatesTest.class.getResourceAsStream("/test-rates.properties");
        return OfflineRates.load(in, "test-rates.properties");
    }

    private static MarketLocalizer canada(Duration staleAfter) {
        Localization l10n = Localization.builder().clock(Fixtures.CLOCK).rates(rates()).staleAfter(staleAfter).build();
        return l10n.localizer(Fixtures.market("ca"), Locale.CANADA);
    }

    @Test
    void convertsAnyListedPairThroughTheBaseAndRoundsToTheMinorUnit() {
        ConvertedAmount c = canada(Duration.ofDays(7)).convert(Money.of(500_000, "USD"), Monetary.getCurrency("CAD"));
        assertThat(c.amount()).isEqualTo(Money.of(new BigDecimal("700000.00"), "CAD")); // 1.47 / 1.05 = 1.4
        assertThat(c.rate()).isEqualByComparingTo("1.4");
        assertThat(c.original()).isEqualTo(Money.of(500_000, "USD"));
        assertThat(c.asOf()).isEqualTo(LocalDate.of(2026, 11, 20));
        assertThat(c.source()).isEqualTo("geo-localization test fixture");
        // 0.83 / 1.05 = 0.790476190476190476...: 16 significant digits in the factor, cents in the amount.
        ConvertedAmount gbp = canada(Duration.ofDays(7)).convert(Money.of(1, "USD"), Monetary.getCurrency("GBP"));
        assertThat(gbp.rate()).isEqualByComparingTo("0.7904761904761905");
        assertThat(gbp.amount()).isEqualTo(Money.of(new BigDecimal("0.79"), "GBP"));
        // The base itself converts both ways.
        assertThat(canada(Duration.ofDays(7)).convert(Money.of(100, "EUR"), Monetary.getCurrency("AUD")).amount())
                .isEqualTo(Money.of(new BigDecimal("162.00"), "AUD"));
    }

    @Test
    void itIsAJavaMoneyExchangeRateProvider() {
        OfflineRates rates = rates();
        MonetaryAmount cad = Money.of(500_000, "USD").with(rates.getCurrencyConversion("CAD"));
        assertThat(cad.getCurrency().getCurrencyCode()).isEqualTo("CAD");
        assertThat(cad.getNumber().numberValue(BigDecimal.class)).isEqualByComparingTo("700000");
        assertThat(rates.isAvailable("USD", "AUD")).isTrue();
        assertThat(rates.getExchangeRate("GBP", "USD").getFactor().numberValue(BigDecimal.class))
                .isEqualByComparingTo("1.265060240963855");
        assertThat(rates.getContext().getProviderName()).isEqualTo(OfflineRates.PROVIDER);
        assertThat(rates.currencies()).containsExactly("AUD", "CAD", "EUR", "GBP", "USD");
    }

    @Test
    void ratesOlderThanTheLimitAreFlaggedStale() {
        // Clock: 2026-11-24; rates of 2026-11-20.
        assertThat(canada(Duration.ofDays(7)).convert(Money.of(1, "USD"), Monetary.getCurrency("CAD")).stale()).isFalse();
        assertThat(canada(Duration.ofDays(3)).convert(Money.of(1, "USD"), Monetary.getCurrency("CAD")).stale()).isTrue();
        assertThat(canada(Duration.ofDays(4)).convert(Money.of(1, "USD"), Monetary.getCurrency("CAD")).stale()).isFalse();
        assertThatThrownBy(() -> Localization.builder().staleAfter(Duration.ofHours(5)))
                .isInstanceOf(GeoValidationException.class);
    }

    @Test
    void unlistedCurrenciesMissingRatesAndBadFilesGetClearErrors() {
        assertThatThrownBy(() -> canada(Duration.ofDays(7)).convert(Money.of(1, "USD"), Monetary.getCurrency("JPY")))
                .isInstanceOf(LocalizationException.class).hasMessageContaining("JPY").hasMessageContaining("USD");
        MarketLocalizer noRates = Localization.builder().clock(Fixtures.CLOCK).build()
                .localizer(Fixtures.market("ca"), Locale.CANADA);
        assertThatThrownBy(() -> noRates.convert(Money.of(1, "USD"), Monetary.getCurrency("CAD")))
                .isInstanceOf(LocalizationException.class).hasMessageContaining("rates(");
        assertThatThrownBy(() -> load("source=x\nbase=EUR\nUSD=1.05\n")).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("as-of");
        assertThatThrownBy(() -> load("source=x\nas-of=yesterday\nbase=EUR\n")).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("2026-11-20");
        assertThatThrownBy(() -> load("source=x\nas-of=2026-11-20\nbase=EUR\nUSD=one\n"))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("USD");
        assertThatThrownBy(() -> load("source=x\nas-of=2026-11-20\nbase=EUR\nUSD=-1\n"))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> load("source=x\nas-of=2026-11-20\nbase=EUR\nXXQ=1\n"))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("ISO 4217");
        assertThatThrownBy(() -> OfflineRates.of(LocalDate.of(2026, 1, 1), " ", "EUR", Map.of()))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("source");
    }

    private static OfflineRates load(String text) {
        return OfflineRates.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "inline");
    }
}
