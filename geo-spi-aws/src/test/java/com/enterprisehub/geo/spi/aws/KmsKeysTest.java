package com.enterprisehub.geo.spi.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * What the kit does not see: how many KMS requests envelope encryption costs (the data-key cache), the pending window
 * of crypto-shredding, refusals that happen inside KMS (encryption context, pending deletion) and the SigV4 checks of
 * the loopback server.
 */
class KmsKeysTest {
    private static final byte[] DATA = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final LoopbackAws server = Loopback.aws();

    private static AwsCloud cloud(String namespace, AwsSettings.Builder settings, java.time.Clock clock) {
        return AwsCloud.open(settings.build(), PlatformEvents.create(), clock);
    }

    private static KeyManagement keys(AwsCloud cloud) {
        return cloud.requireRegion(DeploymentRegion.EUROPE).keys();
    }

    @Test
    void unwrappingTheSameValueAgainCostsNoKmsRequestWhileCached() {
        String namespace = Loopback.namespace();
        MutableClock clock = new MutableClock();
        byte[] wrapped;
        String key;
        try (AwsCloud writer = cloud(namespace, Loopback.settings(Set.of(DeploymentRegion.EUROPE), namespace),
                clock)) {
            key = keys(writer).createKey("tenant-acme");
            int generated = server.calls("kms:GenerateDataKey");
            wrapped = keys(writer).wrap(key, DATA, "tenant:acme");
            assertThat(server.calls("kms:GenerateDataKey") - generated).as("GenerateDataKey per wrap").isEqualTo(1);
        }
        try (AwsCloud reader = cloud(namespace, Loopback.settings(Set.of(DeploymentRegion.EUROPE), namespace)
                .dataKeyCache(10, Duration.ofMinutes(5)), clock)) {
            int before = server.calls("kms:Decrypt");
            assertThat(keys(reader).unwrap(key, wrapped, "tenant:acme")).isEqualTo(DATA);
            assertThat(server.calls("kms:Decrypt") - before).as("the first unwrap asks KMS").isEqualTo(1);
            for (int i = 0; i < 50; i++) {
                assertThat(keys(reader).unwrap(key, wrapped, "tenant:acme")).isEqualTo(DATA);
            }
            assertThat(server.calls("kms:Decrypt") - before).as("50 more unwraps within the lifetime").isEqualTo(1);
            clock.advance(Duration.ofMinutes(5));
            keys(reader).unwrap(key, wrapped, "tenant:acme");
            assertThat(server.calls("kms:Decrypt") - before).as("after the cache lifetime").isEqualTo(2);
        }
        try (AwsCloud uncached = cloud(namespace, Loopback.settings(Set.of(DeploymentRegion.EUROPE), namespace)
                .dataKeyCache(0, Duration.ofMinutes(5)), clock)) {
            int before = server.calls("kms:Decrypt");
            keys(uncached).unwrap(key, wrapped, "tenant:acme");
            keys(uncached).unwrap(key, wrapped, "tenant:acme");
            assertThat(server.calls("kms:Decrypt") - before).as("with the cache off").isEqualTo(2);
        }
    }

