package com.enterprisehub.geo.spi.aws.internal;

import com.enterprisehub.geo.core.GeoValidationException;
import java.util.regex.Pattern;

/** Checks the SPI's names (object keys, secret names) before they reach AWS. Stateless. Not part of the API. */
public final class Names {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern LOWERCASE_SEGMENT = Pattern.compile("[a-z0-9_][a-z0-9._-]{0,127}");
    /** A namespace: what every alias, secret name and object key of one deployment starts with. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private Names() {
    }

    /** An object key: segments of letters, digits, '.', '_' and '-' separated by '/'. */
    public static String objectKey(String key) {
        return check(key, "object key", SEGMENT, "letters, digits");
    }

    /** A secret name: segments of lowercase letters, digits, '.', '_' and '-' separated by '/'. */
    public static String secretName(String name) {
        return check(name, "secret name", LOWERCASE_SEGMENT, "lowercase letters, digits");
    }

    /** A namespace: a lowercase slug of at most 40 characters, not {@code aws}. */
    public static String namespace(String namespace) {
        if (namespace == null || namespace.length() > 40 || !NAMESPACE.matcher(namespace).matches()
                || namespace.equals("aws")) {
            throw new GeoValidationException("The aws cloud's setting 'namespace' is 1 to 40 lowercase letters and"
                    + " digits in groups joined by '-', starting with a letter, and not 'aws' (KMS reserves"
                    + " alias/aws/); got '" + namespace + "'.");
        }
        return namespace;
    }

    private static String check(String name, String what, Pattern segments, String letters) {
        if (name == null || name.isEmpty() || name.length() > 512) {
            throw new GeoValidationException("A " + what + " is 1 to 512 characters; got '" + name + "'.");
        }
        for (String segment : name.split("/", -1)) {
            if (!segments.matcher(segment).matches()) {
                throw new GeoValidationException("A " + what + " is a path of segments of " + letters + ", '.', '_'"
                        + " and '-' separated by '/' (not starting with '.' or '-'), with no empty, '.' or '..'"
                        + " segment; got '" + name + "'.");
            }
        }
        return name;
    }
}
