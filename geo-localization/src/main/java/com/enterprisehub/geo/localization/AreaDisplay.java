package com.enterprisehub.geo.localization;

import com.enterprisehub.geo.core.GeoValidationException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a market shows one kind of area: in {@code units}, or, from {@code largeFrom} (in square metres)
 * upwards, in {@code largeUnits}. Two units are shown side by side ("1,200 sq ft (111 m²)"). Immutable.
 *
 * @param units the units for areas below {@code largeFrom}, the first one leading; one or two
 * @param largeFrom the area (m²) from which {@code largeUnits} are used; empty for never. An area is
 *     compared as shown in the first small unit: 43,559.6 sq ft shows as "43,560 sq ft", so it is an acre
 * @param largeUnits the units for large areas; empty when {@code largeFrom} is
 */
public record AreaDisplay(List<AreaUnit> units, Optional<BigDecimal> largeFrom, List<AreaUnit> largeUnits) {
    public AreaDisplay {
        units = List.copyOf(units);
        largeUnits = List.copyOf(largeUnits);
        Objects.requireNonNull(largeFrom, "largeFrom");
        check(units);
        if (largeFrom.isEmpty()) {
            if (!largeUnits.isEmpty()) {
                throw new GeoValidationException("An AreaDisplay with large units needs the area they start from.");
            }
        } else {
            check(largeUnits);
            if (largeFrom.get().signum() <= 0) {
                throw new GeoValidationException("largeFrom must be positive; got " + largeFrom.get() + ".");
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
        return new AreaDisplay(List.of(units), Optional.empty(), List.of());
    }

    /** In {@code small} below {@code threshold}, in {@code large} from it on. */
    public static AreaDisplay switching(List<AreaUnit> small, Area threshold, List<AreaUnit> large) {
        Objects.requireNonNull(threshold, "threshold");
        return new AreaDisplay(small, Optional.of(threshold.squareMetres()), large);
    }

    /** The units for {@code area}, compared as it would be shown in the first small unit. */
    List<AreaUnit> unitsFor(Area area) {
        if (largeFrom.isEmpty()) {
            return units;
        }
        AreaUnit first = units.get(0);
        Area shown = new Area(area.to(first).value().setScale(first.displayDigits(), java.math.RoundingMode.HALF_EVEN),
                first);
        return shown.squareMetres().compareTo(largeFrom.get()) >= 0 ? largeUnits : units;
    }
}
