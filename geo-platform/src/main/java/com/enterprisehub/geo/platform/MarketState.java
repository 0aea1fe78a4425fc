package com.enterprisehub.geo.platform;

/** Where a market is in its deployment. */
public enum MarketState {
    /** Never assessed for deployment. */
    NOT_DEPLOYED,
    /** The last deployment attempt found blockers; nothing was provisioned for it. */
    BLOCKED,
    /** Deployment started and has not finished (it failed part-way, or is running): deploy again to resume. */
    DEPLOYING,
    /** Deployed: tenants can be provisioned in it. */
    LIVE
}
