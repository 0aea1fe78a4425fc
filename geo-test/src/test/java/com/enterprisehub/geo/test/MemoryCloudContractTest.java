package com.enterprisehub.geo.test;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.Cloud;
import java.util.Set;

/** The cloud kit against the correct in-memory cloud of these tests: every kit test passes. */
class MemoryCloudContractTest extends CloudContract {
    @Override
    protected Cloud newCloud(Set<DeploymentRegion> regions) {
        return new MemoryCloud(regions);
    }
}
