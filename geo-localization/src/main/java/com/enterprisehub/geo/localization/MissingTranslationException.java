package com.enterprisehub.geo.localization;

import java.util.Locale;

/**
 * In strict mode, a message key that has no text in the requested locale's own language (it would have
 * fallen back to another language). Add the key to that locale's bundle, or turn strict mode off to fall
 * back and record it.
 */
public class MissingTranslationException extends LocalizationException {
    private static final long serialVersionUID = 1L;

    private final Locale locale;
    private final String key;

    public MissingTranslationException(Locale locale, String key) {
        super("Message '" + key + "' has no " + locale.toLanguageTag() + " text (strict mode): add it to the "
                + locale.toLanguageTag() + " bundle, or build the Localization without strict() to fall back and"
                + " record it.");
        this.locale = locale;
        this.key = key;
    }

    /** The locale that lacks the text. */
    public Locale locale() {
        return locale;
    }

    /** The missing key. */
    public String key() {
        return key;
    }
}
