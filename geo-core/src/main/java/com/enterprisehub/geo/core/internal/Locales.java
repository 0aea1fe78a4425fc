package com.enterprisehub.geo.core.internal;

import com.enterprisehub.geo.core.GeoValidationException;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Set;

/** Strict parsing of BCP 47 locale tags. Not part of the API. */
public final class Locales {
    private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private Locales() {
    }

    /**
     * The locale for a well-formed BCP 47 tag whose language is an ISO 639 language and whose region,
     * if any, is an ISO 3166 country ("en-CA", "fr-CA"). Anything else is refused, where
     * {@link Locale#forLanguageTag} would quietly return an empty or made-up locale.
     */
    public static Locale parse(String tag) {
        if (tag == null || tag.isBlank()) {
            throw new GeoValidationException("A locale tag is required, such as 'en-US' or 'fr-CA'.");
        }
        Locale locale;
        try {
            locale = new Locale.Builder().setLanguageTag(tag).build();
        } catch (IllformedLocaleException e) {
            throw new GeoValidationException("'" + tag + "' is not a well-formed BCP 47 locale tag (" + e.getMessage()
                    + "); use a tag such as 'en-US' or 'fr-CA'.");
        }
        check(locale, tag);
        return locale;
    }

    /** Refuses a locale whose language or country is not an ISO code. */
    public static void check(Locale locale, String shownAs) {
        if (!LANGUAGES.contains(locale.getLanguage())) {
            throw new GeoValidationException("'" + shownAs + "' has no known ISO 639 language; use a tag such as"
                    + " 'en-US' or 'fr-CA'.");
        }
        if (!locale.getCountry().isEmpty() && !COUNTRIES.contains(locale.getCountry())) {
            throw new GeoValidationException("'" + shownAs + "' names no known ISO 3166 country; use a tag such as"
                    + " 'en-US' or 'fr-CA'.");
        }
    }
}
