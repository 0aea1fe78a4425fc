/**
 * Markets: where the platform operates, with their jurisdictions, cities, currency, locales, time
 * zones, figures and data-residency rule, and the {@link com.enterprisehub.geo.core.market.MarketCatalog}
 * that loads them strictly from JSON or YAML. All types are immutable and thread-safe.
 */
package com.enterprisehub.geo.core.market;
