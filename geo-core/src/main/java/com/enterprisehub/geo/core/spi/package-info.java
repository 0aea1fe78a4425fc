/**
 * Service-provider interfaces and their discovery: {@link com.enterprisehub.geo.core.spi.Providers}
 * chooses among providers found by {@link java.util.ServiceLoader} by name or priority, never by
 * accident; {@link com.enterprisehub.geo.core.spi.TenantCatalog} is where tenants live.
 */
package com.enterprisehub.geo.core.spi;
