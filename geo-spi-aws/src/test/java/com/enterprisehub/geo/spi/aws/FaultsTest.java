package com.enterprisehub.geo.spi.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.aws.LoopbackAws.Fault;
import com.enterprisehub.geo.spi.aws.internal.AwsErrors;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Faults: throttling and 5xx are retried by the SDK's standard retry strategy, a slow server times out, an expired
 * token and a deleted key fail with messages that say what to do, and a failed creation leaves no key or alias.
 */
class FaultsTest {
    private static final byte[] DATA = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final LoopbackAws server = Loopback.aws();

    @AfterEach
    void clear() {
        server.clearFaults();
    }

    private static AwsCloud cloud(AwsSettings.Builder settings) {
        return AwsCloud.open(settings.build(), PlatformEvents.create(), Clock.systemUTC());
    }

    private static CloudRegion europe(AwsCloud cloud) {
        return cloud.requireRegion(DeploymentRegion.EUROPE);
    }

    @Test
    void throttlingIsRetriedUntilItPasses() {
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())) {
            String key = europe(cloud).keys().createKey("tenant-acme");
            server.failNext("kms:GenerateDataKey", Fault.THROTTLE, 2);
            int before = server.calls("kms:GenerateDataKey");
            byte[] wrapped = europe(cloud).keys().wrap(key, DATA, "tenant:acme");
            assertThat(server.calls("kms:GenerateDataKey") - before).as("two throttled attempts, then one that passed")
                    .isEqualTo(3);
            assertThat(europe(cloud).keys().unwrap(key, wrapped, "tenant:acme")).isEqualTo(DATA);
        }
    }

    @Test
    void serverErrorsOnEveryAttemptFailWithAClearMessage() {
        String namespace = Loopback.namespace();
        try (AwsCloud cloud = cloud(Loopback.settings(Set.of(DeploymentRegion.EUROPE), namespace).maxAttempts(2))) {
            europe(cloud).secrets().put("mls/crmls/credentials", "s3cr3t-value");
        }
        try (AwsCloud cloud = cloud(Loopback.settings(Set.of(DeploymentRegion.EUROPE), namespace).maxAttempts(2))) {
            server.failNext("secretsmanager:GetSecretValue", Fault.SERVER_ERROR, 2);
            int before = server.calls("secretsmanager:GetSecretValue");
            assertThatThrownBy(() -> europe(cloud).secrets().get("mls/crmls/credentials"))
                    .isInstanceOf(GeoException.class).hasMessageContaining("server error (500 InternalServiceError")
                    .hasMessageContaining("every attempt").hasMessageContaining("eu-west-2")
                    .hasMessageNotContaining("s3cr3t-value");
            assertThat(server.calls("secretsmanager:GetSecretValue") - before).isEqualTo(2);
            assertThat(europe(cloud).secrets().get("mls/crmls/credentials")).as("once the server recovers")
                    .contains("s3cr3t-value");
        }
    }

    @Test
    void aServerThatDoesNotAnswerInTimeTimesOut() {
        server.slowMillis = 3_000;
        try (AwsCloud cloud = cloud(Loopback.settings(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())
                .timeouts(Duration.ofMillis(1_500), Duration.ofMillis(700)).maxAttempts(2))) {
            String key = europe(cloud).keys().createKey("tenant-acme");
            server.failNext("kms:GenerateDataKey", Fault.SLOW, 3);
            assertThatThrownBy(() -> europe(cloud).keys().wrap(key, DATA, "tenant:acme"))
                    .isInstanceOf(GeoException.class).hasMessageContaining("timed out")
                    .hasMessageContaining("api-call-timeout");
        }
    }

    /**
     * The HTTP client's socket timeout is the attempt's, so either may fire first; the last attempt ending on a socket
     * read timeout was reported as an unreachable endpoint (a CI run of {@link #aServerThatDoesNotAnswerInTimeTimesOut}).
     */
    @Test
    void aSocketReadTimeoutIsReportedAsATimeoutAndARefusedConnectionIsNot() {
        SdkClientException read = SdkClientException.builder()
                .message("Unable to execute HTTP request: Read timed out (SDK Attempt Count: 2)")
                .cause(new SocketTimeoutException("Read timed out")).build();
        assertThat(AwsErrors.failed("Wrapping a data key", "kms:GenerateDataKey", read))
                .hasMessageContaining("timed out").hasMessageContaining("api-call-attempt-timeout").hasCause(read);
        SdkClientException refused = SdkClientException.builder()
                .message("Unable to execute HTTP request: Connection refused")
                .cause(new ConnectException("Connection refused")).build();
        assertThat(AwsErrors.failed("Wrapping a data key", "kms:GenerateDataKey", refused))
                .hasMessageContaining("did not complete").hasMessageNotContaining("api-call-timeout");
    }

    @Test
    void anExpiredTokenFailsWithAdviceAndWritesNothing() {
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())) {
            europe(cloud).secrets().put("db/password", "old");
            server.failNext("secretsmanager:PutSecretValue", Fault.EXPIRED_TOKEN, 1);
            assertThatThrownBy(() -> europe(cloud).secrets().put("db/password", "new"))
                    .isInstanceOf(GeoException.class).hasMessageContaining("ExpiredTokenException")
                    .hasMessageContaining("Refresh them").hasMessageNotContaining("new\"");
            assertThat(europe(cloud).secrets().get("db/password")).contains("old");
        }
    }

    @Test
    void aFailedKeyCreationLeavesNoAliasAndRetiresTheKeyItMade() {
        try (AwsCloud cloud = cloud(Loopback.settings(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())
                .maxAttempts(1))) {
            server.failNext("kms:CreateAlias", Fault.SERVER_ERROR, 1);
            int created = server.calls("kms:CreateKey");
            int scheduled = server.calls("kms:ScheduleKeyDeletion");
            assertThatThrownBy(() -> europe(cloud).keys().createKey("tenant-acme")).isInstanceOf(GeoException.class)
                    .hasMessageContaining("Naming master key 'tenant-acme'").hasMessageContaining("server error");
            assertThat(server.calls("kms:CreateKey") - created).isEqualTo(1);
            assertThat(server.calls("kms:ScheduleKeyDeletion") - scheduled).as("the unnamed key is retired")
                    .isEqualTo(1);
            String key = europe(cloud).keys().createKey("tenant-acme");
            assertThat(server.keyState(key)).isEqualTo("Enabled");
            assertThat(europe(cloud).keys().unwrap(key, europe(cloud).keys().wrap(key, DATA, "t"), "t"))
                    .isEqualTo(DATA);
        }
    }

    @Test
    void aCreateKeyThatTimesOutIsNotRetriedAndTheKeyItMadeIsRetired() {
        String namespace = Loopback.namespace();
        server.slowMillis = 2_000;
        try (AwsCloud cloud = cloud(Loopback.settings(Set.of(DeploymentRegion.EUROPE), namespace)
                .timeouts(Duration.ofSeconds(5), Duration.ofMillis(700)).maxAttempts(3))) {
            // KMS creates the key, but its answer comes too late: the attempt times out.
            server.failNext("kms:CreateKey", Fault.SLOW, 1);
            int created = server.calls("kms:CreateKey");
            try {
                europe(cloud).keys().createKey("tenant-acme");
            } catch (GeoException expected) {
                assertThat(expected).hasMessageContaining("timed out");
            }
            assertThat(server.calls("kms:CreateKey") - created).as("CreateKey is not idempotent: never retried")
                    .isEqualTo(1);
            assertThat(server.keyStatesTagged("eu-west-2", "geo:namespace", namespace))
                    .as("no enabled key without an alias is left behind").containsExactly("PendingDeletion");
            String key = europe(cloud).keys().createKey("tenant-acme");
            assertThat(server.keyState(key)).isEqualTo("Enabled");
        }
    }

    @Test
    void aDeletedKeyIsRefusedWithWhatHappened() {
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())) {
            String key = europe(cloud).keys().createKey("tenant-gone");
            europe(cloud).keys().destroyKey(key);
            assertThatThrownBy(() -> europe(cloud).keys().wrap(key, DATA, "tenant:gone"))
                    .isInstanceOf(GeoException.class).hasMessageContaining("pending deletion")
                    .hasMessageContaining(key);
            String never = key.substring(0, key.length() - 12) + "000000000000";
            assertThatThrownBy(() -> europe(cloud).keys().wrap(never, DATA, "tenant:gone"))
                    .isInstanceOf(GeoException.class).hasMessageContaining("does not exist");
        }
    }
}
