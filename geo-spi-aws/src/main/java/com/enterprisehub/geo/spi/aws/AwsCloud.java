package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.aws.internal.AwsErrors;
import com.enterprisehub.geo.spi.aws.internal.DataKeyCache;
import com.enterprisehub.geo.spi.aws.internal.KmsKeys;
import com.enterprisehub.geo.spi.aws.internal.RegionGuard;
import com.enterprisehub.geo.spi.aws.internal.S3Objects;
import com.enterprisehub.geo.spi.aws.internal.SecretsManagerSecrets;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The {@code aws} cloud: in each deployment region it offers, KMS master keys, Secrets Manager secrets and an S3
 * bucket, all in the AWS region the region maps to ({@link AwsRegions}). Every client is built for that AWS region
 * and checked against it, key ARNs and the bucket's location too: anything elsewhere is refused with a
 * {@link GeoException} and an {@link AwsSecurityEvent}. Clients use the SDK's standard retry strategy (throttling,
 * 5xx and timeouts are retried with backoff) and share one URLConnection HTTP client. Open one with
 * {@code Providers.fromClassPath().select(CloudProvider.class, "aws").open(context)} or {@link #open}.
 *
 * <p>Thread-safe. {@link #close()} closes every client; idempotent.
 */
public final class AwsCloud implements Cloud {
    private final AwsSettings settings;
    private final SdkHttpClient http;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final Map<DeploymentRegion, CloudRegion> regions = new EnumMap<>(DeploymentRegion.class);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AwsCredentialsProvider ownedCredentials;

    /** A provider that delegates resolution and ignores close. */
    private record Unclosable(AwsCredentialsProvider delegate) implements AwsCredentialsProvider {
        @Override
        public software.amazon.awssdk.auth.credentials.AwsCredentials resolveCredentials() {
            return delegate.resolveCredentials();
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }

    private AwsCloud(AwsSettings settings, PlatformEvents events, Clock clock) {
        this.settings = settings;
        this.http = UrlConnectionHttpClient.builder().connectionTimeout(settings.apiCallAttemptTimeout())
                .socketTimeout(settings.apiCallAttemptTimeout()).build();
        this.ownedCredentials = settings.buildCredentials();
        AwsCredentialsProvider source = ownedCredentials != null ? ownedCredentials
                : settings.credentials().orElseThrow();
        // The SDK's clients close the provider they are given when they close: they get a view that cannot be
        // closed, so a provider the host gave stays open and the one built here is closed once, by close().
        AwsCredentialsProvider credentials = new Unclosable(source);
        try {
            for (Map.Entry<DeploymentRegion, Region> e : settings.regions().entrySet()) {
                RegionGuard guard = new RegionGuard(e.getKey(), e.getValue(), events, clock);
                regions.put(e.getKey(), open(guard, credentials, clock));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * A cloud of {@code settings}, publishing its security events to {@code events}. Checks each region's bucket (and
     * creates it if {@link AwsSettings#createBuckets()}).
     *
     * @throws GeoException if a bucket is missing, elsewhere, or AWS cannot be reached
     */
    public static AwsCloud open(AwsSettings settings, PlatformEvents events, Clock clock) {
        return new AwsCloud(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(events, "events"),
                Objects.requireNonNull(clock, "clock"));
    }

    private ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts()).build())
                .apiCallTimeout(settings.apiCallTimeout())
                .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
                .build();
    }

    private <C extends AutoCloseable> C keep(C client) {
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    private CloudRegion open(RegionGuard guard, AwsCredentialsProvider credentials, Clock clock) {
        Region aws = guard.aws();
        KmsClient kms = keep(configure(KmsClient.builder(), aws, credentials, settings.kmsEndpoint().orElse(null))
                .build());
        checkEndpoint(guard, settings.kmsEndpoint().orElse(null), "The KMS endpoint override of " + guard.region());
        SecretsManagerClient secrets = keep(configure(SecretsManagerClient.builder(), aws, credentials,
                settings.secretsManagerEndpoint().orElse(null)).build());
        checkEndpoint(guard, settings.secretsManagerEndpoint().orElse(null), "The Secrets Manager endpoint override"
                + " of " + guard.region());
        var s3Builder = configure(S3Client.builder(), aws, credentials, settings.s3Endpoint().orElse(null))
                .forcePathStyle(settings.pathStyle());
        if (settings.checksumsWhenRequired()) {
            s3Builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        S3Client s3 = keep(s3Builder.build());
        checkEndpoint(guard, settings.s3Endpoint().orElse(null), "The S3 endpoint override of " + guard.region());
        String bucket = settings.bucket(aws);
        checkBucket(s3, guard, bucket);

        settings.s3KmsKey(aws).filter(k -> k.startsWith("arn:")).ifPresent(k -> guard.checkKeyOrAliasArn(k,
                "The aws cloud's 's3.kms-key' for " + guard.region(), "Set 's3.kms-key' to a KMS key of " + aws.id()
                + ": its ARN in that region, an ARN with '{region}' (a multi-Region key), or an alias ('alias/...'),"
                + " which S3 resolves in the bucket's own region."));
        S3Objects.Encryption encryption = switch (settings.encryption()) {
            case AWS_KMS -> new S3Objects.Encryption(ServerSideEncryption.AWS_KMS, settings.s3KmsKey(aws).orElse(null),
                    settings.bucketKeys());
            case AES256 -> new S3Objects.Encryption(ServerSideEncryption.AES256, null, settings.bucketKeys());
            case BUCKET_DEFAULT -> new S3Objects.Encryption(null, null, settings.bucketKeys());
        };
        return new Services(guard.region(), aws.id(),
                new KmsKeys(kms, guard, settings.namespace(), settings.deletionWindowDays(),
                        new DataKeyCache(settings.dataKeyCacheSize(), settings.dataKeyCacheLifetime(), clock)),
                new SecretsManagerSecrets(secrets, guard, settings.namespace(), settings.secretCacheLifetime(), clock),
                new S3Objects(s3, guard, bucket, settings.namespace(), encryption,
                        settings.expectedBucketOwner().orElse(null)));
    }

    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, ?>> B configure(B builder, Region aws,
            AwsCredentialsProvider credentials, java.net.URI endpoint) {
        builder.region(aws).credentialsProvider(credentials).httpClient(http).overrideConfiguration(overrides());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    /**
     * Refuses an endpoint override whose AWS host names another AWS region ({@code kms.us-east-1.amazonaws.com},
     * {@code vpce-1.kms.us-east-1.vpce.amazonaws.com}). Clients are built with the mapped region, so only an override
     * can point them elsewhere; a host that names no AWS region (loopback, a proxy) cannot be checked here.
     */
    private static void checkEndpoint(RegionGuard guard, java.net.URI endpoint, String what) {
        if (endpoint == null || endpoint.getHost() == null) {
            return;
        }
        String host = endpoint.getHost().toLowerCase(java.util.Locale.ROOT);
        if (!host.endsWith(".amazonaws.com") && !host.endsWith(".amazonaws.com.cn") && !host.endsWith(".api.aws")) {
            return;
        }
        for (String label : host.split("\\.")) {
            if (label.matches("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d+")) {
                guard.check(label, what + " (" + host + ")");
                return;
            }
        }
    }

    /** Checks that the region's bucket exists in the region (creating it if configured to). */
    private void checkBucket(S3Client s3, RegionGuard guard, String bucket) {
        String where = "S3 bucket " + bucket + " of " + guard.region();
        String owner = settings.expectedBucketOwner().orElse(null);
        try {
            s3.headBucket(b -> b.bucket(bucket).expectedBucketOwner(owner));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw AwsErrors.failed("Checking " + where, "s3:ListBucket", e);
            }
            if (!settings.createBuckets()) {
                throw new GeoValidationException(where + " does not exist. Create it in " + guard.aws().id()
                        + " (with default encryption and public access blocked), or set the aws cloud's"
                        + " 's3.create-buckets' to true.");
            }
            try {
                s3.createBucket(b -> {
                    b.bucket(bucket);
                    if (!guard.aws().equals(Region.US_EAST_1)) {
                        b.createBucketConfiguration(c -> c.locationConstraint(
                                BucketLocationConstraint.fromValue(guard.aws().id())));
                    }
                });
            } catch (SdkException created) {
                if (!AwsErrors.is(created, "BucketAlreadyOwnedByYou")) {
                    throw AwsErrors.failed("Creating " + where, "s3:CreateBucket", created);
                }
            }
        } catch (SdkException e) {
            throw AwsErrors.failed("Checking " + where, "s3:ListBucket", e);
        }
        if (!settings.verifyBucketRegion()) {
            return;
        }
        String location;
        try {
            location = s3.getBucketLocation(b -> b.bucket(bucket).expectedBucketOwner(owner)).locationConstraintAsString();
        } catch (SdkException e) {
            throw AwsErrors.failed("Checking the region of " + where, "s3:GetBucketLocation", e);
        }
        // GetBucketLocation answers no constraint for us-east-1, and 'EU' for buckets made long ago in eu-west-1.
        String region = location == null || location.isEmpty() ? "us-east-1" : location.equals("EU") ? "eu-west-1"
                : location;
        guard.check(region, "S3 bucket " + bucket);
    }

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public Set<DeploymentRegion> regions() {
        return Collections.unmodifiableSet(regions.keySet());
    }

    @Override
    public Optional<CloudRegion> region(DeploymentRegion region) {
        return Optional.ofNullable(regions.get(Objects.requireNonNull(region, "region")));
    }

    /** The settings this cloud was opened with. */
    public AwsSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (clients) {
            for (AutoCloseable client : clients) {
                try {
                    client.close();
                } catch (Exception ignored) {
                    // closing is best effort: the others still close
                }
            }
            clients.clear();
        }
        http.close();
        if (ownedCredentials instanceof software.amazon.awssdk.utils.SdkAutoCloseable closeable) {
            closeable.close();
        }
    }

    @Override
    public String toString() {
        Map<DeploymentRegion, String> where = new EnumMap<>(DeploymentRegion.class);
        regions.forEach((r, s) -> where.put(r, s.location()));
        return "AwsCloud[namespace=" + settings.namespace() + ", regions=" + where + "]";
    }

    private record Services(DeploymentRegion region, String location, KeyManagement keys, SecretStore secrets,
            ObjectStorage objects) implements CloudRegion {
        @Override
        public String toString() {
            return "AwsCloud.Region[" + region + " in " + location + "]";
        }
    }
}
