package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.test.KeyManagementContract;
import java.util.Set;

/** KMS key management (one region, a fresh namespace per test) against the loopback KMS. */
class AwsKeyManagementContractTest extends KeyManagementContract {
    private AwsCloud cloud;

    @Override
    protected KeyManagement newKeyManagement() {
        cloud = Loopback.cloud(Set.of(DeploymentRegion.CANADA), Loopback.namespace());
        return cloud.requireRegion(DeploymentRegion.CANADA).keys();
    }

    @Override
    protected void close(KeyManagement kms) {
        cloud.close();
    }
}
