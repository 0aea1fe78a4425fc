package com.enterprisehub.geo.core.market;

import com.enterprisehub.geo.core.GeoValidationException;
import java.time.ZoneId;

/**
 * A major city of a market, in one of the market's jurisdictions.
 *
 * @param name the city's usual English name ("Montreal", "New York City")
 * @param jurisdiction the subdivision the city lies in; must be one of its market's jurisdictions
 * @param timeZone the city's time zone (Perth and Sydney are in one market but not one zone)
 */
public record City(String name, Jurisdiction jurisdiction, ZoneId timeZone) {
    public City {
        if (name == null || name.isBlank()) {
            throw new GeoValidationException("A city needs a name.");
        }
        name = name.strip();
        if (jurisdiction == null || timeZone == null) {
            throw new GeoValidationException("City '" + name + "' needs a jurisdiction (ISO 3166-2) and a time zone.");
        }
    }
}
