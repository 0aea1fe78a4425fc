/**
 * OpenTelemetry on the connection path, through the OpenTelemetry API only: {@link
 * com.enterprisehub.geo.isolation.opentelemetry.OpenTelemetryConnections} turns a
 * {@link com.enterprisehub.geo.isolation.TenantDataSource}'s borrows and refusals into span events. Needs
 * {@code io.opentelemetry:opentelemetry-api} on the class path (an optional dependency of geo-isolation); nothing
 * else in geo-isolation loads it.
 */
package com.enterprisehub.geo.isolation.opentelemetry;
