package com.enterprisehub.geo.analytics;

/**
 * Availability from probes, against a target such as the seed's 99.9%.
 *
 * @param measured the share of probes that found the deployment up, with its interval
 * @param target the availability target, for example 0.999
 * @param failures probes that found it down
 * @param allowedFailures the failures the target allows over these probes: {@code (1 - target) * probes}
 * @param errorBudgetRemaining the share of that allowance still unused: 1 when nothing failed, 0 when
 *     exactly used up, negative when overspent
 */
public record Availability(Proportion measured, double target, long failures, double allowedFailures,
        double errorBudgetRemaining) {

    /** Whether the measured availability reaches the target. */
    public boolean meetsTarget() {
        return measured.estimate() >= target;
    }
}
