package com.enterprisehub.geo.core;

/**
 * Code that needs a tenant ran with none bound to the current thread.
 *
 * <p>This is the fail-closed answer: the SDK never falls back to a default tenant.
 */
public class NoTenantBoundException extends GeoException {
    private static final long serialVersionUID = 1L;

    public NoTenantBoundException(String operation) {
        super(operation + " needs a tenant, but none is bound to thread '" + Thread.currentThread().getName()
                + "'. Bind one with TenantContext.run(tenant, task) or TenantContext.open(tenant), and pass it to"
                + " other threads with TenantContext.wrap(executor) or a TenantSnapshot.");
    }
}
