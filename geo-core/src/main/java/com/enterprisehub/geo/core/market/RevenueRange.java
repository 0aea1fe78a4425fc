package com.enterprisehub.geo.core.market;

import com.enterprisehub.geo.core.GeoValidationException;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * The annual recurring revenue the platform expects from a market, from a conservative to an
 * aggressive estimate.
 *
 * @param low the conservative estimate, zero or more
 * @param high the aggressive estimate, at least {@code low}
 * @param currency the currency of both figures
 */
public record RevenueRange(BigDecimal low, BigDecimal high, Currency currency) {
    public RevenueRange {
        Objects.requireNonNull(currency, "currency");
        if (low == null || high == null || low.signum() < 0 || high.compareTo(low) < 0) {
            throw new GeoValidationException("A revenue range needs 0 <= low <= high; got low " + low + ", high "
                    + high + ".");
        }
    }
}
