package com.enterprisehub.geo.core;

import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;

/** The tenant is suspended: its requests and connections are refused until an operator resumes it. */
public class TenantSuspendedException extends TenantUnavailableException {
    private static final long serialVersionUID = 1L;

    public TenantSuspendedException(TenantId tenantId) {
        super(tenantId, TenantState.SUSPENDED, "Tenant '" + tenantId + "' is suspended; its requests are refused"
                + " until an operator resumes it (state " + TenantState.ACTIVE + ").");
    }
}
