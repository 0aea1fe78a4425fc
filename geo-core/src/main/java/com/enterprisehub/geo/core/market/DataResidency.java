package com.enterprisehub.geo.core.market;

import com.enterprisehub.geo.core.GeoValidationException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Where a market's tenant data may be stored and processed.
 *
 * <p>A restricted rule lists the regions allowed; isolation refuses to place or route a tenant's data
 * anywhere else. An unrestricted rule allows every region.
 *
 * @param allowedRegions the regions data may live in; all regions when unrestricted
 * @param restricted whether the rule limits the regions at all
 * @param basis why the rule exists (a law, a contract, a policy), for auditors
 */
public record DataResidency(Set<DeploymentRegion> allowedRegions, boolean restricted, String basis) {

    public DataResidency {
        Objects.requireNonNull(allowedRegions, "allowedRegions");
        if (basis == null || basis.isBlank()) {
            throw new GeoValidationException("A data-residency rule needs its basis (the law, contract or policy"
                    + " behind it).");
        }
        if (restricted && allowedRegions.isEmpty()) {
            throw new GeoValidationException("A restricted data-residency rule must allow at least one region.");
        }
        allowedRegions = restricted
                ? Collections.unmodifiableSet(EnumSet.copyOf(allowedRegions))
                : Collections.unmodifiableSet(EnumSet.allOf(DeploymentRegion.class));
    }

    /** A rule that keeps data within {@code regions}. */
    public static DataResidency within(Set<DeploymentRegion> regions, String basis) {
        return new DataResidency(regions, true, basis);
    }

    /** A rule that allows every region. */
    public static DataResidency anywhere(String basis) {
        return new DataResidency(Set.of(), false, basis);
    }

    /** Whether data may live in {@code region}. */
    public boolean permits(DeploymentRegion region) {
        return allowedRegions.contains(Objects.requireNonNull(region, "region"));
    }
}
