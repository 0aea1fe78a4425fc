package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.platform.compliance.ComplianceReport;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a market can be deployed, computed from the actual state: the cloud's regions, the registered
 * database endpoints, the localization bundles, the transfer-tax calculators and the market's compliance
 * configuration. Immutable.
 *
 * @param market the market
 * @param region the region it would be deployed to, when one satisfies its residency rule
 * @param blockers what must be fixed before anything is provisioned
 * @param recommendations what should be fixed but does not block
 * @param compliance the market's compliance configuration evaluated against its jurisdictions' profiles
 */
public record ReadinessReport(MarketId market, Optional<DeploymentRegion> region, List<Finding> blockers,
        List<Finding> recommendations, ComplianceReport compliance) {
    public ReadinessReport {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(region, "region");
        blockers = List.copyOf(blockers);
        recommendations = List.copyOf(recommendations);
        Objects.requireNonNull(compliance, "compliance");
    }

    /** Whether nothing blocks the deployment. */
    public boolean ready() {
        return blockers.isEmpty();
    }
}
