package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.GeoException;

/**
 * A platform operation failed: a deployment or provisioning step, or a control-plane call. Steps already
 * done are recorded, so running the operation again resumes where it stopped; the message says what to fix.
 */
public class PlatformException extends GeoException {
    private static final long serialVersionUID = 1L;

    public PlatformException(String message) {
        super(message);
    }

    public PlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
