package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.test.CloudContract;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** The whole provider, selected by name, on the loopback servers: three regions, each its own KMS, secrets, bucket. */
class AwsCloudContractTest extends CloudContract {
    @Override
    protected Cloud newCloud(Set<DeploymentRegion> regions) {
        return Providers.fromClassPath().select(CloudProvider.class, "aws").open(ProviderContext.builder()
                .settings(Loopback.contextSettings(regions, Loopback.namespace()))
                .object(AwsCredentialsProvider.class, Loopback.CREDENTIALS).build());
    }
}
