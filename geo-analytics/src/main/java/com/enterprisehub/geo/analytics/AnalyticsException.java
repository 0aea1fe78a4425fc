package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.GeoException;

/**
 * A snapshot cannot be read or merged, or an analysis cannot be run on what it was given. The message
 * says which input is at fault and what to change.
 */
public class AnalyticsException extends GeoException {
    private static final long serialVersionUID = 1L;

    public AnalyticsException(String message) {
        super(message);
    }

    public AnalyticsException(String message, Throwable cause) {
        super(message, cause);
    }
}
