package com.enterprisehub.geo.spi.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.aws.internal.SecretsManagerSecrets;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Version stages and the secret cache's stated lifetime, against the loopback Secrets Manager. */
class SecretsManagerTest {
    private final LoopbackAws server = Loopback.aws();

    @Test
    void eachPutIsANewVersionStagedCurrentAndThePreviousOneStaysReadable() {
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.CANADA), Loopback.namespace())) {
            SecretsManagerSecrets secrets = (SecretsManagerSecrets) cloud.requireRegion(DeploymentRegion.CANADA)
                    .secrets();
            secrets.put("db/geo_app.password", "first");
            secrets.put("db/geo_app.password", "second");
            assertThat(secrets.get("db/geo_app.password")).contains("second");
            assertThat(secrets.get("db/geo_app.password", "AWSCURRENT")).contains("second");
            assertThat(secrets.get("db/geo_app.password", "AWSPREVIOUS")).contains("first");
            assertThat(secrets.get("db/geo_app.password", "AWSPENDING")).isEmpty();
        }
    }

    @Test
    void aRotationDoneElsewhereIsSeenOnceTheCacheLifetimeHasPassed() {
        String namespace = Loopback.namespace();
        MutableClock clock = new MutableClock();
        try (AwsCloud cloud = AwsCloud.open(Loopback.settings(Set.of(DeploymentRegion.CANADA), namespace)
                .secretCacheLifetime(Duration.ofSeconds(30)).build(), PlatformEvents.create(), clock)) {
            SecretStore secrets = cloud.requireRegion(DeploymentRegion.CANADA).secrets();
            secrets.put("db/password", "before-rotation");
            assertThat(secrets.get("db/password")).contains("before-rotation");
            int reads = server.calls("secretsmanager:GetSecretValue");
            server.rotateSecret("ca-central-1", namespace + "/db/password", "after-rotation");
            clock.advance(Duration.ofSeconds(29));
            assertThat(secrets.get("db/password")).as("within the cache lifetime").contains("before-rotation");
            assertThat(server.calls("secretsmanager:GetSecretValue")).as("no request while cached").isEqualTo(reads);
            clock.advance(Duration.ofSeconds(1));
            assertThat(secrets.get("db/password")).as("once it has passed").contains("after-rotation");
            assertThat(server.calls("secretsmanager:GetSecretValue")).isEqualTo(reads + 1);
            secrets.put("db/password", "written-here");
            assertThat(secrets.get("db/password")).as("a write through the store is seen at once")
                    .contains("written-here");
        }
    }
}
