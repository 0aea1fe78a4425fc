package com.enterprisehub.geo.spi.listing;

import com.enterprisehub.geo.core.GeoException;

/** A listing feed could not be opened or read; the message says what to check (never a credential's value). */
public class ListingFeedException extends GeoException {
    private static final long serialVersionUID = 1L;

    /** An exception with this message. */
    public ListingFeedException(String message) {
        super(message);
    }

    /** An exception with this message and cause. */
    public ListingFeedException(String message, Throwable cause) {
        super(message, cause);
    }
}
