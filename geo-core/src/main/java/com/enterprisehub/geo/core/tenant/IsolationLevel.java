package com.enterprisehub.geo.core.tenant;

/** How strongly a tenant's data is separated from other tenants' (see geo-isolation). */
public enum IsolationLevel {
    /** Shared tables with a tenant column, protected by PostgreSQL row-level security. */
    BASIC,
    /** One schema per tenant. */
    ENHANCED,
    /** One database per tenant. */
    MAXIMUM,
    /** A dedicated PostgreSQL server for the tenant, in its market's region. */
    REGULATORY
}
