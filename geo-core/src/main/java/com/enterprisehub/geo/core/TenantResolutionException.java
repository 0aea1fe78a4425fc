package com.enterprisehub.geo.core;

/**
 * An inbound request names no tenant, or names different tenants in different places
 * (for example a header that disagrees with a verified claim).
 */
public class TenantResolutionException extends GeoException {
    private static final long serialVersionUID = 1L;

    public TenantResolutionException(String message) {
        super(message);
    }
}