    @Test
    void anotherContextIsRefusedByKmsItselfNotOnlyLocally() {
        String namespace = Loopback.namespace();
        byte[] wrapped;
        String key;
        try (AwsCloud writer = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), namespace)) {
            key = keys(writer).createKey("tenant-acme");
            wrapped = keys(writer).wrap(key, DATA, "tenant:acme");
        }
        try (AwsCloud reader = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), namespace)) {
            int before = server.calls("kms:Decrypt");
            assertThatThrownBy(() -> keys(reader).unwrap(key, wrapped, "tenant:bay")).isInstanceOf(GeoException.class)
                    .hasMessageContaining("another key or context").hasMessageNotContaining("0123456789abcdef");
            assertThat(server.calls("kms:Decrypt") - before).as("KMS was asked and refused").isEqualTo(1);
        }
    }

    @Test
    void destroyingAKeySchedulesItsDeletionWithTheStatedWindowAndKmsRefusesItFromThen() {
        String namespace = Loopback.namespace();
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), namespace)) {
            String key = keys(cloud).createKey("tenant-acme");
            byte[] wrapped = keys(cloud).wrap(key, DATA, "tenant:acme");
            keys(cloud).destroyKey(key);
            assertThat(server.keyState(key)).isEqualTo("PendingDeletion");
            assertThat(server.pendingWindowDays(key)).as("the default pending window").isEqualTo(7);
            int before = server.calls("kms:Decrypt");
            assertThatThrownBy(() -> keys(cloud).unwrap(key, wrapped, "tenant:acme")).isInstanceOf(GeoException.class)
                    .hasMessageContaining("pending deletion");
            assertThat(server.calls("kms:Decrypt") - before).as("refused here, before the cache or KMS")
                    .isEqualTo(0);
            assertThatThrownBy(() -> keys(cloud).wrap(key, DATA, "tenant:acme")).isInstanceOf(GeoException.class)
                    .hasMessageContaining("pending deletion");
            String again = keys(cloud).createKey("tenant-acme");
            assertThat(again).as("the alias now names a new key").isNotEqualTo(key);
            assertThat(keys(cloud).unwrap(again, keys(cloud).wrap(again, DATA, "tenant:acme"), "tenant:acme"))
                    .isEqualTo(DATA);
        }
    }

    @Test
    void aKeyDestroyedByAnotherProcessStillOpensFromThisCacheAtMostForItsLifetime() {
        String namespace = Loopback.namespace();
        MutableClock clock = new MutableClock();
        try (AwsCloud here = cloud(namespace, Loopback.settings(Set.of(DeploymentRegion.EUROPE), namespace), clock);
                AwsCloud there = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), namespace)) {
            String key = keys(here).createKey("tenant-acme");
            byte[] wrapped = keys(here).wrap(key, DATA, "tenant:acme");
            keys(there).destroyKey(key);
            assertThat(keys(here).unwrap(key, wrapped, "tenant:acme")).as("cached here (documented bound)")
                    .isEqualTo(DATA);
            clock.advance(here.settings().dataKeyCacheLifetime());
            assertThatThrownBy(() -> keys(here).unwrap(key, wrapped, "tenant:acme")).isInstanceOf(GeoException.class)
                    .hasMessageContaining("pending deletion");
        }
    }

    @Test
    void anUnwrapAnsweredJustBeforeTheKeyIsDestroyedDoesNotCacheItsDataKey() throws Exception {
        String namespace = Loopback.namespace();
        byte[] wrapped;
        String key;
        try (AwsCloud writer = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), namespace)) {
            key = keys(writer).createKey("tenant-acme");
            wrapped = keys(writer).wrap(key, DATA, "tenant:acme");
        }
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch destroyed = new java.util.concurrent.CountDownLatch(1);
        String arn = key;
        try (AwsCloud here = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), namespace)) {
            // KMS has decrypted (the key was still enabled); its answer reaches the client only after destroyKey
            // has returned, so the data key arrives after both of destroyKey's cache drops.
            server.beforeReply = (operation, request) -> {
                if (operation.equals("kms:Decrypt") && arn.equals(request.path("KeyId").asText())
                        && answered.getCount() > 0) {
                    answered.countDown();
                    try {
                        destroyed.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            java.util.concurrent.CompletableFuture<byte[]> racing = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> keys(here).unwrap(arn, wrapped, "tenant:acme"));
            assertThat(answered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            keys(here).destroyKey(arn);
            destroyed.countDown();
            try {
                racing.join();
            } catch (java.util.concurrent.CompletionException ignored) {
                // refusing the racing unwrap is allowed too
            }
            server.beforeReply = null;
            int before = server.calls("kms:Decrypt");
            assertThatThrownBy(() -> keys(here).unwrap(arn, wrapped, "tenant:acme")).as("no cached data key of a"
                    + " destroyed key").isInstanceOf(GeoException.class).hasMessageContaining("pending deletion");
            assertThatThrownBy(() -> keys(here).wrap(arn, DATA, "tenant:acme")).isInstanceOf(GeoException.class)
                    .hasMessageContaining("pending deletion");
            assertThat(server.calls("kms:Decrypt") - before).as("refused locally or by KMS, never from the cache")
                    .isLessThanOrEqualTo(1);
        } finally {
            server.beforeReply = null;
            destroyed.countDown();
        }
    }

    @Test
    void theServerChecksTheSigV4ScopeOfEveryRequest() throws Exception {
        int refusedBefore = server.refusals().size();
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())) {
            String key = keys(cloud).createKey("tenant-acme");
            keys(cloud).unwrap(key, keys(cloud).wrap(key, DATA, "tenant:acme"), "tenant:acme");
            cloud.requireRegion(DeploymentRegion.EUROPE).secrets().put("db/password", "p");
        }
        assertThat(server.refusals().subList(refusedBefore, server.refusals().size()))
                .as("what the cloud sent was signed for its region and service").isEmpty();

        try (KmsClient tokyo = KmsClient.builder().region(Region.AP_NORTHEAST_1).endpointOverride(server.endpoint())
                .credentialsProvider(Loopback.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThatThrownBy(() -> tokyo.createKey(b -> { })).isInstanceOf(KmsException.class)
                    .hasMessageContaining("valid region");
        }
        assertThat(server.refusals()).anyMatch(r -> r.contains("region ap-northeast-1"));

        HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                server.endpoint() + "/")).header("X-Amz-Target", "TrentService.CreateKey")
                .header("Content-Type", "application/x-amz-json-1.1").POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(unsigned.body()).contains("MissingAuthenticationTokenException");

        HttpResponse<String> wrongService = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                server.endpoint() + "/")).header("X-Amz-Target", "TrentService.CreateKey")
                .header("X-Amz-Date", "20261203T080000Z")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + LoopbackAws.ACCESS_KEY
                        + "/20261203/eu-west-2/s3/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature="
                        + "0".repeat(64))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongService.body()).contains("InvalidSignatureException").contains("'kms'");
    }

    @Test
    void theServerRecomputesTheSignatureAndRefusesAWrongSecretKey() {
        int refusedBefore = server.refusals().size();
        var wrongSecret = software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(LoopbackAws.ACCESS_KEY,
                        "not-the-loopback-secret"));
        try (KmsClient kms = KmsClient.builder().region(Region.EU_WEST_2).endpointOverride(server.endpoint())
                .credentialsProvider(wrongSecret).httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThatThrownBy(() -> kms.createKey(b -> { })).isInstanceOf(KmsException.class)
                    .hasMessageContaining("signature");
        }
        assertThat(server.refusals().subList(refusedBefore, server.refusals().size()))
                .anyMatch(r -> r.contains("signature does not match"));
        try (KmsClient kms = KmsClient.builder().region(Region.EU_WEST_2).endpointOverride(server.endpoint())
                .credentialsProvider(Loopback.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(kms.createKey(b -> b.description("signed right")).keyMetadata().arn()).contains("eu-west-2");
        }
    }

    @Test
    void keyIdsAreRegionScopedArns() throws IOException {
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE, DeploymentRegion.ASIA_PACIFIC),
                Loopback.namespace())) {
            String uk = keys(cloud).createKey("market-gb");
            String au = cloud.requireRegion(DeploymentRegion.ASIA_PACIFIC).keys().createKey("market-gb");
            assertThat(uk).matches("arn:aws:kms:eu-west-2:\\d{12}:key/[0-9a-f-]{36}");
            assertThat(au).matches("arn:aws:kms:ap-southeast-2:\\d{12}:key/[0-9a-f-]{36}");
            assertThatThrownBy(() -> keys(cloud).wrap(au, DATA, "market:gb")).isInstanceOf(GeoException.class)
                    .hasMessageContaining("ap-southeast-2").hasMessageContaining("region that created it");
        }
    }
}
