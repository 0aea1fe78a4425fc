package com.enterprisehub.geo.platform.compliance;

import java.util.List;
import java.util.Objects;

/**
 * One requirement, evaluated.
 *
 * @param requirement the requirement
 * @param jurisdictions the market's jurisdictions it was evaluated for
 * @param status met, not met, or not applicable
 * @param reason why, with what was found in the configuration
 */
public record RequirementResult(Requirement requirement, List<String> jurisdictions, Status status, String reason) {
    public RequirementResult {
        Objects.requireNonNull(requirement, "requirement");
        jurisdictions = List.copyOf(jurisdictions);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }
}
