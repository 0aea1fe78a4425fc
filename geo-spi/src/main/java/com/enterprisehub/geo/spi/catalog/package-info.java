/**
 * The tenant catalog SPI: {@link com.enterprisehub.geo.spi.catalog.TenantCatalog} is where tenants live,
 * {@link com.enterprisehub.geo.spi.catalog.TenantChanges} the rules each change passes, and
 * {@link com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog} the built-in fallback.
 */
package com.enterprisehub.geo.spi.catalog;
