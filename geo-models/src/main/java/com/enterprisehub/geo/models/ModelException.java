package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoException;

/** A model could not be trained, loaded, stored or asked; the message says what to do. */
public class ModelException extends GeoException {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}. */
    public ModelException(String message) {
        super(message);
    }

    /** An exception with {@code message}, caused by {@code cause}. */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
