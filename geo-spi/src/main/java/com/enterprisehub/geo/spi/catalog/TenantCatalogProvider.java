package com.enterprisehub.geo.spi.catalog;

import com.enterprisehub.geo.spi.GeoProvider;
import com.enterprisehub.geo.spi.ProviderContext;

/**
 * Makes {@link TenantCatalog}s; found through {@link java.util.ServiceLoader} and chosen with
 * {@link com.enterprisehub.geo.spi.Providers}. Built in: {@code in-memory} (geo-spi, priority -100, a fallback) and
 * {@code jdbc} (geo-platform, priority 0: needs a {@code javax.sql.DataSource} of the control plane).
 */
public interface TenantCatalogProvider extends GeoProvider {
    /**
     * A catalog configured by {@code context}: its settings and objects (each provider documents what it
     * reads), publishing its changes to {@link ProviderContext#events()} and stamping them with
     * {@link ProviderContext#clock()}.
     *
     * @throws com.enterprisehub.geo.core.GeoValidationException if a setting or object it needs is missing or
     *     invalid (the message says which and how to give it)
     */
    TenantCatalog open(ProviderContext context);
}
