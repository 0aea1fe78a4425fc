package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The servers every test of this module talks to, started once per JVM on loopback: {@link LoopbackAws} (KMS and
 * Secrets Manager) and S3Proxy over jclouds' in-memory {@code transient} store. Nothing here reaches the network:
 * every client gets endpoint overrides and static test credentials, so neither the default endpoints nor the EC2
 * instance metadata service are ever asked.
 */
final class Loopback {
    static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LoopbackAws.ACCESS_KEY, LoopbackAws.SECRET_KEY));
    static final Set<String> SERVED = Set.of("us-east-1", "us-west-2", "us-east-2", "ca-central-1", "eu-west-2",
            "ap-southeast-2");

    private static LoopbackAws aws;
    private static S3Proxy s3;
    private static URI s3Endpoint;
    private static LoopbackS3 s3Sse;

    static {
        // Belt and braces: nothing in these tests may ask the EC2 instance metadata service.
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    private Loopback() {
    }

    /** The loopback KMS and Secrets Manager. */
    static synchronized LoopbackAws aws() {
        if (aws == null) {
            try {
                aws = new LoopbackAws(SERVED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(aws::close));
        }
        return aws;
    }

    /** The loopback S3 server that implements SSE-KMS (S3Proxy does not), buckets {@code geo-test-<region>}. */
    static synchronized LoopbackS3 s3Sse() {
        if (s3Sse == null) {
            try {
                s3Sse = new LoopbackS3(SERVED, aws());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(s3Sse::close));
        }
        return s3Sse;
    }

    /** {@link #settings}, with S3 on {@link #s3Sse()} instead of S3Proxy. */
    static AwsSettings.Builder settingsSse(Set<DeploymentRegion> regions, String namespace) {
        return settings(regions, namespace).s3Endpoint(s3Sse().endpoint());
    }

    /** A cloud on the loopback servers, S3 on {@link #s3Sse()}. */
    static AwsCloud cloudSse(Set<DeploymentRegion> regions, String namespace) {
        return AwsCloud.open(settingsSse(regions, namespace).build(), PlatformEvents.create(), Clock.systemUTC());
    }

    /** The endpoint of S3Proxy. */
    static synchronized URI s3() {
        if (s3 == null) {
            Properties properties = new Properties();
            BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                    .overrides(properties).build(BlobStoreContext.class);
            S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, LoopbackAws.ACCESS_KEY, LoopbackAws.SECRET_KEY)
                    // S3Proxy answers 501 to the SSE headers of every PutObject; accepted and ignored here, so
                    // server-side encryption itself is not exercised by these tests (docs/aws.md says so).
                    .ignoreUnknownHeaders(true)
                    .build();
            try {
                proxy.start();
                for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                throw new IllegalStateException("S3Proxy did not start", e);
            }
            s3 = proxy;
            s3Endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
            // The transient store has one location, so S3Proxy refuses location constraints: the buckets are made
            // here without one, and the cloud is told not to check bucket regions (s3.verify-bucket-region).
            try (S3Client client = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                    .endpointOverride(s3Endpoint).forcePathStyle(true)
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                for (String region : SERVED) {
                    client.createBucket(b -> b.bucket("geo-test-" + region));
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    proxy.stop();
                } catch (Exception ignored) {
                    // the JVM is ending
                }
            }));
        }
        return s3Endpoint;
    }

    /** A fresh namespace, so a test sees no key, secret or object of another. */
    static String namespace() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** Settings for the loopback servers, offering {@code regions}, in namespace {@code namespace}. */
    static AwsSettings.Builder settings(Set<DeploymentRegion> regions, String namespace) {
        return AwsSettings.builder().regions(regions).namespace(namespace).bucket("geo-test-{region}")
                .verifyBucketRegion(false).checksumsWhenRequired(true).kmsEndpoint(aws().endpoint())
                .secretsManagerEndpoint(aws().endpoint()).s3Endpoint(s3()).credentials(CREDENTIALS)
                .timeouts(java.time.Duration.ofSeconds(20), java.time.Duration.ofSeconds(5));
    }

    /** The provider-context settings of {@link #settings} (for the provider path). */
    static java.util.Map<String, String> contextSettings(Set<DeploymentRegion> regions, String namespace) {
        java.util.Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("regions", regions.stream().map(Enum::name).collect(Collectors.joining(",")));
        s.put("namespace", namespace);
        s.put("s3.bucket", "geo-test-{region}");
        s.put("s3.verify-bucket-region", "false");
        s.put("s3.sdk-checksums", "when-required");
        s.put("endpoint.kms", aws().endpoint().toString());
        s.put("endpoint.secretsmanager", aws().endpoint().toString());
        s.put("endpoint.s3", s3().toString());
        return s;
    }

    /** A cloud on the loopback servers. */
    static AwsCloud cloud(Set<DeploymentRegion> regions, String namespace) {
        return AwsCloud.open(settings(regions, namespace).build(), PlatformEvents.create(), Clock.systemUTC());
    }
}
