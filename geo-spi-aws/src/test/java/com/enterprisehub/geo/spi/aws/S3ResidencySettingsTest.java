package com.enterprisehub.geo.spi.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * S3 settings cannot bypass residency: the bucket-region check is off only against an endpoint override, a bucket
 * name without {@code {region}} is refused when the regions span countries, and the expected bucket owner goes out
 * on every S3 request.
 */
class S3ResidencySettingsTest {

    @Test
    void theBucketRegionCheckCanBeTurnedOffOnlyAgainstAnEndpointOverride() {
        assertThatThrownBy(() -> AwsSettings.builder().regions(Set.of(DeploymentRegion.EUROPE))
                .verifyBucketRegion(false).build()).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("s3.verify-bucket-region").hasMessageContaining("endpoint.s3");
        Map<String, String> settings = Map.of("regions", "EUROPE", "s3.verify-bucket-region", "false");
        assertThatThrownBy(() -> AwsSettings.from(ProviderContext.builder().settings(settings).build()))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("s3.verify-bucket-region");
        assertThat(AwsSettings.builder().regions(Set.of(DeploymentRegion.EUROPE)).verifyBucketRegion(false)
                .s3Endpoint(URI.create("http://127.0.0.1:9")).build().verifyBucketRegion()).isFalse();
    }

    @Test
    void aBucketNameWithoutRegionIsRefusedWhenTheRegionsSpanCountries() {
        assertThatThrownBy(() -> AwsSettings.builder().regions(EnumSet.of(DeploymentRegion.EUROPE,
                DeploymentRegion.US_EAST)).bucket("acme-exports").build()).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("{region}").hasMessageContaining("s3.bucket");
        assertThat(AwsSettings.builder().regions(EnumSet.of(DeploymentRegion.EUROPE, DeploymentRegion.US_EAST))
                .bucket("acme-exports-{region}").build().bucket(software.amazon.awssdk.regions.Region.EU_WEST_2))
                .isEqualTo("acme-exports-eu-west-2");
        assertThat(AwsSettings.builder().regions(EnumSet.of(DeploymentRegion.EUROPE)).bucket("acme-exports").build()
                .bucket(software.amazon.awssdk.regions.Region.EU_WEST_2)).as("one country: allowed")
                .isEqualTo("acme-exports");
    }

    @Test
    void theExpectedOwnerIsAnAccountId() {
        assertThatThrownBy(() -> AwsSettings.builder().expectedBucketOwner("acme"))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("12");
        assertThatThrownBy(() -> AwsSettings.from(ProviderContext.builder().settings(Map.of("s3.expected-owner",
                "12345")).build())).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("s3.expected-owner");
        assertThat(AwsSettings.from(ProviderContext.builder().settings(Map.of("s3.expected-owner", "111122223333"))
                .build()).expectedBucketOwner()).contains("111122223333");
        assertThat(AwsSettings.builder().build().expectedBucketOwner()).isEmpty();
    }

    /**
     * S3Proxy ignores {@code x-amz-expected-bucket-owner}, so a recording loopback server stands in for S3 here: it
     * answers just enough (bucket exists, object absent, empty listing) and keeps the header of every request.
     */
    @Test
    void everyS3RequestCarriesTheExpectedBucketOwner() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        HttpServer s3 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s3.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getPath();
                seen.add(exchange.getRequestMethod() + " " + path + " owner="
                        + exchange.getRequestHeaders().getFirst("x-amz-expected-bucket-owner"));
                String method = exchange.getRequestMethod();
                if (method.equals("HEAD") && path.equals("/owned-eu-west-2")) {
                    exchange.sendResponseHeaders(200, -1);
                } else if (method.equals("GET") && exchange.getRequestURI().getQuery() != null
                        && exchange.getRequestURI().getQuery().contains("list-type=2")) {
                    byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3"
                            + ".amazonaws.com/doc/2006-03-01/\"><Name>owned-eu-west-2</Name><KeyCount>0</KeyCount>"
                            + "<IsTruncated>false</IsTruncated></ListBucketResult>").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/xml");
                    exchange.sendResponseHeaders(200, xml.length);
                    exchange.getResponseBody().write(xml);
                } else if (method.equals("DELETE")) {
                    exchange.sendResponseHeaders(204, -1);
                } else if (method.equals("PUT")) {
                    exchange.getResponseHeaders().add("ETag", "\"0\"");
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
                            + "<Message>absent</Message></Error>").getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(404, method.equals("HEAD") ? -1 : xml.length);
                    if (!method.equals("HEAD")) {
                        exchange.getResponseBody().write(xml);
                    }
                }
            }
        });
        s3.start();
        try {
            Map<String, String> settings = new LinkedHashMap<>(Loopback.contextSettings(
                    EnumSet.of(DeploymentRegion.EUROPE), Loopback.namespace()));
            settings.put("endpoint.s3", "http://127.0.0.1:" + s3.getAddress().getPort());
            settings.put("s3.bucket", "owned-{region}");
            settings.put("s3.expected-owner", "111122223333");
            try (AwsCloud cloud = AwsCloud.open(AwsSettings.from(ProviderContext.builder().settings(settings)
                    .object(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider.class,
                            Loopback.CREDENTIALS).build()), PlatformEvents.create(), Clock.systemUTC())) {
                ObjectStorage objects = cloud.requireRegion(DeploymentRegion.EUROPE).objects();
                objects.put("exports/a.txt", "x".getBytes(StandardCharsets.UTF_8));
                assertThat(objects.get("exports/a.txt")).isEmpty();
                assertThat(objects.open("exports/a.txt")).isEmpty();
                assertThat(objects.head("exports/a.txt")).isEmpty();
                assertThat(objects.list("exports/")).isEmpty();
                objects.delete("exports/a.txt");
            }
            assertThat(seen).hasSizeGreaterThanOrEqualTo(7)
                    .allSatisfy(line -> assertThat(line).endsWith(" owner=111122223333"));
        } finally {
            s3.stop(0);
        }
    }
}
