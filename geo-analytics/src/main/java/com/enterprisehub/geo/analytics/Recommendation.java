package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.List;

/**
 * An action suggested by one of the documented {@link RecommendationRule}s, with the figures that
 * triggered it.
 *
 * @param rule the rule that fired
 * @param markets the markets concerned, the one to act on first
 * @param text what to do and why, with the figures
 */
public record Recommendation(RecommendationRule rule, List<MarketId> markets, String text) {
    public Recommendation {
        markets = List.copyOf(markets);
    }
}
