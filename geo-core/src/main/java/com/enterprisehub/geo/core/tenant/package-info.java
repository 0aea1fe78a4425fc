/**
 * Tenants and the context they are served in: {@link com.enterprisehub.geo.core.tenant.Tenant} and its
 * lifecycle, {@link com.enterprisehub.geo.core.tenant.TenantContext} (the fail-closed, per-thread
 * binding that travels explicitly across executors, futures and job queues), and
 * {@link com.enterprisehub.geo.core.tenant.TenantResolver} (from a request to a tenant).
 */
package com.enterprisehub.geo.core.tenant;
