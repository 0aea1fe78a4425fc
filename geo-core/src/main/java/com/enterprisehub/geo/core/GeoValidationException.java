package com.enterprisehub.geo.core;

/** A value given to the SDK (an id, a name, a configuration entry) is not acceptable. */
public class GeoValidationException extends GeoException {
    private static final long serialVersionUID = 1L;

    public GeoValidationException(String message) {
        super(message);
    }
}
