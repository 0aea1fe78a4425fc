package com.enterprisehub.geo.core.market;

import com.enterprisehub.geo.core.GeoValidationException;
import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * The id of a market: a lowercase slug such as {@code us-ca}, {@code ca} or {@code gb}.
 *
 * @param value 2 to 32 characters: lowercase ASCII letters and digits in groups joined by single
 *     hyphens, starting with a letter
 */
public record MarketId(String value) implements Comparable<MarketId>, Serializable {
    private static final Pattern FORM = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public MarketId {
        if (value == null || value.length() < 2 || value.length() > 32 || !FORM.matcher(value).matches()) {
            throw new GeoValidationException("A market id is 2 to 32 lowercase letters and digits in groups"
                    + " joined by single hyphens, starting with a letter (like 'us-ca'); got "
                    + (value == null ? "null" : "'" + value + "'") + ".");
        }
    }

    /** The market id for {@code value}; see {@link MarketId} for the accepted form. */
    public static MarketId of(String value) {
        return new MarketId(value);
    }

    @Override
    public int compareTo(MarketId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
