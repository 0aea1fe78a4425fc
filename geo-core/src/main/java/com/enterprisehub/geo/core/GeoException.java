package com.enterprisehub.geo.core;

/**
 * Root of every exception the SDK throws on purpose.
 *
 * <p>All are unchecked. Each subclass names one situation a host can react to, and each message
 * says what went wrong and what to do about it. Catch {@code GeoException} to handle all of them.
 */
public class GeoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GeoException(String message) {
        super(message);
    }

    public GeoException(String message, Throwable cause) {
        super(message, cause);
    }
}
