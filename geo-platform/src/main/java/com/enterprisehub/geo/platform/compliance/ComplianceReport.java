package com.enterprisehub.geo.platform.compliance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every requirement of a market's jurisdictions, evaluated against a configuration. Immutable.
 *
 * @param subject what was evaluated ("market us-ca", "tenant acme")
 * @param results one per requirement, in profile order
 */
public record ComplianceReport(String subject, List<RequirementResult> results) {
    public ComplianceReport {
        Objects.requireNonNull(subject, "subject");
        results = List.copyOf(results);
    }

    /** The results with {@code status}. */
    public List<RequirementResult> with(Status status) {
        return results.stream().filter(r -> r.status() == status).toList();
    }

    /** Whether every requirement that applies is met. */
    public boolean compliant() {
        return with(Status.NOT_MET).isEmpty();
    }

    /**
     * The share of applicable requirements met, from 0 to 1 (four decimals); empty when none applies. Just a
     * count: requirements carry no weights.
     */
    public Optional<BigDecimal> score() {
        long met = with(Status.MET).size();
        long applicable = met + with(Status.NOT_MET).size();
        return applicable == 0 ? Optional.empty()
                : Optional.of(BigDecimal.valueOf(met).divide(BigDecimal.valueOf(applicable), 4, RoundingMode.HALF_EVEN));
    }
}
