package com.enterprisehub.geo.core;

import com.enterprisehub.geo.core.tenant.TenantId;

/** No tenant with this id exists (or it has been deleted). */
public class UnknownTenantException extends GeoException {
    private static final long serialVersionUID = 1L;
    private final String tenantId;

    public UnknownTenantException(TenantId id) {
        this(id.value());
    }

    /**
     * @param tenantId the id as it was asked for; it may not be a valid id, so it is kept as text and
     *     shown escaped
     */
    public UnknownTenantException(String tenantId) {
        super("No tenant '" + Texts.printable(tenantId) + "' exists. Check the id, or create the tenant in the"
                + " TenantCatalog first.");
        this.tenantId = tenantId;
    }

    /** The id that was asked for, as given. */
    public String tenantId() {
        return tenantId;
    }
}
