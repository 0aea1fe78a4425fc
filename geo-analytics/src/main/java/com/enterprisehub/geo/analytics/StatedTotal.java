package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketTier;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;

/**
 * A revenue total a plan states for a group of markets, to be checked against the sum of its markets'
 * own figures.
 *
 * @param label what the plan calls it
 * @param tier the tier it covers, or empty for all markets
 * @param low the conservative total
 * @param high the aggressive total
 * @param currency the currency of both
 * @param source where the plan states it
 */
public record StatedTotal(String label, Optional<MarketTier> tier, BigDecimal low, BigDecimal high, Currency currency,
        String source) {
    public StatedTotal {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(source, "source");
        if (low == null || high == null || low.signum() < 0 || high.compareTo(low) < 0) {
            throw new AnalyticsException("Stated total '" + label + "' needs 0 <= low <= high; got " + low + ", "
                    + high + ".");
        }
    }
}
