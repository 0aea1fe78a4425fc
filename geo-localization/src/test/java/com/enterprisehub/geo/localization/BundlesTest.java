package com.enterprisehub.geo.localization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.Market;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: bundles with a fallback chain (fr-CA -> fr -> en); a missing key falls back and is recorded, a
 * strict mode makes it an error, a raw key is never shown; completeness per market. Uses small test
 * bundles with known gaps (src/test/resources/test-bundles).
 */
class BundlesTest {
    private static final Market CANADA = Fixtures.market("ca");

    private static Localization withTestBundles(boolean strict) {
        Localization.Builder b = Localization.builder().clock(Fixtures.CLOCK)
                .bundles("test-bundles/messages", BundlesTest.class.getClassLoader());
        return (strict ? b.strict() : b).build();
    }

    @Test
    void theChainGoesFromTheRegionToTheLanguageToEnglish() {
        MarketLocalizer fr = withTestBundles(false).localizer(CANADA, Locale.CANADA_FRENCH);
        assertThat(fr.message("homes", Map.of("n", 2))).isEqualTo("2 propriétés"); // fr_CA
        assertThat(fr.message("greeting", Map.of("name", "Léa"))).isEqualTo("Bonjour, Léa !"); // fr
        MarketLocalizer en = withTestBundles(false).localizer(CANADA, Locale.CANADA);
        assertThat(en.message("greeting", Map.of("name", "Sam"))).isEqualTo("Hello, Sam!"); // en (no en_CA file)
    }

    @Test
    void theBundlesALocaleReadsAreListedFromTheConfiguredBase() {
        var chain = withTestBundles(false).messageBundles(Locale.CANADA_FRENCH);
        assertThat(chain.keySet()).containsExactly("fr_CA", "fr", "en");
        assertThat(chain.get("fr")).containsEntry("greeting", "Bonjour, {name} !");
        assertThat(chain.get("en")).containsKey("only.english");
        assertThat(withTestBundles(false).messageBundles(Locale.UK).keySet()).containsExactly("en");
        assertThatThrownBy(() -> chain.put("x", Map.of())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aMissingTranslationFallsBackToEnglishAndIsRecorded() {
        Localization l10n = withTestBundles(false);
        MarketLocalizer fr = l10n.localizer(CANADA, Locale.CANADA_FRENCH);
        assertThat(l10n.fallbacks()).isEmpty();
        assertThat(fr.message("only.english")).isEqualTo("Only in English");
        assertThat(fr.message("only.english")).isEqualTo("Only in English");
        assertThat(l10n.fallbacks()).containsExactly(
                new Localization.Fallback(Locale.CANADA_FRENCH, "only.english", "en"));
    }

    @Test
    void strictModeMakesAMissingTranslationAnError() {
        MarketLocalizer fr = withTestBundles(true).localizer(CANADA, Locale.CANADA_FRENCH);
        assertThatThrownBy(() -> fr.message("only.english")).isInstanceOfSatisfying(MissingTranslationException.class,
                e -> {
                    assertThat(e.key()).isEqualTo("only.english");
                    assertThat(e.locale()).isEqualTo(Locale.CANADA_FRENCH);
                    assertThat(e).hasMessageContaining("fr-CA bundle");
                });
        assertThat(fr.message("greeting", Map.of("name", "Léa"))).isEqualTo("Bonjour, Léa !");
    }

    @Test
    void aKeyNoBundleDefinesIsAnErrorNeverTheRawKey() {
        for (boolean strict : List.of(false, true)) {
            MarketLocalizer en = withTestBundles(strict).localizer(CANADA, Locale.CANADA);
            assertThatThrownBy(() -> en.message("not.a.key")).isInstanceOf(GeoValidationException.class)
                    .hasMessageContaining("not.a.key").hasMessageContaining("Localization.keys()");
            assertThatThrownBy(() -> en.term("not_a_term")).isInstanceOf(GeoValidationException.class);
        }
    }

    @Test
    void theCompletenessReportShowsCoverageMissingKeysAndTextsIdenticalToTheFallback() {
        Localization l10n = withTestBundles(false);
        List<CompletenessReport> reports = l10n.completeness(CANADA);
        assertThat(reports).extracting(CompletenessReport::locale).containsExactly(Locale.CANADA, Locale.CANADA_FRENCH);
        CompletenessReport fr = reports.get(1);
        assertThat(fr.keys()).isEqualTo(6);
        assertThat(fr.missingKeys()).containsExactly("format.area.pair", "only.english", "when");
        // A term must be worded for the region: French "agent" from the language-wide bundle is not Québec's.
        assertThat(fr.otherRegionKeys()).containsExactly("term.agent");
        assertThat(fr.translated()).isEqualTo(2);
        assertThat(fr.coveragePercent()).isEqualByComparingTo(new BigDecimal("33.3"));
        assertThat(fr.identicalToFallback()).containsExactly("homes");
        assertThat(fr.reaches(95)).isFalse();
        // en-AU has its own greeting but takes the term from US English: the region gap is reported.
        CompletenessReport au = l10n.completeness(Locale.forLanguageTag("en-AU"));
        assertThat(au.missingKeys()).isEmpty();
        assertThat(au.otherRegionKeys()).containsExactly("term.agent");
        assertThat(au.coveragePercent()).isEqualByComparingTo(new BigDecimal("83.3"));
        // en-US is the root bundle's own region.
        assertThat(l10n.completeness(Locale.US).coveragePercent()).isEqualByComparingTo(new BigDecimal("100.0"));
        assertThat(new CompletenessReport(Locale.ENGLISH, 3, 2, List.of("x"), List.of(), List.of()).coveragePercent())
                .isEqualByComparingTo(new BigDecimal("66.6"));
    }

    @Test
    void theShippedBundlesCoverEveryKeyInEveryLocaleOfEveryMarket() {
        Localization l10n = Localization.defaults();
        for (Market market : Fixtures.MARKETS.markets()) {
            for (CompletenessReport report : l10n.completeness(market)) {
                assertThat(report.missingKeys()).as("%s %s", market.id(), report.locale()).isEmpty();
                assertThat(report.otherRegionKeys()).as("%s %s", market.id(), report.locale()).isEmpty();
                assertThat(report.coveragePercent()).isEqualByComparingTo(new BigDecimal("100.0"));
                assertThat(report.reaches(95)).isTrue();
            }
        }
        // French texts equal to English ones are only those that are rightly the same.
        assertThat(l10n.completeness(Locale.CANADA_FRENCH).identicalToFallback())
                .containsExactlyInAnyOrder("format.area.pair", "term.garage", "listing.status");
    }

    @Test
    void badBundleNamesAreRefused() {
        assertThatThrownBy(() -> Localization.builder().bundles("/abs/messages", getClass().getClassLoader()))
                .isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> Localization.builder().bundles("x/messages.properties", getClass().getClassLoader()))
                .isInstanceOf(GeoValidationException.class);
        Localization missing = Localization.builder().bundles("no/such/messages", getClass().getClassLoader()).build();
        assertThatThrownBy(missing::keys).isInstanceOf(LocalizationException.class).hasMessageContaining("missing");
    }
}
