package com.example.geo.memory;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.test.SecretStoreContract;
import java.util.Set;

/** One region's secrets of a fresh memory cloud pass the SDK's secret-store kit. */
class MemorySecretStoreContractTest extends SecretStoreContract {
    private Cloud cloud;

    @Override
    protected SecretStore newSecretStore() {
        cloud = MemoryClouds.open(Set.of(DeploymentRegion.US_WEST));
        return cloud.requireRegion(DeploymentRegion.US_WEST).secrets();
    }

    @Override
    protected void close(SecretStore secrets) {
        cloud.close();
    }
}
