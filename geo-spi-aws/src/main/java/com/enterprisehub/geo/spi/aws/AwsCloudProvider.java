package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;

/**
 * The provider behind {@code Providers.fromClassPath().select(CloudProvider.class, "aws")}: opens an
 * {@link AwsCloud} configured by the context's settings ({@link AwsSettings#from}), publishing its security events
 * to the context's event bus and using its clock. Give an
 * {@link software.amazon.awssdk.auth.credentials.AwsCredentialsProvider} object to the context to choose the
 * credentials; otherwise the SDK's default chain is used. Priority -100, the {@code local} cloud's: a host with both
 * on the class path must select one by name (a tie at the top is an error that says so), so neither an unconfigured
 * AWS account nor unencrypted local keys are ever chosen by accident; a host with this provider alone gets it.
 * Stateless and thread-safe.
 */
public final class AwsCloudProvider implements CloudProvider {
    /** For {@link java.util.ServiceLoader}. */
    public AwsCloudProvider() {
    }

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public Cloud open(ProviderContext context) {
        return AwsCloud.open(AwsSettings.from(context), context.events(), context.clock());
    }
}
