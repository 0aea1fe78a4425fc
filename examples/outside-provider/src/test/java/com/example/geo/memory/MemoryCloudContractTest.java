package com.example.geo.memory;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.test.CloudContract;
import java.util.Set;

/** The memory cloud passes the SDK's cloud kit, opened by name as a host opens it. */
class MemoryCloudContractTest extends CloudContract {
    @Override
    protected Cloud newCloud(Set<DeploymentRegion> regions) {
        return MemoryClouds.open(regions);
    }
}
