package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link Platform#deploy}: the market's state, the readiness assessment it started from,
 * and the journaled steps (empty when blocked: nothing was provisioned).
 *
 * @param market the market
 * @param state {@link MarketState#LIVE}, or {@link MarketState#BLOCKED}
 * @param readiness the assessment
 * @param steps the journal, in step order
 */
public record Deployment(MarketId market, MarketState state, ReadinessReport readiness, List<StepRecord> steps) {
    public Deployment {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(readiness, "readiness");
        steps = List.copyOf(steps);
    }
}
