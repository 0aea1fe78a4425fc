package com.enterprisehub.geo.localization;

import com.enterprisehub.geo.core.GeoValidationException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * How a market shows one kind of area: in {@code units}, or, from {@code largeFrom} (in square metres)
 * upwards, in {@code largeUnits}. Two units are shown side by side ("1,200 sq ft (111 m²)"). Immutable.
 *
 * @param units the units for areas below {@code largeFrom}, the first one leading; one or two
 * @param largeFrom the area (m²) from which {@code largeUnits} are used; {@code null} for never
 * @param largeUnits the units for large areas; empty when {@code largeFrom} is {@code null}
 */
public record AreaDisplay(List<AreaUnit> units, BigDecimal largeFrom, List<AreaUnit> largeUnits) {
    public AreaDisplay {
        units = List.copyOf(units);
        largeUnits = List.copyOf(largeUnits);
        check(units);
        if (largeFrom == null) {
            if (!largeUnits.isEmpty()) {
                throw new GeoValidationException("An AreaDisplay with large units needs the area they start from.");
            }
        } else {
            check(largeUnits);
            if (largeFrom.signum() <= 0) {
                throw new GeoValidationException("largeFrom must be positive; got " + largeFrom + ".");
            }
        }
    }

    private static void check(List<AreaUnit> units) {
        if (units.isEmpty() || units.size() > 2 || units.stream().distinct().count() != units.size()) {
            throw new GeoValidationException("An area is shown in one or two different units; got " + units + ".");
        }
    }

    /** Always in {@code units}. */
    public static AreaDisplay always(AreaUnit... units) {
        return new AreaDisplay(List.of(units), null, List.of());
    }

    /** In {@code small} below {@code threshold}, in {@code large} from it on. */
    public static AreaDisplay switching(List<AreaUnit> small, Area threshold, List<AreaUnit> large) {
        Objects.requireNonNull(threshold, "threshold");
        return new AreaDisplay(small, threshold.squareMetres(), large);
    }

    /** The units for an area of {@code squareMetres}. */
    List<AreaUnit> unitsFor(BigDecimal squareMetres) {
        return largeFrom != null && squareMetres.compareTo(largeFrom) >= 0 ? largeUnits : units;
    }
}
