package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketTier;
import java.util.Objects;

/**
 * The share of a tier's addressable customers a plan expects to win.
 *
 * @param tier the tier
 * @param low the conservative share, for example 0.02
 * @param high the aggressive share, at least {@code low}
 * @param source where the plan states it
 */
public record PenetrationTarget(MarketTier tier, double low, double high, String source) {
    public PenetrationTarget {
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(source, "source");
        if (!(low > 0 && high >= low && high <= 1)) {
            throw new AnalyticsException("Penetration of " + tier + " needs 0 < low <= high <= 1; got " + low + ", "
                    + high + ".");
        }
    }
}
