package com.enterprisehub.geo.localization;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.Market;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Issue 4: a visitor's Accept-Language maps to the market's best supported locale (ICU LocaleMatcher). */
class LocaleNegotiationTest {
    private static final Localization L10N = Fixtures.L10N;

    private static String negotiate(String market, String header) {
        return L10N.negotiate(Fixtures.market(market), header).toLanguageTag();
    }

    @Test
    void visitorsGetTheClosestLocaleTheMarketServes() {
        assertThat(negotiate("ca", "fr-FR")).isEqualTo("fr-CA");
        assertThat(negotiate("ca", "fr-CH;q=0.9, en;q=0.8")).isEqualTo("fr-CA");
        assertThat(negotiate("ca", "en-NZ")).isEqualTo("en-CA");
        assertThat(negotiate("ca", "en-CA,fr-CA;q=0.5")).isEqualTo("en-CA");
        assertThat(negotiate("ca", "de-DE, fr;q=0.3")).isEqualTo("fr-CA");
        assertThat(negotiate("gb", "en-IE")).isEqualTo("en-GB");
        assertThat(negotiate("au", "en-NZ")).isEqualTo("en-AU");
        assertThat(negotiate("us-ny", "es-US, en;q=0.7")).isEqualTo("en-US");
        assertThat(L10N.localizer(Fixtures.market("ca"), "fr-BE").locale()).isEqualTo(Locale.CANADA_FRENCH);
    }

    @Test
    void enCaDoesNotFallToEnUsAndCommonwealthEnglishPrefersBritish() {
        // A test market served in US, Canadian and British English.
        Market us = Fixtures.market("us-ny");
        Market northAmerica = Market.builder("na-test").name("North America (test)").tier(us.tier())
                .region(us.region()).currency("USD").locales("en-US", "en-CA", "en-GB").timeZone("America/New_York")
                .jurisdictions("US-NY").size(us.size()).revenueRange(us.revenueRange())
                .dataResidency(us.dataResidency()).build();
        assertThat(L10N.negotiate(northAmerica, "en-CA")).isEqualTo(Locale.CANADA);
        assertThat(L10N.negotiate(northAmerica, "en-AU")).isEqualTo(Locale.UK);
        assertThat(L10N.negotiate(northAmerica, "en")).isEqualTo(Locale.US);
    }

    @Test
    void anAbsentMalformedOrUnmatchedHeaderGetsTheMarketsDefault() {
        assertThat(negotiate("ca", null)).isEqualTo("en-CA");
        assertThat(negotiate("ca", "  ")).isEqualTo("en-CA");
        assertThat(negotiate("ca", "ja-JP")).isEqualTo("en-CA");
        assertThat(negotiate("ca", ";;;q=abc,,")).isEqualTo("en-CA");
        assertThat(negotiate("ca", "fr-CA," + "x".repeat(5000))).isEqualTo("en-CA");
    }
}
