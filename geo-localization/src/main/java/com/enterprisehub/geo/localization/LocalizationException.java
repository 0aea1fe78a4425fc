package com.enterprisehub.geo.localization;

import com.enterprisehub.geo.core.GeoException;

/** A localization request that cannot be served: a missing translation in strict mode, unusable rates. */
public class LocalizationException extends GeoException {
    private static final long serialVersionUID = 1L;

    public LocalizationException(String message) {
        super(message);
    }

    public LocalizationException(String message, Throwable cause) {
        super(message, cause);
    }
}
