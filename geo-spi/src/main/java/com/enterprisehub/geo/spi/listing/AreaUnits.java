package com.enterprisehub.geo.spi.listing;

import java.util.Optional;

/**
 * The unit of an area: the RESO Data Dictionary 2.0 lookups {@code AreaUnits} (of {@code LivingArea}) and
 * {@code LotSizeUnits} (of {@code LotSizeArea}), under their RESO names ({@link #resoName()};
 * <a href="https://ddwiki.reso.org/display/DDW20/AreaUnits+Lookups">DD 2.0: AreaUnits</a>).
 */
public enum AreaUnits {
    /** {@code SquareFeet}. */
    SQUARE_FEET("SquareFeet"),
    /** {@code SquareMeters}. */
    SQUARE_METERS("SquareMeters"),
    /** {@code Acres} (lot sizes). */
    ACRES("Acres"),
    /** {@code Hectares} (lot sizes, REAXML's {@code landDetails/area unit="hectare"}). */
    HECTARES("Hectares");

    private final String resoName;

    AreaUnits(String resoName) {
        this.resoName = resoName;
    }

    /** The value as RESO spells it ("SquareFeet"). */
    public String resoName() {
        return resoName;
    }

    /** The unit RESO spells {@code name} (exactly, or with a space: "Square Feet"), if there is one. */
    public static Optional<AreaUnits> fromReso(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String compact = name.replace(" ", "");
        for (AreaUnits u : values()) {
            if (u.resoName.equals(compact)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
