package com.example.geo.memory;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.test.KeyManagementContract;
import java.util.Set;

/** One region's key management of a fresh memory cloud passes the SDK's key-management kit. */
class MemoryKeyManagementContractTest extends KeyManagementContract {
    private Cloud cloud;

    @Override
    protected KeyManagement newKeyManagement() {
        cloud = MemoryClouds.open(Set.of(DeploymentRegion.CANADA));
        return cloud.requireRegion(DeploymentRegion.CANADA).keys();
    }

    @Override
    protected void close(KeyManagement kms) {
        cloud.close();
    }
}
