package com.enterprisehub.geo.localization;

import com.enterprisehub.geo.core.GeoValidationException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/**
 * An area: a floor area or a lot, in some unit. Immutable.
 *
 * @param value how many units; zero or more
 * @param unit the unit
 */
public record Area(BigDecimal value, AreaUnit unit) {
    /** Conversions keep 20 significant digits, far beyond any listing's precision. */
    private static final MathContext PRECISION = new MathContext(20);

    public Area {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(unit, "unit");
        if (value.signum() < 0) {
            throw new GeoValidationException("An area cannot be negative; got " + value.toPlainString() + " "
                    + unit + ".");
        }
    }

    /** An area of {@code value} {@code unit}s. */
    public static Area of(double value, AreaUnit unit) {
        if (!Double.isFinite(value)) {
            throw new GeoValidationException("An area must be a finite number; got " + value + ".");
        }
        return new Area(BigDecimal.valueOf(value), unit);
    }

    /** An area of {@code value} {@code unit}s. */
    public static Area of(String value, AreaUnit unit) {
        try {
            return new Area(new BigDecimal(value), unit);
        } catch (NumberFormatException e) {
            throw new GeoValidationException("'" + value + "' is not a number; write an area like 1250 or 0.25.");
        }
    }

    /** This area in square metres (exact for the units of {@link AreaUnit}). */
    public BigDecimal squareMetres() {
        return value.multiply(unit.squareMetres());
    }

    /** The same area in {@code target} units, to 20 significant digits. */
    public Area to(AreaUnit target) {
        Objects.requireNonNull(target, "target");
        if (target == unit) {
            return this;
        }
        return new Area(squareMetres().divide(target.squareMetres(), PRECISION).stripTrailingZeros(), target);
    }
}
