package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.test.CloudContract;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The whole provider, selected by name, on the loopback servers: three regions, each its own KMS, secrets, bucket
 * (on {@link LoopbackS3}, which implements SSE-KMS, so objects under each region's own keys are exercised).
 */
class AwsCloudContractTest extends CloudContract {
    @Override
    protected Cloud newCloud(Set<DeploymentRegion> regions) {
        java.util.Map<String, String> settings = Loopback.contextSettings(regions, Loopback.namespace());
        settings.put("endpoint.s3", Loopback.s3Sse().endpoint().toString());
        return Providers.fromClassPath().select(CloudProvider.class, "aws").open(ProviderContext.builder()
                .settings(settings)
                .object(AwsCredentialsProvider.class, Loopback.CREDENTIALS).build());
    }
}
