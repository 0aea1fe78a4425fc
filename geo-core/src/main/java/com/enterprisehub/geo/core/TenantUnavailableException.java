package com.enterprisehub.geo.core;

import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;

/** The tenant exists but is not in a state that serves requests (it is provisioning or being offboarded). */
public class TenantUnavailableException extends GeoException {
    private static final long serialVersionUID = 1L;
    private final TenantId tenantId;
    private final TenantState state;

    public TenantUnavailableException(TenantId tenantId, TenantState state) {
        this(tenantId, state, "Tenant '" + tenantId + "' is " + state + " and serves no requests until it is "
                + TenantState.ACTIVE + ".");
    }

    protected TenantUnavailableException(TenantId tenantId, TenantState state, String message) {
        super(message);
        this.tenantId = tenantId;
        this.state = state;
    }

    public TenantId tenantId() {
        return tenantId;
    }

    public TenantState state() {
        return state;
    }
}
