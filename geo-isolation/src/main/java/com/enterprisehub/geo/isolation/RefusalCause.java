package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.UnknownTenantException;

/**
 * Why {@link TenantDataSource#getConnection()} refused a connection, as counted in {@link IsolationStatistics}.
 * Database failures (the server down, a bad password) are not refusals: they are the driver's exceptions.
 */
public enum RefusalCause {
    /** No tenant was bound to the thread ({@link NoTenantBoundException}). */
    NO_TENANT("no-tenant"),
    /** The bound tenant is not in the catalog ({@link UnknownTenantException}). */
    UNKNOWN_TENANT("unknown-tenant"),
    /** The tenant is suspended, provisioning or offboarding ({@link TenantUnavailableException}). */
    TENANT_UNAVAILABLE("tenant-unavailable"),
    /** The tenant is active but not provisioned for isolation ({@link TenantNotPlacedException}). */
    NOT_PLACED("not-placed"),
    /** The tenant's route left its market's residency regions ({@link ResidencyViolationException}). */
    RESIDENCY("residency"),
    /** No connection within the connection timeout: the tenant's cap, or the pool's fair share, was exhausted. */
    POOL_BUSY("pool-busy");

    private final String tag;

    RefusalCause(String tag) {
        this.tag = tag;
    }

    /** A short lower-case name for metrics tags and logs ({@code no-tenant}, {@code pool-busy}, ...). */
    public String tag() {
        return tag;
    }
}
