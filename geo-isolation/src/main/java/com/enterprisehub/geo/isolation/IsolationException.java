package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.GeoException;

/** Tenant isolation could not be set up or refused to route a connection. */
public class IsolationException extends GeoException {
    private static final long serialVersionUID = 1L;

    public IsolationException(String message) {
        super(message);
    }

    public IsolationException(String message, Throwable cause) {
        super(message, cause);
    }
}
