package com.enterprisehub.geo.core.market;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.internal.Subdivisions;

/**
 * A jurisdiction: an ISO 3166-2 subdivision code such as {@code US-CA}, {@code CA-QC}, {@code GB-SCT}
 * or {@code AU-NSW}.
 *
 * <p>Only codes this SDK knows are accepted: all subdivisions of the United States, Canada and
 * Australia, and the four countries of the United Kingdom (ENG, NIR, SCT, WLS). The list, with its
 * source, is the resource {@code com/enterprisehub/geo/core/internal/iso-3166-2.tsv}.
 *
 * @param code the ISO 3166-2 code, upper case
 */
public record Jurisdiction(String code) implements Comparable<Jurisdiction> {

    public Jurisdiction {
        if (code == null || !Subdivisions.isKnown(code)) {
            throw new GeoValidationException("'" + code + "' is not an ISO 3166-2 subdivision known to this SDK;"
                    + " use a code such as US-CA, CA-ON, GB-ENG or AU-NSW (known countries: "
                    + Subdivisions.countries() + ").");
        }
    }

    /** The jurisdiction for an ISO 3166-2 code; see {@link Jurisdiction} for what is accepted. */
    public static Jurisdiction of(String code) {
        return new Jurisdiction(code);
    }

    /** The ISO 3166-1 alpha-2 country code ({@code US} for {@code US-CA}). */
    public String country() {
        return code.substring(0, 2);
    }

    /** The subdivision part of the code ({@code CA} for {@code US-CA}). */
    public String subdivision() {
        return code.substring(3);
    }

    /** The subdivision's English name ("California"). */
    public String name() {
        return Subdivisions.name(code);
    }

    @Override
    public int compareTo(Jurisdiction other) {
        return code.compareTo(other.code);
    }

    @Override
    public String toString() {
        return code;
    }
}
