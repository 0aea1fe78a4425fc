package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.aws.internal.Names;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The aws cloud's configuration: immutable, built with {@link #builder()} (each value checked as it is set) or read
 * from a {@link ProviderContext} with {@link #from(ProviderContext)} (every error reported at once).
 *
 * <p>Settings of the provider context (all optional):
 * <table>
 *   <caption>Settings of the aws cloud provider</caption>
 *   <tr><th>setting</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code regions}</td><td>deployment regions offered, comma-separated ({@code US_WEST,EUROPE})</td>
 *       <td>all six</td></tr>
 *   <tr><td>{@code region.<deployment region>}</td><td>its AWS region ({@code region.europe=eu-west-2}); must be in
 *       the deployment region's country</td><td>{@link AwsRegions#defaults()}</td></tr>
 *   <tr><td>{@code namespace}</td><td>what every KMS alias ({@code alias/<namespace>/...}), secret name and object
 *       key ({@code <namespace>/...}) starts with</td><td>{@code geo}</td></tr>
 *   <tr><td>{@code s3.bucket}</td><td>the bucket of each region; {@code {region}} becomes the AWS region
 *       (required when the regions offered span more than one country)</td>
 *       <td>{@code <namespace>-objects-{region}}</td></tr>
 *   <tr><td>{@code s3.expected-owner}</td><td>the 12-digit AWS account that must own each bucket, sent as
 *       {@code ExpectedBucketOwner} on every S3 request (S3 refuses the request if another account owns the bucket);
 *       set it in production: default bucket names are predictable, and another account could own one</td>
 *       <td>none (not checked)</td></tr>
 *   <tr><td>{@code s3.create-buckets}</td><td>create a missing bucket (in its region) when the cloud opens</td>
 *       <td>{@code false}</td></tr>
 *   <tr><td>{@code s3.verify-bucket-region}</td><td>check each bucket's region ({@code GetBucketLocation}) when the
 *       cloud opens; may be turned off only together with {@code endpoint.s3} (S3-compatible test servers that do
 *       not model regions)</td><td>{@code true}</td></tr>
 *   <tr><td>{@code s3.encryption}</td><td>{@code aws-kms} (SSE-KMS), {@code aes256} (SSE-S3) or
 *       {@code bucket-default}</td><td>{@code aws-kms}</td></tr>
 *   <tr><td>{@code s3.kms-key}</td><td>the SSE-KMS key (ARN or alias, {@code {region}} replaced; an ARN must be
 *       of the region's own AWS region)</td><td>the bucket's default key, else S3's {@code aws/s3}</td></tr>
 *   <tr><td>{@code s3.bucket-keys}</td><td>ask S3 to use an S3 Bucket Key for SSE-KMS objects (the region key's and
 *       tenants' keys alike): S3 then asks KMS for a bucket-level key now and then instead of one KMS request per put
 *       and per get, which lowers KMS costs; KMS's CloudTrail events and encryption context then name the bucket, not
 *       the object</td><td>{@code false}</td></tr>
 *   <tr><td>{@code s3.path-style}</td><td>path-style bucket addressing</td><td>{@code true} with an S3 endpoint
 *       override, else {@code false}</td></tr>
 *   <tr><td>{@code s3.sdk-checksums}</td><td>{@code when-supported} or {@code when-required} (S3-compatible servers
 *       such as S3Proxy need the latter)</td><td>{@code when-supported}</td></tr>
 *   <tr><td>{@code endpoint.kms}, {@code endpoint.secretsmanager}, {@code endpoint.s3}</td><td>endpoint overrides
 *       (VPC endpoints, test servers); the region still signs every request</td><td>AWS's endpoints</td></tr>
 *   <tr><td>{@code credentials.profile}</td><td>a profile of the shared AWS config files</td><td>the SDK's
 *       default chain, unless the context carries an {@link AwsCredentialsProvider} object</td></tr>
 *   <tr><td>{@code kms.deletion-window-days}</td><td>pending window of {@code ScheduleKeyDeletion} when a master key
 *       is destroyed (7 to 30)</td><td>7</td></tr>
 *   <tr><td>{@code kms.data-key-cache.size}</td><td>decrypted data keys kept (0 turns the cache off)</td>
 *       <td>1000</td></tr>
 *   <tr><td>{@code kms.data-key-cache.lifetime}</td><td>how long each is kept</td><td>{@code PT5M}</td></tr>
 *   <tr><td>{@code secrets.cache-lifetime}</td><td>how long a secret read is kept before it is read again</td>
 *       <td>{@code PT1M}</td></tr>
 *   <tr><td>{@code api-call-timeout}</td><td>limit of one operation, retries included</td><td>{@code PT30S}</td></tr>
 *   <tr><td>{@code api-call-attempt-timeout}</td><td>limit of one attempt</td><td>{@code PT10S}</td></tr>
 *   <tr><td>{@code max-attempts}</td><td>attempts of the SDK's standard retry strategy (throttling, 5xx,
 *       timeouts), 1 to 10</td><td>3</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe.
 */
public final class AwsSettings {
    /** The settings {@link #from(ProviderContext)} reads; any other is refused. */
    public static final Set<String> KEYS;

    static {
        Set<String> keys = new LinkedHashSet<>(List.of("regions", "namespace", "s3.bucket", "s3.expected-owner",
                "s3.create-buckets", "s3.verify-bucket-region", "s3.bucket-keys",
                "s3.encryption", "s3.kms-key", "s3.path-style", "s3.sdk-checksums", "endpoint.kms",
                "endpoint.secretsmanager", "endpoint.s3", "credentials.profile", "kms.deletion-window-days",
                "kms.data-key-cache.size", "kms.data-key-cache.lifetime", "secrets.cache-lifetime", "api-call-timeout",
                "api-call-attempt-timeout", "max-attempts"));
        for (DeploymentRegion r : DeploymentRegion.values()) {
            keys.add(regionKey(r));
        }
        KEYS = Collections.unmodifiableSet(keys);
    }

    /** How S3 objects are encrypted at rest. */
    public enum S3Encryption {
        /** SSE-KMS: S3 encrypts each object under a KMS key ({@code s3.kms-key}, or the default). */
        AWS_KMS,
        /** SSE-S3: S3-managed keys. */
        AES256,
        /** Whatever the bucket's default encryption is (S3 encrypts every new object at least with SSE-S3). */
        BUCKET_DEFAULT
    }

    private final Map<DeploymentRegion, Region> regions;
    private final String namespace;
    private final String bucket;
    private final Optional<String> expectedBucketOwner;
    private final boolean createBuckets;
    private final boolean bucketKeys;
    private final boolean verifyBucketRegion;
    private final S3Encryption encryption;
    private final Optional<String> s3KmsKey;
    private final Optional<Boolean> pathStyle;
    private final boolean checksumsWhenRequired;
    private final Optional<URI> kmsEndpoint;
    private final Optional<URI> secretsEndpoint;
    private final Optional<URI> s3Endpoint;
    private final Supplier<AwsCredentialsProvider> credentials;
    private final AwsCredentialsProvider givenCredentials;
    private final int deletionWindowDays;
    private final int dataKeyCacheSize;
    private final Duration dataKeyCacheLifetime;
    private final Duration secretCacheLifetime;
    private final Duration apiCallTimeout;
    private final Duration apiCallAttemptTimeout;
    private final int maxAttempts;

    private AwsSettings(Builder b) {
        this.regions = Collections.unmodifiableMap(new EnumMap<>(b.regions));
        this.namespace = b.namespace;
        this.bucket = b.bucket != null ? b.bucket : b.namespace + "-objects-{region}";
        this.expectedBucketOwner = Optional.ofNullable(b.expectedBucketOwner);
        this.createBuckets = b.createBuckets;
        this.bucketKeys = b.bucketKeys;
        this.verifyBucketRegion = b.verifyBucketRegion;
        this.encryption = b.encryption;
        this.s3KmsKey = Optional.ofNullable(b.s3KmsKey);
        this.pathStyle = Optional.ofNullable(b.pathStyle);
        this.checksumsWhenRequired = b.checksumsWhenRequired;
        this.kmsEndpoint = Optional.ofNullable(b.kmsEndpoint);
        this.secretsEndpoint = Optional.ofNullable(b.secretsEndpoint);
        this.s3Endpoint = Optional.ofNullable(b.s3Endpoint);
        this.credentials = b.credentials;
        this.givenCredentials = b.givenCredentials;
        this.deletionWindowDays = b.deletionWindowDays;
        this.dataKeyCacheSize = b.dataKeyCacheSize;
        this.dataKeyCacheLifetime = b.dataKeyCacheLifetime;
        this.secretCacheLifetime = b.secretCacheLifetime;
        this.apiCallTimeout = b.apiCallTimeout;
        this.apiCallAttemptTimeout = b.apiCallAttemptTimeout;
        this.maxAttempts = b.maxAttempts;
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    private static String regionKey(DeploymentRegion r) {
        return "region." + r.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The settings of {@code context} (see the table above), and its {@link AwsCredentialsProvider} object if it
     * carries one.
     *
     * @throws GeoValidationException listing every setting that is unknown or invalid
     */
    public static AwsSettings from(ProviderContext context) {
        String who = "the aws cloud";
        context.refuseSettingsOtherThan(KEYS, who);
        Builder b = builder();
        List<String> errors = new ArrayList<>();
        collect(errors, () -> context.setting("regions").ifPresent(listed -> {
            Set<DeploymentRegion> offered = EnumSet.noneOf(DeploymentRegion.class);
            for (String name : listed.split(",")) {
                try {
                    offered.add(DeploymentRegion.valueOf(name.strip()));
                } catch (IllegalArgumentException e) {
                    throw new GeoValidationException("The aws cloud's setting 'regions' names '" + name.strip()
                            + "', which is not one of " + EnumSet.allOf(DeploymentRegion.class) + ".");
                }
            }
            b.regions(offered);
        }));
        for (DeploymentRegion r : DeploymentRegion.values()) {
            collect(errors, () -> context.setting(regionKey(r)).ifPresent(id -> b.region(r, id)));
        }
        collect(errors, () -> context.setting("namespace").ifPresent(b::namespace));
        collect(errors, () -> context.setting("s3.bucket").ifPresent(b::bucket));
        collect(errors, () -> context.setting("s3.expected-owner").ifPresent(b::expectedBucketOwner));
        collect(errors, () -> b.createBuckets(context.booleanSetting("s3.create-buckets", false, who)));
        collect(errors, () -> b.bucketKeys(context.booleanSetting("s3.bucket-keys", false, who)));
        collect(errors, () -> b.verifyBucketRegion(context.booleanSetting("s3.verify-bucket-region", true, who)));
        collect(errors, () -> context.setting("s3.encryption").ifPresent(e -> b.encryption(switch (e) {
            case "aws-kms" -> S3Encryption.AWS_KMS;
            case "aes256" -> S3Encryption.AES256;
            case "bucket-default" -> S3Encryption.BUCKET_DEFAULT;
            default -> throw new GeoValidationException("The aws cloud's setting 's3.encryption' is aws-kms, aes256"
                    + " or bucket-default; got '" + e + "'.");
        })));
        collect(errors, () -> context.setting("s3.kms-key").ifPresent(b::s3KmsKey));
        collect(errors, () -> context.setting("s3.path-style").ifPresent(
                v -> b.pathStyle(context.booleanSetting("s3.path-style", false, who))));
        collect(errors, () -> context.setting("s3.sdk-checksums").ifPresent(v -> b.checksumsWhenRequired(switch (v) {
            case "when-required" -> true;
            case "when-supported" -> false;
            default -> throw new GeoValidationException("The aws cloud's setting 's3.sdk-checksums' is when-supported"
                    + " or when-required; got '" + v + "'.");
        })));
        collect(errors, () -> context.setting("endpoint.kms").ifPresent(u -> b.kmsEndpoint(uri("endpoint.kms", u))));
        collect(errors, () -> context.setting("endpoint.secretsmanager")
                .ifPresent(u -> b.secretsManagerEndpoint(uri("endpoint.secretsmanager", u))));
        collect(errors, () -> context.setting("endpoint.s3").ifPresent(u -> b.s3Endpoint(uri("endpoint.s3", u))));
        Optional<AwsCredentialsProvider> given = context.object(AwsCredentialsProvider.class);
        collect(errors, () -> context.setting("credentials.profile").ifPresent(profile -> {
            if (given.isPresent()) {
                throw new GeoValidationException("The aws cloud got both the setting 'credentials.profile' and an"
                        + " AwsCredentialsProvider object; give one of them.");
            }
            b.credentialsFactory(() -> ProfileCredentialsProvider.create(profile));
        }));
        given.ifPresent(b::credentials);
        collect(errors, () -> b.deletionWindowDays(context.intSetting("kms.deletion-window-days", 7, 7, 30, who)));
        collect(errors, () -> b.dataKeyCache(context.intSetting("kms.data-key-cache.size", 1000, 0, 1_000_000, who),
                context.durationSetting("kms.data-key-cache.lifetime", Duration.ofMinutes(5), who)));
        collect(errors, () -> b.secretCacheLifetime(context.durationSetting("secrets.cache-lifetime",
                Duration.ofMinutes(1), who)));
        collect(errors, () -> b.timeouts(context.durationSetting("api-call-timeout", Duration.ofSeconds(30), who),
                context.durationSetting("api-call-attempt-timeout", Duration.ofSeconds(10), who)));
        collect(errors, () -> b.maxAttempts(context.intSetting("max-attempts", 3, 1, 10, who)));
        if (errors.isEmpty()) {
            collect(errors, b::check);
        }
        if (!errors.isEmpty()) {
            throw new GeoValidationException("The aws cloud's settings have " + errors.size() + " problem(s): "
                    + String.join(" ", errors));
        }
        return b.build();
    }

    private static void collect(List<String> errors, Runnable step) {
        try {
            step.run();
        } catch (GeoValidationException e) {
            errors.add(e.getMessage());
        }
    }

    private static URI uri(String key, String value) {
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException ignored) {
            // reported below
        }
        throw new GeoValidationException("The aws cloud's setting '" + key + "' must be an http or https URL such as"
                + " https://kms.eu-west-2.amazonaws.com; got '" + value + "'.");
    }

    /** The AWS region of each deployment region offered, in {@link DeploymentRegion} order. */
    public Map<DeploymentRegion, Region> regions() {
        return regions;
    }

    /** What every alias, secret name and object key starts with. */
    public String namespace() {
        return namespace;
    }

    /** The bucket of {@code aws}. */
    public String bucket(Region aws) {
        return bucket.replace("{region}", aws.id());
    }

    /** The AWS account that must own each bucket (sent as {@code ExpectedBucketOwner}), if set. */
    public Optional<String> expectedBucketOwner() {
        return expectedBucketOwner;
    }

    /** Whether a missing bucket is created when the cloud opens. */
    public boolean createBuckets() {
        return createBuckets;
    }

    /** Whether S3 is asked to use S3 Bucket Keys for SSE-KMS objects. */
    public boolean bucketKeys() {
        return bucketKeys;
    }

    /** Whether each bucket's region is checked when the cloud opens. */
    public boolean verifyBucketRegion() {
        return verifyBucketRegion;
    }

    /** How objects are encrypted at rest. */
    public S3Encryption encryption() {
        return encryption;
    }

    /** The SSE-KMS key of {@code aws}, if one is set. */
    public Optional<String> s3KmsKey(Region aws) {
        return s3KmsKey.map(k -> k.replace("{region}", aws.id()));
    }

    /** Whether buckets are addressed by path. */
    public boolean pathStyle() {
        return pathStyle.orElse(s3Endpoint.isPresent());
    }

    /** Whether the S3 client computes and validates checksums only when an operation requires them. */
    public boolean checksumsWhenRequired() {
        return checksumsWhenRequired;
    }

    /** The KMS endpoint override, if any. */
    public Optional<URI> kmsEndpoint() {
        return kmsEndpoint;
    }

    /** The Secrets Manager endpoint override, if any. */
    public Optional<URI> secretsManagerEndpoint() {
        return secretsEndpoint;
    }

    /** The S3 endpoint override, if any. */
    public Optional<URI> s3Endpoint() {
        return s3Endpoint;
    }

    /**
     * The credentials provider the host gave ({@link Builder#credentials} or an object of the provider context), if
     * any; otherwise each cloud builds its own (the profile of {@code credentials.profile}, else the SDK's default
     * chain) once, and closes it when it closes. A provider the host gave is never closed by the cloud.
     */
    public Optional<AwsCredentialsProvider> credentials() {
        return Optional.ofNullable(givenCredentials);
    }

    /** A new provider of the configured kind, owned by the caller (who closes it); null when the host gave one. */
    AwsCredentialsProvider buildCredentials() {
        return givenCredentials != null ? null : credentials.get();
    }

    /** The pending window of a destroyed master key, in days. */
    public int deletionWindowDays() {
        return deletionWindowDays;
    }

    /** How many decrypted data keys are cached (0: none). */
    public int dataKeyCacheSize() {
        return dataKeyCacheSize;
    }

    /** How long a decrypted data key is cached. */
    public Duration dataKeyCacheLifetime() {
        return dataKeyCacheLifetime;
    }

    /** How long a secret read is cached. */
    public Duration secretCacheLifetime() {
        return secretCacheLifetime;
    }

    /** The limit of one operation, retries included. */
    public Duration apiCallTimeout() {
        return apiCallTimeout;
    }

    /** The limit of one attempt. */
    public Duration apiCallAttemptTimeout() {
        return apiCallAttemptTimeout;
    }

    /** Attempts of the SDK's standard retry strategy. */
    public int maxAttempts() {
        return maxAttempts;
    }

    @Override
    public String toString() {
        return "AwsSettings[regions=" + regions + ", namespace=" + namespace + ", bucket=" + bucket + ", encryption="
                + encryption + ", endpoints=" + kmsEndpoint.map(URI::toString).orElse("aws") + "/"
                + secretsEndpoint.map(URI::toString).orElse("aws") + "/" + s3Endpoint.map(URI::toString).orElse("aws")
                + "]";
    }

    /** Builds {@link AwsSettings}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private final Map<DeploymentRegion, Region> mapping = new EnumMap<>(AwsRegions.defaults());
        private final Map<DeploymentRegion, Region> regions = new EnumMap<>(DeploymentRegion.class);
        private Set<DeploymentRegion> offered = EnumSet.allOf(DeploymentRegion.class);
        private String namespace = "geo";
        private String bucket;
        private String expectedBucketOwner;
        private boolean createBuckets;
        private boolean bucketKeys;
        private boolean verifyBucketRegion = true;
        private S3Encryption encryption = S3Encryption.AWS_KMS;
        private String s3KmsKey;
        private Boolean pathStyle;
        private boolean checksumsWhenRequired;
        private URI kmsEndpoint;
        private URI secretsEndpoint;
        private URI s3Endpoint;
        private Supplier<AwsCredentialsProvider> credentials = () -> DefaultCredentialsProvider.builder().build();
        private AwsCredentialsProvider givenCredentials;
        private int deletionWindowDays = 7;
        private int dataKeyCacheSize = 1000;
        private Duration dataKeyCacheLifetime = Duration.ofMinutes(5);
        private Duration secretCacheLifetime = Duration.ofMinutes(1);
        private Duration apiCallTimeout = Duration.ofSeconds(30);
        private Duration apiCallAttemptTimeout = Duration.ofSeconds(10);
        private int maxAttempts = 3;

        private Builder() {
        }

        /** The deployment regions offered (default: all). */
        public Builder regions(Set<DeploymentRegion> offered) {
            if (Objects.requireNonNull(offered, "offered").isEmpty()) {
                throw new GeoValidationException("The aws cloud must offer at least one region.");
            }
            this.offered = EnumSet.copyOf(offered);
            return this;
        }

        /**
         * Maps {@code region} to the AWS region {@code awsRegion} ("eu-west-2").
         *
         * @throws GeoValidationException if it is not an AWS region in the deployment region's country
         */
        public Builder region(DeploymentRegion region, String awsRegion) {
            Objects.requireNonNull(region, "region");
            Region aws = Region.of(Objects.requireNonNull(awsRegion, "awsRegion").strip());
            mapping.put(region, AwsRegions.requirePermitted(region, aws, "The aws cloud's setting '"
                    + regionKey(region) + "'"));
            return this;
        }

        /** The namespace: a lowercase slug, not {@code aws} (default {@code geo}). */
        public Builder namespace(String namespace) {
            this.namespace = Names.namespace(namespace);
            return this;
        }

        /** The bucket name of each region; {@code {region}} becomes the AWS region. */
        public Builder bucket(String bucket) {
            if (bucket == null || !bucket.replace("{region}", "us-east-1").matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new GeoValidationException("The aws cloud's setting 's3.bucket' must be an S3 bucket name (3 to"
                        + " 63 lowercase letters, digits, '.' and '-'), optionally with {region}; got '" + bucket + "'.");
            }
            this.bucket = bucket;
            return this;
        }

        /**
         * The 12-digit AWS account id that must own each bucket; sent as {@code ExpectedBucketOwner} on every S3
         * request, so S3 refuses a bucket of another account (default: not checked; set it in production).
         */
        public Builder expectedBucketOwner(String accountId) {
            if (accountId == null || !accountId.matches("\\d{12}")) {
                throw new GeoValidationException("The aws cloud's setting 's3.expected-owner' must be a 12-digit AWS"
                        + " account id; got '" + accountId + "'.");
            }
            this.expectedBucketOwner = accountId;
            return this;
        }

        /** Whether a missing bucket is created when the cloud opens (default false). */
        public Builder createBuckets(boolean create) {
            this.createBuckets = create;
            return this;
        }

        /**
         * Whether S3 is asked to use S3 Bucket Keys for SSE-KMS objects (default false): fewer KMS requests (S3 asks
         * KMS for a bucket-level key now and then rather than once per put and get), at the price of KMS's CloudTrail
         * events and encryption context naming the bucket rather than the object. "Reducing the cost of SSE-KMS with
         * Amazon S3 Bucket Keys", Amazon S3 User Guide, https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html.
         */
        public Builder bucketKeys(boolean use) {
            this.bucketKeys = use;
            return this;
        }

        /**
         * Whether each bucket's region is checked when the cloud opens (default true; it may be turned off only
         * together with an {@link #s3Endpoint S3 endpoint override}, for S3-compatible test servers that do not model
         * regions: {@link #build()} refuses it otherwise).
         */
        public Builder verifyBucketRegion(boolean verify) {
            this.verifyBucketRegion = verify;
            return this;
        }

        /** How objects are encrypted at rest (default SSE-KMS). */
        public Builder encryption(S3Encryption encryption) {
            this.encryption = Objects.requireNonNull(encryption, "encryption");
            return this;
        }

        /** The SSE-KMS key (ARN or alias; {@code {region}} replaced). */
        public Builder s3KmsKey(String key) {
            this.s3KmsKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Path-style bucket addressing (default: on with an S3 endpoint override). */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /** Checksums only when an operation requires them (for S3-compatible servers; default false). */
        public Builder checksumsWhenRequired(boolean whenRequired) {
            this.checksumsWhenRequired = whenRequired;
            return this;
        }

        /** The KMS endpoint override. */
        public Builder kmsEndpoint(URI endpoint) {
            this.kmsEndpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** The Secrets Manager endpoint override. */
        public Builder secretsManagerEndpoint(URI endpoint) {
            this.secretsEndpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** The S3 endpoint override. */
        public Builder s3Endpoint(URI endpoint) {
            this.s3Endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** The credentials every client signs with (default: the SDK's default chain). */
        public Builder credentials(AwsCredentialsProvider provider) {
            this.givenCredentials = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** How each cloud builds the provider it owns (tests; the setting {@code credentials.profile}). */
        Builder credentialsFactory(Supplier<AwsCredentialsProvider> provider) {
            this.credentials = Objects.requireNonNull(provider, "provider");
            this.givenCredentials = null;
            return this;
        }

        /** The pending window, 7 to 30 days, of a destroyed master key (default 7). */
        public Builder deletionWindowDays(int days) {
            if (days < 7 || days > 30) {
                throw new GeoValidationException("KMS schedules a key's deletion 7 to 30 days ahead; got " + days + ".");
            }
            this.deletionWindowDays = days;
            return this;
        }

        /** The data-key cache: at most {@code size} keys (0: off), each for {@code lifetime}. */
        public Builder dataKeyCache(int size, Duration lifetime) {
            if (size < 0 || lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
                throw new GeoValidationException("The data-key cache needs a size of 0 or more and a positive"
                        + " lifetime.");
            }
            this.dataKeyCacheSize = size;
            this.dataKeyCacheLifetime = lifetime;
            return this;
        }

        /** How long a secret read is cached (default one minute). */
        public Builder secretCacheLifetime(Duration lifetime) {
            if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
                throw new GeoValidationException("The secret cache lifetime must be positive.");
            }
            this.secretCacheLifetime = lifetime;
            return this;
        }

        /** The limit of one operation (retries included) and of one attempt. */
        public Builder timeouts(Duration call, Duration attempt) {
            if (call == null || attempt == null || call.isNegative() || call.isZero() || attempt.isNegative()
                    || attempt.isZero() || attempt.compareTo(call) > 0) {
                throw new GeoValidationException("The aws cloud's timeouts must be positive, the attempt's no longer"
                        + " than the call's; got " + call + " and " + attempt + ".");
            }
            this.apiCallTimeout = call;
            this.apiCallAttemptTimeout = attempt;
            return this;
        }

        /** Attempts of the SDK's standard retry strategy, 1 to 10 (default 3). */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 10) {
                throw new GeoValidationException("The aws cloud's 'max-attempts' is 1 to 10; got " + attempts + ".");
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** Refuses combinations that would let data leave its region (checked by {@link #build()}). */
        private void check() {
            if (!verifyBucketRegion && s3Endpoint == null) {
                throw new GeoValidationException("The aws cloud's setting 's3.verify-bucket-region' may be false only"
                        + " with an S3 endpoint override ('endpoint.s3', for S3-compatible test servers); against"
                        + " AWS every bucket's region is checked. Remove the setting.");
            }
            if (bucket != null && !bucket.contains("{region}") && offered.stream()
                    .map(DeploymentRegion::country).distinct().count() > 1) {
                throw new GeoValidationException("The aws cloud's setting 's3.bucket' ('" + bucket + "') must contain"
                        + " {region} when the regions offered (" + offered + ") span more than one country, so each"
                        + " region's objects go to a bucket of its own AWS region.");
            }
        }

        /**
         * The settings.
         *
         * @throws GeoValidationException if the bucket-region check is off without an S3 endpoint override, or the
         *     bucket name lacks {@code {region}} while the regions offered span more than one country
         */
        public AwsSettings build() {
            check();
            regions.clear();
            for (DeploymentRegion r : offered) {
                regions.put(r, mapping.get(r));
            }
            return new AwsSettings(this);
        }
    }
}
