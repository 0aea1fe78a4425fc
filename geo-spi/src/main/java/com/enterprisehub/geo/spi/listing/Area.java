package com.enterprisehub.geo.spi.listing;

import com.enterprisehub.geo.core.GeoValidationException;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * An area with its unit: RESO's {@code LivingArea} with {@code LivingAreaUnits}, or {@code LotSizeArea} with
 * {@code LotSizeUnits}. Immutable.
 *
 * @param value the area, zero or more
 * @param units its unit
 */
public record Area(BigDecimal value, AreaUnits units) {
    /**
     * Checks the area.
     *
     * @throws GeoValidationException if the value is negative
     */
    public Area {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(units, "units");
        if (value.signum() < 0) {
            throw new GeoValidationException("An area cannot be negative; got " + value.toPlainString() + " "
                    + units.resoName() + ".");
        }
    }
}
