package com.enterprisehub.geo.spi.cloud;

import com.enterprisehub.geo.core.market.DeploymentRegion;

/** The services a {@link Cloud} offers in one region. Thread-safe. */
public interface CloudRegion {

    /** The platform region. */
    DeploymentRegion region();

    /** The provider's name for it ("ca-central-1", or a directory for the local cloud). */
    String location();

    /** Master keys kept in this region. */
    KeyManagement keys();

    /** Secrets kept in this region. */
    SecretStore secrets();

    /** Object storage in this region. */
    ObjectStorage objects();
}
