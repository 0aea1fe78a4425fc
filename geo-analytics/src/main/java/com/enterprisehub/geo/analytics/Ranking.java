package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.List;

/**
 * The verdicts of all markets on one metric, best estimate first among those tested, then the markets
 * with insufficient data.
 *
 * @param metric the metric
 * @param markets each market's verdict
 */
public record Ranking(Metric metric, List<MarketRanking> markets) {
    public Ranking {
        markets = List.copyOf(markets);
    }

    /** The markets with the given verdict, in ranking order. */
    public List<MarketId> with(Verdict verdict) {
        return markets.stream().filter(m -> m.verdict() == verdict).map(MarketRanking::market).toList();
    }
}
