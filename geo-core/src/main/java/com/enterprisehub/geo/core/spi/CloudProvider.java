package com.enterprisehub.geo.core.spi;

import java.util.Map;

/**
 * Makes {@link Cloud}s; found through {@link java.util.ServiceLoader} and chosen with {@link Providers}.
 * geo-core provides {@code local} (priority -100: directories on this machine, for development, tests and
 * the quickstart); geo-spi-aws provides AWS.
 */
public interface CloudProvider extends GeoProvider {
    /**
     * A cloud configured by {@code settings} (provider-specific keys, documented by each provider). The
     * {@code local} provider reads {@code directory}: where it keeps its keys, secrets and objects (required;
     * opening it again on the same directory finds everything it held).
     *
     * @throws com.enterprisehub.geo.core.GeoValidationException if a setting is missing or invalid
     */
    Cloud open(Map<String, String> settings);
}
