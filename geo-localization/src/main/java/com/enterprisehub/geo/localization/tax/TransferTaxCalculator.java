package com.enterprisehub.geo.localization.tax;

import java.util.Set;

/**
 * The transfer taxes of one or more jurisdictions. Implementations are discovered with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/com.enterprisehub.geo.localization.tax.TransferTaxCalculator});
 * a host adds a jurisdiction, or replaces one of ours with a higher {@link #priority()}. Implementations are
 * immutable and thread-safe.
 */
public interface TransferTaxCalculator {
    /** The ISO 3166-2 codes this calculator covers ({@code GB-ENG}). */
    Set<String> jurisdictions();

    /**
     * Which calculator wins when two cover a jurisdiction: the higher priority. The SDK's own are 0; give a
     * replacement a positive number.
     */
    default int priority() {
        return 0;
    }

    /**
     * The taxes of {@code request}, whose jurisdiction is one of {@link #jurisdictions()}.
     *
     * @throws TransferTaxException if the transfer date is outside every regime this calculator knows
     * @throws com.enterprisehub.geo.core.GeoValidationException if the request does not fit the jurisdiction
     *     (a city it does not know, say)
     */
    TransferTaxResult calculate(TransferTaxRequest request);
}
