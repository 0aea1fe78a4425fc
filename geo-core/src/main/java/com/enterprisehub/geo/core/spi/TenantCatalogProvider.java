package com.enterprisehub.geo.core.spi;

import com.enterprisehub.geo.core.event.PlatformEvents;
import java.util.Map;

/**
 * Makes {@link TenantCatalog}s; found through {@link java.util.ServiceLoader} and chosen with
 * {@link Providers}. geo-core provides {@code in-memory} (priority -100, a fallback).
 */
public interface TenantCatalogProvider extends GeoProvider {
    /**
     * A catalog configured by {@code settings} (provider-specific keys, documented by each provider),
     * publishing its changes to {@code events}.
     */
    TenantCatalog open(Map<String, String> settings, PlatformEvents events);
}
