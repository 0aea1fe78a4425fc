package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.market.MarketTier;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * A market's revenue projected from its addressable customers and its tier's penetration target:
 * {@code customers x penetration x revenue per customer}. Absent where the catalog or the plan lacks a
 * figure ({@link #reason()} says which).
 *
 * @param market the market
 * @param tier its tier
 * @param conservative ARR at the low penetration
 * @param aggressive ARR at the high penetration
 * @param impliedLowPerCustomer the yearly revenue per customer the catalog's conservative figure implies
 *     at the low penetration ({@code revenueRange.low / (customers x low)})
 * @param impliedHighPerCustomer the same for the aggressive figure at the high penetration
 * @param reason why a figure is absent, or empty
 */
public record MarketProjection(MarketId market, MarketTier tier, Optional<BigDecimal> conservative,
        Optional<BigDecimal> aggressive, Optional<BigDecimal> impliedLowPerCustomer,
        Optional<BigDecimal> impliedHighPerCustomer, Optional<String> reason) {
}
