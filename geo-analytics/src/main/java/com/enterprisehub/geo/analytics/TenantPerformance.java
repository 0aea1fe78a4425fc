package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.time.Duration;
import java.util.Optional;

/**
 * One tenant's figures in one market over the report's period. Tenants keep counters only (no
 * histograms, so that memory stays small with many tenants): latency is given as an exact mean and as
 * the share of requests within the target.
 *
 * @param tenant the tenant
 * @param market the market its events came from
 * @param volumes its event counts
 * @param conversion leads converted among leads created, when defined
 * @param meanLatency the exact mean request latency, when it served requests
 * @param withinLatencyTarget requests within the latency target, when it served requests
 * @param meanLeadResponse the exact mean time to a lead's first response, when it responded to leads
 */
public record TenantPerformance(TenantId tenant, MarketId market, Volumes volumes, Optional<Proportion> conversion,
        Optional<Duration> meanLatency, Optional<Proportion> withinLatencyTarget, Optional<Duration> meanLeadResponse) {
}
