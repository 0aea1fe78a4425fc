package com.enterprisehub.geo.core.tenant;

import com.enterprisehub.geo.core.GeoValidationException;
import java.io.Serializable;
import java.util.Set;

/**
 * The id of a tenant. It becomes part of schema, role and database names, so it is checked strictly
 * before it can reach any SQL: 3 to 32 characters, lowercase ASCII letters and digits in groups joined
 * by single hyphens, starting with a letter ({@code acme-realty}, {@code bay2}). Names PostgreSQL or
 * the platform reserve ({@code public}, {@code postgres}, {@code template0}, anything starting with
 * {@code pg}) are refused.
 *
 * @param value the id
 */
public record TenantId(String value) implements Comparable<TenantId>, Serializable {
    /** The longest id accepted, so that prefixed schema, role and database names stay within PostgreSQL's 63. */
    public static final int MAX_LENGTH = 32;

    private static final Set<String> RESERVED = Set.of("public", "postgres", "template0", "template1", "information",
            "root", "admin", "system", "control");

    public TenantId {
        String problem = problem(value);
        if (problem != null) {
            throw new GeoValidationException("Invalid tenant id " + shown(value) + ": " + problem + ".");
        }
    }

    /** The tenant id for {@code value}; see {@link TenantId} for the accepted form. */
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    /** Whether {@code value} is an acceptable tenant id. */
    public static boolean isValid(String value) {
        return problem(value) == null;
    }

    private static String problem(String value) {
        if (value == null) {
            return "it is required";
        }
        if (value.length() < 3 || value.length() > MAX_LENGTH) {
            return "it must be 3 to " + MAX_LENGTH + " characters long";
        }
        char first = value.charAt(0);
        if (first < 'a' || first > 'z') {
            return "it must start with a lowercase letter a-z";
        }
        char previous = first;
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && c != '-') {
                return "only lowercase letters a-z, digits and single hyphens are allowed";
            }
            if (c == '-' && previous == '-') {
                return "hyphens may not follow each other";
            }
            previous = c;
        }
        if (previous == '-') {
            return "it may not end with a hyphen";
        }
        if (RESERVED.contains(value) || value.startsWith("pg")) {
            return "it is reserved by PostgreSQL or the platform";
        }
        return null;
    }

    private static String shown(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < value.length() && i < 40; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.append(value.length() > 40 ? "...'" : "'").toString();
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
