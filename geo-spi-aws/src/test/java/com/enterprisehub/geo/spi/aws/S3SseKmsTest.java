package com.enterprisehub.geo.spi.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.event.PlatformEvent;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.ObjectProtection;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * SSE-KMS with a tenant's own key, over real HTTP: the headers the aws cloud sends and checks, against
 * {@link LoopbackS3} (which implements SSE-KMS and verifies SigV4) and S3Proxy (which does not implement it).
 */
class S3SseKmsTest {
    private static final String BUCKET = "geo-test-eu-west-2";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPutUnderATenantKeySendsTheSseKmsHeadersSignedAndReadsCheckTheAnswer() {
        String ns = Loopback.namespace();
        try (AwsCloud cloud = Loopback.cloudSse(Set.of(DeploymentRegion.EUROPE), ns)) {
            CloudRegion europe = cloud.requireRegion(DeploymentRegion.EUROPE);
            String arn = europe.keys().createKey("tenant-acme");
            int before = Loopback.s3Sse().received().size();
            europe.objects().put("exports/acme/rows.jsonl", utf8("rows"), ObjectProtection.masterKey(arn));
            List<LoopbackS3.Received> sent = Loopback.s3Sse().received();
            LoopbackS3.Received put = sent.subList(before, sent.size()).stream()
                    .filter(r -> r.method().equals("PUT") && r.path().endsWith(ns + "/exports/acme/rows.jsonl"))
                    .findFirst().orElseThrow();
            assertThat(put.headers()).containsEntry("x-amz-server-side-encryption", "aws:kms")
                    .containsEntry("x-amz-server-side-encryption-aws-kms-key-id", arn)
                    .containsEntry("x-amz-meta-geo-kms-key", arn);
            assertThat(put.headers().get("authorization")).as("the SSE headers are signed")
                    .contains("x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id");

            // A plain put asks for the configured default (SSE-KMS, the bucket's or S3's key): no tenant key id.
            europe.objects().put("markets/gb/bundle.json", utf8("{}"));
            LoopbackS3.Received plain = Loopback.s3Sse().received().stream()
                    .filter(r -> r.method().equals("PUT") && r.path().endsWith(ns + "/markets/gb/bundle.json"))
                    .findFirst().orElseThrow();
            assertThat(plain.headers()).containsEntry("x-amz-server-side-encryption", "aws:kms")
                    .doesNotContainKey("x-amz-server-side-encryption-aws-kms-key-id")
                    .doesNotContainKey("x-amz-meta-geo-kms-key");
            assertThat(Loopback.s3Sse().refusals()).as("requests whose SigV4 signature the server refused").isEmpty();
        }
    }

    @Test
    void bucketKeysAreAskedForOnlyWhenConfigured() {
        String ns = Loopback.namespace();
        try (AwsCloud cloud = AwsCloud.open(Loopback.settingsSse(Set.of(DeploymentRegion.EUROPE), ns).bucketKeys(true)
                .build(), PlatformEvents.create(), Clock.systemUTC())) {
            CloudRegion europe = cloud.requireRegion(DeploymentRegion.EUROPE);
            ObjectProtection acme = ObjectProtection.masterKey(europe.keys().createKey("tenant-acme"));
            europe.objects().put("exports/acme/rows.jsonl", utf8("rows"), acme);
            europe.objects().put("markets/gb/bundle.json", utf8("{}"));
            assertThat(europe.objects().get("exports/acme/rows.jsonl", acme)).isPresent();
        }
        try (AwsCloud cloud = Loopback.cloudSse(Set.of(DeploymentRegion.EUROPE), ns)) {
            cloud.requireRegion(DeploymentRegion.EUROPE).objects().put("markets/gb/other.json", utf8("{}"));
        }
        List<LoopbackS3.Received> puts = Loopback.s3Sse().received().stream()
                .filter(r -> r.method().equals("PUT") && r.path().contains("/" + ns + "/")).toList();
        assertThat(puts).hasSize(3);
        assertThat(puts.subList(0, 2)).as("with s3.bucket-keys").allSatisfy(r -> assertThat(r.headers())
                .containsEntry("x-amz-server-side-encryption-bucket-key-enabled", "true"));
        assertThat(puts.get(2).headers()).as("by default")
                .doesNotContainKey("x-amz-server-side-encryption-bucket-key-enabled");
    }

