package com.enterprisehub.geo.spi.cloud;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import java.util.Optional;
import java.util.Set;

/**
 * A cloud account the platform deploys markets into: the regions it can use and, in each, key management,
 * secrets and object storage. Resources of one region never hold another region's data, so a market's
 * keys, secrets and files stay where its data-residency rule allows. Implementations are thread-safe.
 */
public interface Cloud extends AutoCloseable {

    /** The provider's name ("local", "aws"). */
    String name();

    /** The regions this cloud can deploy to, in {@link DeploymentRegion} order. */
    Set<DeploymentRegion> regions();

    /** The services of {@code region}, if this cloud can deploy there. */
    Optional<CloudRegion> region(DeploymentRegion region);

    /**
     * The services of {@code region}.
     *
     * @throws GeoException if this cloud cannot deploy there (the message lists where it can)
     */
    default CloudRegion requireRegion(DeploymentRegion region) {
        return region(region).orElseThrow(() -> new GeoException("Cloud '" + name() + "' cannot deploy to " + region
                + "; it offers " + regions() + ". Choose a market region it offers, or configure the cloud for "
                + region + "."));
    }

    /** Releases what the cloud holds open (clients, files). Default: nothing. */
    @Override
    default void close() {
    }
}
