package com.enterprisehub.geo.spi;

import com.enterprisehub.geo.core.GeoException;

/**
 * No provider, or more than one equally good provider, was found for a service interface.
 * The message lists what was found on the class path and how to choose.
 */
public class ProviderSelectionException extends GeoException {
    private static final long serialVersionUID = 1L;

    public ProviderSelectionException(String message) {
        super(message);
    }

    public ProviderSelectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
