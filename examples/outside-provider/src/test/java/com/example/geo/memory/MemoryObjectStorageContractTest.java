package com.example.geo.memory;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.test.ObjectStorageContract;
import java.util.Optional;
import java.util.Set;

/**
 * One region's object storage of a fresh memory cloud (default object limit) passes the SDK's object-storage kit,
 * objects under the region's master keys included.
 */
class MemoryObjectStorageContractTest extends ObjectStorageContract {
    private Cloud cloud;

    @Override
    protected ObjectStorage newObjectStorage() {
        cloud = MemoryClouds.open(Set.of(DeploymentRegion.EUROPE));
        return cloud.requireRegion(DeploymentRegion.EUROPE).objects();
    }

    @Override
    protected Optional<KeyManagement> regionKeys() {
        return Optional.of(cloud.requireRegion(DeploymentRegion.EUROPE).keys());
    }

    @Override
    protected void close(ObjectStorage objects) {
        cloud.close();
    }
}