    @Test
    void anObjectReencryptedBehindTheStoresBackIsRefusedWithASecurityEvent() {
        List<PlatformEvent> events = Collections.synchronizedList(new ArrayList<>());
        PlatformEvents bus = PlatformEvents.create();
        bus.subscribe(events::add);
        String ns = Loopback.namespace();
        try (AwsCloud cloud = AwsCloud.open(Loopback.settingsSse(Set.of(DeploymentRegion.EUROPE), ns).build(), bus,
                Clock.systemUTC())) {
            CloudRegion europe = cloud.requireRegion(DeploymentRegion.EUROPE);
            String acme = europe.keys().createKey("tenant-acme");
            String globex = europe.keys().createKey("tenant-globex");
            ObjectProtection key = ObjectProtection.masterKey(acme);
            europe.objects().put("exports/acme/rows.jsonl", utf8("rows"), key);

            // Someone with write access re-encrypts it under another tenant's key: S3's headers now say so.
            Loopback.s3Sse().reencrypt(BUCKET, ns + "/exports/acme/rows.jsonl", "aws:kms", globex);
            assertThatThrownBy(() -> europe.objects().get("exports/acme/rows.jsonl", key))
                    .isInstanceOf(GeoException.class).hasMessageContaining(globex).hasMessageContaining(acme);
            assertThatThrownBy(() -> europe.objects().open("exports/acme/rows.jsonl", key))
                    .isInstanceOf(GeoException.class).hasMessageContaining(globex);
            assertThatThrownBy(() -> europe.objects().head("exports/acme/rows.jsonl", key))
                    .isInstanceOf(GeoException.class).hasMessageContaining(globex);

            // ... or under S3's own keys (SSE-S3): not under the tenant's key, refused.
            Loopback.s3Sse().reencrypt(BUCKET, ns + "/exports/acme/rows.jsonl", "AES256", null);
            assertThatThrownBy(() -> europe.objects().get("exports/acme/rows.jsonl", key))
                    .isInstanceOf(GeoException.class).hasMessageContaining("not encrypted under a KMS key")
                    .hasMessageContaining("AES256");
            assertThat(events).as("one event per refused read").hasSize(4).allSatisfy(e -> assertThat(e)
                    .isInstanceOfSatisfying(AwsSecurityEvent.class, s -> {
                        assertThat(s.kind()).isEqualTo("object-protection-mismatch");
                        assertThat(s.detail()).contains("exports/acme/rows.jsonl");
                    }));
        }
    }

