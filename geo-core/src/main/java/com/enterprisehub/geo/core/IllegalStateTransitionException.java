package com.enterprisehub.geo.core;

import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;

/** A tenant was asked to move to a lifecycle state it cannot reach from where it is. */
public class IllegalStateTransitionException extends GeoException {
    private static final long serialVersionUID = 1L;

    public IllegalStateTransitionException(TenantId id, TenantState from, TenantState to) {
        super("Tenant '" + id + "' cannot go from " + from + " to " + to + "; from " + from + " it can go to "
                + (from.next().isEmpty() ? "no other state (it is final)" : from.next().toString()) + ".");
    }
}
