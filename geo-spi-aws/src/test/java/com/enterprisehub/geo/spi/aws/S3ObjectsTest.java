package com.enterprisehub.geo.spi.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.event.PlatformEvent;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** What the object-storage kit does not see: integrity checks on read, and the bucket checks when a cloud opens. */
class S3ObjectsTest {

    private static S3Client raw() {
        return S3Client.builder().region(Region.EU_WEST_2).credentialsProvider(Loopback.CREDENTIALS)
                .endpointOverride(Loopback.s3()).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void anObjectAlteredBehindTheStoresBackIsRefusedOnReadAndAtTheEndOfAStream() throws IOException {
        String namespace = Loopback.namespace();
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), namespace); S3Client s3 = raw()) {
            ObjectStorage objects = cloud.requireRegion(DeploymentRegion.EUROPE).objects();
            StoredObject stored = objects.put("exports/acme/rows.jsonl", "the original rows".getBytes(
                    StandardCharsets.UTF_8));
            // Someone rewrites the object, keeping its recorded digest.
            s3.putObject(b -> b.bucket("geo-test-eu-west-2").key(namespace + "/exports/acme/rows.jsonl")
                    .metadata(Map.of("sha256", stored.sha256())), RequestBody.fromString("the altered rows!"));
            assertThatThrownBy(() -> objects.get("exports/acme/rows.jsonl")).isInstanceOf(GeoException.class)
                    .hasMessageContaining("does not match the SHA-256");
            try (InputStream in = objects.open("exports/acme/rows.jsonl").orElseThrow()) {
                assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                        .hasMessageContaining("does not match the SHA-256");
                // The failure is sticky: a caller that catches it and reads on never sees a clean end.
                assertThatThrownBy(in::read).as("read() after the failure").isInstanceOf(IOException.class)
                        .hasMessageContaining("does not match the SHA-256");
                assertThatThrownBy(() -> in.read(new byte[16])).as("read(byte[]) after the failure")
                        .isInstanceOf(IOException.class).hasMessageContaining("does not match the SHA-256");
            }
        }
    }

    @Test
    void anObjectWithoutItsRecordedDigestIsRefusedByGetOpenHeadAndList() {
        String namespace = Loopback.namespace();
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), namespace); S3Client s3 = raw()) {
            ObjectStorage objects = cloud.requireRegion(DeploymentRegion.EUROPE).objects();
            // Written by something other than this store: no sha256 metadata, so nothing to check it against.
            s3.putObject(b -> b.bucket("geo-test-eu-west-2").key(namespace + "/exports/acme/planted.jsonl"),
                    RequestBody.fromString("planted rows"));
            assertThatThrownBy(() -> objects.get("exports/acme/planted.jsonl")).isInstanceOf(GeoException.class)
                    .hasMessageContaining("no SHA-256");
            assertThatThrownBy(() -> objects.open("exports/acme/planted.jsonl")).isInstanceOf(GeoException.class)
                    .hasMessageContaining("no SHA-256");
            assertThatThrownBy(() -> objects.head("exports/acme/planted.jsonl")).isInstanceOf(GeoException.class)
                    .hasMessageContaining("no SHA-256");
            assertThatThrownBy(() -> objects.list("exports/acme/")).isInstanceOf(GeoException.class)
                    .hasMessageContaining("planted.jsonl");
            objects.delete("exports/acme/planted.jsonl");
            assertThat(objects.list("exports/acme/")).as("deletion still works, for offboarding").isEmpty();
        }
    }

    @Test
    void aMissingBucketIsRefusedWithWhatToDo() {
        AwsSettings settings = Loopback.settings(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())
                .bucket("geo-missing-{region}").build();
        assertThatThrownBy(() -> AwsCloud.open(settings, PlatformEvents.create(), Clock.systemUTC()))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("geo-missing-eu-west-2")
                .hasMessageContaining("does not exist").hasMessageContaining("s3.create-buckets");
    }

    @Test
    void aBucketThatS3LocatesInAnotherRegionIsRefusedWithASecurityEvent() {
        List<PlatformEvent> events = Collections.synchronizedList(new ArrayList<>());
        PlatformEvents bus = PlatformEvents.create();
        bus.subscribe(events::add);
        // S3Proxy locates every bucket in the default region (no location constraint: us-east-1).
        AwsSettings settings = Loopback.settings(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())
                .verifyBucketRegion(true).build();
        assertThatThrownBy(() -> AwsCloud.open(settings, bus, Clock.systemUTC())).isInstanceOf(GeoException.class)
                .hasMessageContaining("data residency").hasMessageContaining("S3 bucket geo-test-eu-west-2")
                .hasMessageContaining("us-east-1");
        assertThat(events).singleElement().isInstanceOfSatisfying(AwsSecurityEvent.class,
                e -> assertThat(e.region()).isEqualTo(DeploymentRegion.EUROPE));

        // The same check passes where the bucket is where the region maps to.
        try (AwsCloud virginia = AwsCloud.open(Loopback.settings(Set.of(DeploymentRegion.US_EAST),
                Loopback.namespace()).verifyBucketRegion(true).build(), bus, Clock.systemUTC())) {
            assertThat(virginia.requireRegion(DeploymentRegion.US_EAST).location()).isEqualTo("us-east-1");
        }
        assertThat(events).hasSize(1);
    }
}
