/**
 * The provider model: {@link com.enterprisehub.geo.spi.GeoProvider} (a name and a priority),
 * {@link com.enterprisehub.geo.spi.ProviderContext} (typed settings and objects given to a provider) and
 * {@link com.enterprisehub.geo.spi.Providers}, the SDK's one discovery path, which chooses among providers found
 * by {@link java.util.ServiceLoader} by name or priority, never by accident. The service-provider interfaces live
 * in the sub-packages: {@code cloud}, {@code catalog} and {@code tax}; {@code crypto} has support types for
 * providers. A provider module depends on geo-spi (and geo-core's vocabulary) only, and proves itself with the
 * contract kits of geo-test.
 */
package com.enterprisehub.geo.spi;
