package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.test.ObjectStorageContract;
import java.util.Set;

/** S3 object storage (one region's bucket, a fresh namespace per test) against S3Proxy. */
class AwsObjectStorageContractTest extends ObjectStorageContract {
    private AwsCloud cloud;

    @Override
    protected ObjectStorage newObjectStorage() {
        cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), Loopback.namespace());
        return cloud.requireRegion(DeploymentRegion.EUROPE).objects();
    }

    @Override
    protected void close(ObjectStorage objects) {
        cloud.close();
    }
}
