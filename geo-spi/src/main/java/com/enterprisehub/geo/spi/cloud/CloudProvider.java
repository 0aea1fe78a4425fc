package com.enterprisehub.geo.spi.cloud;

import com.enterprisehub.geo.spi.GeoProvider;
import com.enterprisehub.geo.spi.ProviderContext;

/**
 * Makes {@link Cloud}s; found through {@link java.util.ServiceLoader} and chosen with
 * {@link com.enterprisehub.geo.spi.Providers}. geo-cloud-local provides {@code local} (priority -100: directories on
 * this machine, for development, tests and the quickstart).
 */
public interface CloudProvider extends GeoProvider {
    /**
     * A cloud configured by {@code context} (provider-specific settings, documented by each provider). The
     * {@code local} provider reads {@code directory}: where it keeps its keys, secrets and objects (required;
     * opening it again on the same directory finds everything it held), and {@code regions}.
     *
     * @throws com.enterprisehub.geo.core.GeoValidationException if a setting is missing or invalid
     */
    Cloud open(ProviderContext context);
}
