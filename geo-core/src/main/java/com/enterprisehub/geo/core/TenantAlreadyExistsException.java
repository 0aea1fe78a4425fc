package com.enterprisehub.geo.core;

import com.enterprisehub.geo.core.tenant.TenantId;

/** A tenant with this id is already in the catalog. */
public class TenantAlreadyExistsException extends GeoException {
    private static final long serialVersionUID = 1L;

    public TenantAlreadyExistsException(TenantId id) {
        super("A tenant with id '" + id + "' already exists. Choose another id, or update the existing tenant.");
    }
}
