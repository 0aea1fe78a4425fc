package com.enterprisehub.geo.analytics;

/**
 * The proportions markets are ranked and compared on. Each is a share of successes among trials, so one
 * test (the pooled two-proportion z-test) serves all three; higher is better for each.
 */
public enum Metric {
    /** Leads converted among leads created. */
    CONVERSION_RATE("conversion rate"),
    /** Requests served within the latency target among requests served. */
    LATENCY_WITHIN_TARGET("requests within the latency target"),
    /** Probes that found the deployment up among probes. */
    AVAILABILITY("availability");

    private final String label;

    Metric(String label) {
        this.label = label;
    }

    /** A short name for people ("conversion rate"). */
    public String label() {
        return label;
    }
}