    @Test
    void aTenantKeyOfAnotherRegionIsRefusedBeforeAnyRequestWithWhatToConfigure() {
        List<PlatformEvent> events = Collections.synchronizedList(new ArrayList<>());
        PlatformEvents bus = PlatformEvents.create();
        bus.subscribe(events::add);
        String ns = Loopback.namespace();
        try (AwsCloud cloud = AwsCloud.open(Loopback.settingsSse(EnumSet.of(DeploymentRegion.US_WEST,
                DeploymentRegion.EUROPE), ns).build(), bus, Clock.systemUTC())) {
            String oregon = cloud.requireRegion(DeploymentRegion.US_WEST).keys().createKey("tenant-acme");
            ObjectStorage europe = cloud.requireRegion(DeploymentRegion.EUROPE).objects();
            int before = Loopback.s3Sse().received().size();
            assertThatThrownBy(() -> europe.put("exports/acme/rows.jsonl", utf8("rows"),
                    ObjectProtection.masterKey(oregon))).isInstanceOf(GeoException.class)
                    .hasMessageContaining("us-west-2").hasMessageContaining("eu-west-2")
                    .hasMessageContaining("cloud.requireRegion(EUROPE).keys().createKey");
            assertThatThrownBy(() -> europe.put("exports/acme/rows.jsonl", new ByteArrayInputStream(utf8("rows")),
                    ObjectProtection.masterKey(oregon))).isInstanceOf(GeoException.class);
            assertThatThrownBy(() -> europe.get("exports/acme/rows.jsonl", ObjectProtection.masterKey(oregon)))
                    .isInstanceOf(GeoException.class).hasMessageContaining("us-west-2");
            assertThatThrownBy(() -> europe.put("exports/acme/rows.jsonl", utf8("rows"),
                    ObjectProtection.masterKey("alias/geo/tenant-acme"))).as("an alias names no region")
                    .isInstanceOf(GeoException.class).hasMessageContaining("not a KMS key ARN");
            assertThat(Loopback.s3Sse().received().subList(before, Loopback.s3Sse().received().size()))
                    .as("requests sent to S3").isEmpty();
            assertThat(events).as("one residency event per refused key of another region").hasSize(3)
                    .allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(AwsSecurityEvent.class, s -> {
                        assertThat(s.kind()).isEqualTo("residency-violation");
                        assertThat(s.region()).isEqualTo(DeploymentRegion.EUROPE);
                    }));
        }
    }

    @Test
    void aDefaultKmsKeySettingOfAnotherRegionIsRefusedWhenTheCloudOpens() {
        AwsSettings settings = Loopback.settingsSse(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())
                .s3KmsKey("arn:aws:kms:us-east-1:" + LoopbackAws.ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab")
                .build();
        assertThatThrownBy(() -> AwsCloud.open(settings, PlatformEvents.create(), Clock.systemUTC()))
                .isInstanceOf(GeoException.class).hasMessageContaining("s3.kms-key").hasMessageContaining("us-east-1")
                .hasMessageContaining("eu-west-2");
    }

    @Test
    void aDefaultKmsKeySettingGivenAsAnAliasArnIsAcceptedInItsRegionAndRefusedInAnother() {
        AwsSettings inRegion = Loopback.settingsSse(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())
                .s3KmsKey("arn:aws:kms:eu-west-2:" + LoopbackAws.ACCOUNT + ":alias/geo-default").build();
        try (AwsCloud cloud = AwsCloud.open(inRegion, PlatformEvents.create(), Clock.systemUTC())) {
            assertThat(cloud.requireRegion(DeploymentRegion.EUROPE).objects()).as("opened with an alias ARN")
                    .isNotNull();
        }
        AwsSettings elsewhere = Loopback.settingsSse(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())
                .s3KmsKey("arn:aws:kms:us-east-1:" + LoopbackAws.ACCOUNT + ":alias/geo-default").build();
        assertThatThrownBy(() -> AwsCloud.open(elsewhere, PlatformEvents.create(), Clock.systemUTC()))
                .isInstanceOf(GeoException.class).hasMessageContaining("s3.kms-key").hasMessageContaining("us-east-1")
                .hasMessageContaining("eu-west-2");
        AwsSettings notAKey = Loopback.settingsSse(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())
                .s3KmsKey("arn:aws:kms:eu-west-2:" + LoopbackAws.ACCOUNT + ":grant/x").build();
        assertThatThrownBy(() -> AwsCloud.open(notAKey, PlatformEvents.create(), Clock.systemUTC()))
                .isInstanceOf(GeoException.class).hasMessageContaining("s3.kms-key");
    }

    @Test
    void aPutAnsweredWithAnotherKeyArnIsRefusedAndNothingIsKept() throws Exception {
        List<PlatformEvent> events = Collections.synchronizedList(new ArrayList<>());
        PlatformEvents bus = PlatformEvents.create();
        bus.subscribe(events::add);
        try (LoopbackS3 server = new LoopbackS3(Loopback.SERVED, Loopback.aws())) {
            try (AwsCloud cloud = AwsCloud.open(Loopback.settings(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())
                    .s3Endpoint(server.endpoint()).build(), bus, Clock.systemUTC())) {
                CloudRegion europe = cloud.requireRegion(DeploymentRegion.EUROPE);
                ObjectProtection acme = ObjectProtection.masterKey(europe.keys().createKey("tenant-acme"));
                String otherArn = europe.keys().createKey("tenant-globex");
                // S3 answers aws:kms, as asked, but names another key than the one sent.
                server.answerKmsArn = otherArn;
                assertThatThrownBy(() -> europe.objects().put("exports/acme/rows.jsonl", utf8("rows"), acme))
                        .isInstanceOf(GeoException.class).hasMessageContaining("did not confirm")
                        .hasMessageContaining(otherArn);
                assertThatThrownBy(() -> europe.objects().put("exports/acme/big.jsonl",
                        new ByteArrayInputStream(new byte[100_000]), acme)).as("streamed")
                        .isInstanceOf(GeoException.class).hasMessageContaining(otherArn);
                server.answerKmsArn = null;
                assertThat(europe.objects().list("")).as("objects left").isEmpty();
                assertThat(events).as("one event per unconfirmed put").hasSize(2).allSatisfy(e -> assertThat(e)
                        .isInstanceOfSatisfying(AwsSecurityEvent.class, s -> assertThat(s.kind())
                                .isEqualTo("object-protection-mismatch")));
            }
        }
    }

    @Test
    void theDeleteAfterAnUnconfirmedPutLeavesAConcurrentWritersObject() throws Exception {
        try (LoopbackS3 server = new LoopbackS3(Loopback.SERVED, Loopback.aws())) {
            String ns = Loopback.namespace();
            try (AwsCloud cloud = AwsCloud.open(Loopback.settings(Set.of(DeploymentRegion.EUROPE), ns)
                    .s3Endpoint(server.endpoint()).build(), PlatformEvents.create(), Clock.systemUTC())) {
                CloudRegion europe = cloud.requireRegion(DeploymentRegion.EUROPE);
                String acmeArn = europe.keys().createKey("tenant-acme");
                ObjectProtection acme = ObjectProtection.masterKey(acmeArn);
                String otherArn = europe.keys().createKey("tenant-globex");
                byte[] winner = utf8("the rows another writer stored, confirmed");
                // The put is answered with another key; before its delete arrives, another writer's put lands.
                server.answerKmsArn = otherArn;
                server.beforeDelete = (bucket, key) -> {
                    server.beforeDelete = null;
                    server.answerKmsArn = null;
                    europe.objects().put("exports/acme/rows.jsonl", winner, acme);
                };
                assertThatThrownBy(() -> europe.objects().put("exports/acme/rows.jsonl", utf8("rows"), acme))
                        .isInstanceOf(GeoException.class).hasMessageContaining("did not confirm");
                assertThat(server.received()).as("the delete is conditional on the ETag the put returned")
                        .anySatisfy(r -> {
                            assertThat(r.method()).isEqualTo("DELETE");
                            assertThat(r.headers()).containsKey("if-match");
                        });
                assertThat(europe.objects().get("exports/acme/rows.jsonl", acme)).as("the other writer's object")
                        .hasValueSatisfying(c -> assertThat(c).isEqualTo(winner));

                // Without a concurrent writer, the unconfirmed object is deleted.
                server.answerKmsArn = otherArn;
                assertThatThrownBy(() -> europe.objects().put("exports/acme/alone.jsonl", utf8("rows"), acme))
                        .isInstanceOf(GeoException.class).hasMessageContaining("did not confirm");
                server.answerKmsArn = null;
                assertThat(europe.objects().head("exports/acme/alone.jsonl")).as("the unconfirmed object").isEmpty();
            }
        }
    }

    @Test
    void aServerThatIgnoresSseKmsStoresNothingUnderATenantKey() throws Exception {
        // A second loopback S3 told to ignore the SSE headers, as S3Proxy does when told to accept them.
        try (LoopbackS3 ignoring = new LoopbackS3(Loopback.SERVED, Loopback.aws())) {
            ignoring.ignoreSse = true;
            String ns = Loopback.namespace();
            try (AwsCloud cloud = AwsCloud.open(Loopback.settings(Set.of(DeploymentRegion.EUROPE), ns)
                    .s3Endpoint(ignoring.endpoint()).build(), PlatformEvents.create(), Clock.systemUTC())) {
                refusedAndNothingLeft(cloud.requireRegion(DeploymentRegion.EUROPE));
            }
        }
        // S3Proxy itself (the tests' real S3 API server) ignores the headers the same way.
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())) {
            refusedAndNothingLeft(cloud.requireRegion(DeploymentRegion.EUROPE));
        }
    }

    private static void refusedAndNothingLeft(CloudRegion region) {
        ObjectProtection key = ObjectProtection.masterKey(region.keys().createKey("tenant-acme"));
        assertThatThrownBy(() -> region.objects().put("exports/acme/rows.jsonl", utf8("rows"), key))
                .isInstanceOf(GeoException.class).hasMessageContaining("did not confirm")
                .hasMessageContaining("no server-side encryption");
        assertThatThrownBy(() -> region.objects().put("exports/acme/big.jsonl", new ByteArrayInputStream(
                new byte[100_000]), key)).isInstanceOf(GeoException.class).hasMessageContaining("did not confirm");
        assertThat(region.objects().list("")).as("objects left").isEmpty();
    }

    @Test
    void theLoopbackServerRefusesAWrongSignature() {
        try (S3Client wrong = S3Client.builder().region(Region.EU_WEST_2).endpointOverride(Loopback.s3Sse().endpoint())
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LoopbackAws.ACCESS_KEY, "not-the-secret-key"))).build()) {
            int refusedBefore = Loopback.s3Sse().refusals().size();
            assertThatThrownBy(() -> wrong.putObject(b -> b.bucket(BUCKET).key("forged"),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(utf8("x"))))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
            assertThat(Loopback.s3Sse().refusals().subList(refusedBefore, Loopback.s3Sse().refusals().size()))
                    .anyMatch(r -> r.contains("signature does not match"));
        }
    }
}
