package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.test.ObjectStorageContract;
import java.util.Optional;
import java.util.Set;

/**
 * S3 object storage (one region's bucket, a fresh namespace per test) against {@link LoopbackS3}, the loopback S3
 * server that implements SSE-KMS (S3Proxy does not), with KMS keys of {@link LoopbackAws}. S3Proxy runs the other
 * S3 tests ({@code S3ObjectsTest}, the platform's).
 */
class AwsObjectStorageContractTest extends ObjectStorageContract {
    private AwsCloud cloud;

    @Override
    protected ObjectStorage newObjectStorage() {
        cloud = Loopback.cloudSse(Set.of(DeploymentRegion.EUROPE), Loopback.namespace());
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
