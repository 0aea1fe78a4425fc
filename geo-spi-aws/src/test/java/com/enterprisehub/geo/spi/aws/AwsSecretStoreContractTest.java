package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.test.SecretStoreContract;
import java.util.Set;

/** Secrets Manager secrets (one region, a fresh namespace per test) against the loopback Secrets Manager. */
class AwsSecretStoreContractTest extends SecretStoreContract {
    private AwsCloud cloud;

    @Override
    protected SecretStore newSecretStore() {
        cloud = Loopback.cloud(Set.of(DeploymentRegion.US_WEST), Loopback.namespace());
        return cloud.requireRegion(DeploymentRegion.US_WEST).secrets();
    }

    @Override
    protected void close(SecretStore secrets) {
        cloud.close();
    }
}
