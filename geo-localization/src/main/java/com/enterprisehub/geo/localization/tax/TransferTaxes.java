package com.enterprisehub.geo.localization.tax;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxException;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.spi.tax.TransferTaxResult;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The transfer-tax engine: routes a purchase to the calculator of its jurisdiction. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * TransferTaxes taxes = TransferTaxes.fromClassPath();
 * TransferTaxResult r = taxes.calculate(TransferTaxRequest.builder(Money.of(450_000, "GBP"), "GB-ENG",
 *         LocalDate.of(2026, 11, 24)).firstTimeBuyer().build());
 * r.total();   // GBP 7500
 * }</pre>
 */
public final class TransferTaxes {
    private final Map<String, TransferTaxCalculator> byJurisdiction;

    private TransferTaxes(Map<String, TransferTaxCalculator> byJurisdiction) {
        this.byJurisdiction = byJurisdiction;
    }

    /**
     * The calculators {@link Providers#fromClassPath()} finds (the SDK's and a host's).
     *
     * @throws com.enterprisehub.geo.spi.ProviderSelectionException if a declared calculator cannot be loaded, or two
     *     share a name
     */
    public static TransferTaxes fromClassPath() {
        return from(Providers.fromClassPath());
    }

    /** Every calculator {@code providers} finds; see {@link #of} for how two covering one jurisdiction are ranked. */
    public static TransferTaxes from(Providers providers) {
        return of(providers.all(TransferTaxCalculator.class));
    }

    /**
     * These calculators; where two cover a jurisdiction, the higher {@link TransferTaxCalculator#priority()}
     * wins.
     *
     * @throws GeoValidationException if two with the same priority cover a jurisdiction
     */
    public static TransferTaxes of(Collection<? extends TransferTaxCalculator> calculators) {
        Map<String, TransferTaxCalculator> map = new TreeMap<>();
        for (TransferTaxCalculator c : calculators) {
            for (String j : c.jurisdictions()) {
                TransferTaxCalculator other = map.get(j);
                if (other == null || c.priority() > other.priority()) {
                    map.put(j, c);
                } else if (c.priority() == other.priority()) {
                    throw new GeoValidationException("Two transfer-tax calculators cover " + j + " with priority "
                            + c.priority() + ": " + other.getClass().getName() + " and " + c.getClass().getName()
                            + "; give the replacement a higher priority().");
                }
            }
        }
        return new TransferTaxes(Map.copyOf(map));
    }

    /** The jurisdictions covered. */
    public Set<String> jurisdictions() {
        return new java.util.TreeSet<>(byJurisdiction.keySet());
    }

    /**
     * The transfer taxes of {@code request}.
     *
     * @throws TransferTaxException if no calculator covers its jurisdiction, or its date is outside every
     *     regime known
     * @throws GeoValidationException if the price's currency is not the jurisdiction's, or the city unknown
     */
    public TransferTaxResult calculate(TransferTaxRequest request) {
        Objects.requireNonNull(request, "request");
        TransferTaxCalculator c = byJurisdiction.get(request.jurisdiction().code());
        if (c == null) {
            throw new TransferTaxException("No transfer-tax calculator covers " + request.jurisdiction().code()
                    + "; covered: " + jurisdictions() + ". Add one through the TransferTaxCalculator SPI.");
        }
        return c.calculate(request);
    }
}
