package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketId;
import java.math.BigDecimal;
import java.util.List;

/**
 * A stated total against the sum of its markets' own figures.
 *
 * @param stated the total as the plan states it
 * @param markets the markets it covers
 * @param sumLow the sum of their conservative figures
 * @param sumHigh the sum of their aggressive figures
 */
public record TotalCheck(StatedTotal stated, List<MarketId> markets, BigDecimal sumLow, BigDecimal sumHigh) {
    public TotalCheck {
        markets = List.copyOf(markets);
    }

    /** Whether both stated figures equal the sums of their parts. */
    public boolean agrees() {
        return stated.low().compareTo(sumLow) == 0 && stated.high().compareTo(sumHigh) == 0;
    }

    /** Stated conservative total minus the sum of its parts (positive: the plan states more). */
    public BigDecimal lowDifference() {
        return stated.low().subtract(sumLow);
    }

    /** Stated aggressive total minus the sum of its parts. */
    public BigDecimal highDifference() {
        return stated.high().subtract(sumHigh);
    }
}
