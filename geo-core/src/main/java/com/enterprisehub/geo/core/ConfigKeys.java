package com.enterprisehub.geo.core;

import java.util.regex.Pattern;

/**
 * The one shape of the SDK's keys: feature flags, configuration entries, master-key aliases. 1 to 64 lowercase
 * letters and digits, in groups joined by single '.', '_' or '-', starting with a letter ({@code ai.lead-scoring}).
 * Stateless.
 */
public final class ConfigKeys {
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9]*([._-][a-z0-9]+)*");

    private ConfigKeys() {
    }

    /**
     * Returns {@code key} if it has the shape.
     *
     * @param what what the key names, for the message ("feature flag")
     * @throws GeoValidationException if it does not
     */
    public static String check(String key, String what) {
        if (key == null || key.length() > 64 || !KEY.matcher(key).matches()) {
            throw new GeoValidationException("A " + what + " key is 1 to 64 lowercase letters and digits, in groups"
                    + " joined by single '.', '_' or '-', starting with a letter (like 'ai.lead-scoring'); got '" + key
                    + "'.");
        }
        return key;
    }
}
