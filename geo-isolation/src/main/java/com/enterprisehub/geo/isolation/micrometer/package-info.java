/**
 * Micrometer meters of a {@link com.enterprisehub.geo.isolation.TenantDataSource}: {@link
 * com.enterprisehub.geo.isolation.micrometer.IsolationMetrics}. Needs micrometer-core, an optional dependency.
 */
package com.enterprisehub.geo.isolation.micrometer;
