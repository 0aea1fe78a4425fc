package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketId;

/**
 * One market's performance over the report's period.
 *
 * @param market the market
 * @param performance its figures
 */
public record MarketPerformance(MarketId market, Performance performance) {
}
