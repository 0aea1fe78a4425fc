package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;

/**
 * The tenant is active but not provisioned for isolation (or its provisioning has not finished, or it
 * was erased), so no connection is routed to it.
 */
public class TenantNotPlacedException extends TenantUnavailableException {
    private static final long serialVersionUID = 1L;

    public TenantNotPlacedException(TenantId tenant, TenantState state) {
        super(tenant, state, "Tenant '" + tenant + "' is not provisioned for isolation, so no connection is routed"
                + " to it. Call TenantDataSource.provision(" + tenant + ") first.");
    }
}
