package com.enterprisehub.geo.localization;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How completely a locale's bundles cover the message keys.
 *
 * @param locale the locale
 * @param keys how many keys exist (those of the root English bundle)
 * @param translated how many have text in the locale's own language and, for regional keys (terms and
 *     statuses), from the locale's own region
 * @param missingKeys keys with no text in the locale's language: they fall back to another language
 * @param otherRegionKeys regional keys (terms, statuses) whose text comes from another region's bundle, say
 *     en-AU showing the US English word: not counted as translated
 * @param identicalToFallback keys whose text in the locale's most specific bundle is the same as in the
 *     bundle it would otherwise fall back to (perhaps not translated, perhaps rightly the same)
 */
public record CompletenessReport(Locale locale, int keys, int translated, List<String> missingKeys,
        List<String> otherRegionKeys, List<String> identicalToFallback) {
    public CompletenessReport {
        Objects.requireNonNull(locale, "locale");
        missingKeys = List.copyOf(missingKeys);
        otherRegionKeys = List.copyOf(otherRegionKeys);
        identicalToFallback = List.copyOf(identicalToFallback);
    }

    /** Coverage in percent, to one decimal (rounded down, so 99.96% never reads 100.0). */
    public BigDecimal coveragePercent() {
        if (keys == 0) {
            return BigDecimal.ZERO.setScale(1);
        }
        return BigDecimal.valueOf(translated).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(keys), 1, RoundingMode.DOWN);
    }

    /** Whether coverage reaches {@code percent}. */
    public boolean reaches(double percent) {
        return (double) translated * 100 >= percent * keys;
    }
}
