package com.enterprisehub.geo.analytics;

import java.util.Optional;

/**
 * The measured performance of a market, or of all markets together. Every figure is absent when the
 * events it needs were not recorded in the period, never zero by default.
 *
 * @param tenants how many tenants sent events
 * @param volumes event counts and deal values
 * @param conversion leads converted among leads created in the period; absent without leads, or when more
 *     leads converted than were created in the period (leads from before it converting in it)
 * @param latency request latency
 * @param withinLatencyTarget requests served within the latency target (counted exactly, not from the
 *     histogram)
 * @param leadResponse time from a lead's creation to its first response
 * @param availability availability from probes
 */
public record Performance(int tenants, Volumes volumes, Optional<Proportion> conversion,
        Optional<DurationSummary> latency, Optional<Proportion> withinLatencyTarget,
        Optional<DurationSummary> leadResponse, Optional<Availability> availability) {
}
