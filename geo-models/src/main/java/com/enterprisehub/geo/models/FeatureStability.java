package com.enterprisehub.geo.models;

import java.util.Objects;

/**
 * The population stability index of one feature in one market between training rows and recent ones.
 *
 * @param feature the feature's name (as in {@link FeatureSchema})
 * @param psi {@code sum over bins of (recent - training) ln(recent / training)} of the bins' shares; 0 for the same
 *     distribution
 * @param drifted whether {@code psi} reaches the check's threshold
 */
public record FeatureStability(String feature, double psi, boolean drifted) {
    public FeatureStability {
        Objects.requireNonNull(feature, "feature");
    }
}
