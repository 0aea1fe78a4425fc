package com.enterprisehub.geo.spi.tax;

import com.enterprisehub.geo.spi.GeoProvider;
import java.util.Set;

/**
 * The transfer taxes of one or more jurisdictions. Implementations are discovered with
 * {@link com.enterprisehub.geo.spi.Providers} ({@code META-INF/services/com.enterprisehub.geo.spi.tax.TransferTaxCalculator});
 * unlike other providers, every calculator found is used, each for its {@link #jurisdictions()}: a host adds a
 * jurisdiction, or replaces one of ours with a higher {@link #priority()}. Replacement is per jurisdiction, not
 * by name: names must stay distinct (the SDK's are {@code gb}, {@code au}, {@code ca} and {@code us}; two
 * calculators with one name are refused), so name a replacement of your own ({@code acme-gb}). Implementations are immutable and
 * thread-safe, and pass {@code com.enterprisehub.geo.test.TransferTaxCalculatorContract} (geo-test).
 */
public interface TransferTaxCalculator extends GeoProvider {
    /** The ISO 3166-2 codes this calculator covers ({@code GB-ENG}). */
    Set<String> jurisdictions();

    /**
     * Which calculator wins when two cover a jurisdiction: the higher priority. The SDK's own are 0; give a
     * replacement a positive number.
     */
    @Override
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
