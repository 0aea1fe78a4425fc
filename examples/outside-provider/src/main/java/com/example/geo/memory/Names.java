package com.example.geo.memory;

import com.enterprisehub.geo.core.GeoValidationException;
import java.util.regex.Pattern;

/**
 * The names the memory cloud accepts: object keys and secret names as the SPI describes them (paths of segments
 * separated by '/', no empty, '.' or '..' segment), with the same segment rule as the SDK's {@code local} cloud
 * (a segment starts with a letter, digit or '_'), so a key that works here works there. Stateless.
 */
final class Names {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern LOWERCASE_SEGMENT = Pattern.compile("[a-z0-9_][a-z0-9._-]{0,127}");
    private static final int MAX_LENGTH = 1024;

    private Names() {
    }

    /**
     * Returns {@code key} if it is an object key.
     *
     * @throws GeoValidationException if it is not
     */
    static String objectKey(String key) {
        return check(key, "object key", SEGMENT, "letters, digits");
    }

    /**
     * Returns {@code name} if it is a secret name (lower case).
     *
     * @throws GeoValidationException if it is not (the message names the name, never a value)
     */
    static String secretName(String name) {
        return check(name, "secret name", LOWERCASE_SEGMENT, "lowercase letters, digits");
    }

    private static String check(String name, String what, Pattern segments, String letters) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            throw new GeoValidationException("A " + what + " is 1 to " + MAX_LENGTH + " characters; got "
                    + (name == null ? "null" : "'" + name + "'") + ".");
        }
        for (String segment : name.split("/", -1)) {
            if (!segments.matcher(segment).matches()) {
                throw new GeoValidationException("A " + what + " is a path of segments of " + letters + ", '.', '_'"
                        + " and '-' separated by '/' (each starting with a letter, digit or '_'), with no empty, '.'"
                        + " or '..' segment (like 'markets/us-ca/l10n/en-US.json'); got '" + name + "'.");
            }
        }
        return name;
    }
}
