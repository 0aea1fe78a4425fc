package com.enterprisehub.geo.spi.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/** The cloud closes the credentials provider it built, once, and never one the host gave it. */
class CredentialsLifecycleTest {

    /** A provider of the loopback credentials that counts how often it is closed. */
    static final class Counting implements AwsCredentialsProvider, SdkAutoCloseable {
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public AwsCredentials resolveCredentials() {
            return Loopback.CREDENTIALS.resolveCredentials();
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void aProviderTheCloudBuiltIsBuiltOnceAndClosedWithTheCloud() {
        AtomicInteger built = new AtomicInteger();
        Counting provider = new Counting();
        AwsSettings settings = Loopback.settings(Set.of(DeploymentRegion.EUROPE, DeploymentRegion.CANADA),
                Loopback.namespace()).credentialsFactory(() -> {
                    built.incrementAndGet();
                    return provider;
                }).build();
        try (AwsCloud cloud = AwsCloud.open(settings, PlatformEvents.create(), Clock.systemUTC())) {
            cloud.requireRegion(DeploymentRegion.EUROPE).secrets().put("db/password", "p");
            assertThat(built).as("one provider for every client of the cloud").hasValue(1);
            assertThat(provider.closed).hasValue(0);
        }
        assertThat(provider.closed).as("closed with the cloud").hasValue(1);
    }

    @Test
    void aProviderTheHostGaveStaysOpen() {
        Counting given = new Counting();
        try (AwsCloud cloud = AwsCloud.open(Loopback.settings(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())
                .credentials(given).build(), PlatformEvents.create(), Clock.systemUTC())) {
            cloud.requireRegion(DeploymentRegion.EUROPE).secrets().put("db/password", "p");
        }
        assertThat(given.closed).as("the host closes what it gave").hasValue(0);
    }
}
