package com.enterprisehub.geo.spi.listing;

import com.enterprisehub.geo.core.GeoValidationException;

/**
 * Where a listing is: RESO's {@code Latitude} and {@code Longitude} (WGS 84 decimal degrees). Immutable.
 *
 * @param latitude from -90 to 90
 * @param longitude from -180 to 180
 */
public record GeoPoint(double latitude, double longitude) {
    /**
     * Checks the coordinates.
     *
     * @throws GeoValidationException if either is out of range or not a number
     */
    public GeoPoint {
        if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
            throw new GeoValidationException("A geo point needs a latitude from -90 to 90 and a longitude from -180 to"
                    + " 180; got " + latitude + ", " + longitude + ".");
        }
    }
}
