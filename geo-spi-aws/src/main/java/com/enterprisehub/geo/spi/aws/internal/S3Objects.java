package com.enterprisehub.geo.spi.aws.internal;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.spi.cloud.ObjectProtection;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.spi.crypto.Digests;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Object storage in one S3 bucket of one region, keys under {@code <namespace>/}. Every object carries the SHA-256
 * of its content in its user metadata ({@code x-amz-meta-sha256}), computed before the upload; {@link #get} checks
 * it, {@link #open} checks it when the stream reaches its end (an {@link IOException} if it differs). A streamed
 * {@link #put(String, InputStream)} is spooled first (in memory up to 8 MiB, then to a temporary file) so that the
 * digest and length are known and a source that fails part-way uploads nothing; the upload is one
 * {@code PutObject}, atomic in S3 (readers see the old or the new object), and therefore at most 5 GiB ("Uploading
 * objects", Amazon S3 User Guide, https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html).
 * {@link #list} makes one {@code HeadObject} per object for its digest. Objects are encrypted at rest as configured
 * (SSE-KMS by default).
 *
 * <p><b>Objects under a tenant's master key</b> ({@link ObjectProtection#masterKey}, a KMS key ARN of this region as
 * {@link KmsKeys#createKey} returns it; another region's key is refused as a residency violation): the put sends
 * {@code x-amz-server-side-encryption: aws:kms} and {@code x-amz-server-side-encryption-aws-kms-key-id: <arn>} and
 * records the ARN in the metadata ({@code x-amz-meta-geo-kms-key}); S3's answer must confirm SSE-KMS under that ARN,
 * or the object is deleted and the put refused (a server that ignores the headers, as S3Proxy does, stores nothing
 * less protected than asked). Reads expecting a key check the same two response headers of {@code GetObject} /
 * {@code HeadObject} and refuse an object under another key or under none; plain reads refuse an object recorded as
 * under a master key. ("Using server-side encryption with AWS KMS keys (SSE-KMS)", Amazon S3 User Guide,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html.) Thread-safe. Not part of the API.
 */
public final class S3Objects implements ObjectStorage {
    /** What a streamed put keeps in memory before it spools to a temporary file. */
    static final int IN_MEMORY = 8 * 1024 * 1024;
    private static final String SHA256 = "sha256";
    /** The metadata recording the master key an object was stored under ({@code x-amz-meta-geo-kms-key}). */
    private static final String KMS_KEY = "geo-kms-key";

    private final S3Client s3;
    private final RegionGuard guard;
    private final String bucket;
    private final String prefix;
    private final Encryption encryption;
    private final String owner;

    /**
     * How objects are encrypted at rest.
     *
     * @param sse {@link ServerSideEncryption#AWS_KMS}, {@link ServerSideEncryption#AES256}, or null for the bucket's
     *     default
     * @param kmsKeyId the KMS key of SSE-KMS (an ARN or alias), or null for the bucket's or S3's default key
     * @param bucketKeys whether S3 is asked to use an S3 Bucket Key for SSE-KMS objects (tenants' too)
     */
    public record Encryption(ServerSideEncryption sse, String kmsKeyId, boolean bucketKeys) {
        void applyTo(PutObjectRequest.Builder b) {
            if (sse != null) {
                b.serverSideEncryption(sse);
                if (sse == ServerSideEncryption.AWS_KMS && kmsKeyId != null) {
                    b.ssekmsKeyId(kmsKeyId);
                }
                if (sse == ServerSideEncryption.AWS_KMS && bucketKeys) {
                    b.bucketKeyEnabled(true);
                }
            }
        }
    }

    /**
     * Objects in {@code bucket} (of {@code guard}'s region) under {@code namespace + "/"}.
     *
     * @param owner the account id sent as {@code ExpectedBucketOwner} on every request, or null for none
     */
    public S3Objects(S3Client s3, RegionGuard guard, String bucket, String namespace, Encryption encryption,
            String owner) {
        this.owner = owner;
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.prefix = Names.namespace(namespace) + "/";
        this.encryption = Objects.requireNonNull(encryption, "encryption");
    }

    private String where() {
        return "S3 bucket " + bucket + " (" + guard.aws().id() + ")";
    }

    private String s3Key(String key) {
        return prefix + Names.objectKey(key);
    }

    @Override
    public boolean protectsWithMasterKeys() {
        return true;
    }

    /** The KMS key ARN {@code protection} names, checked to be a key of this region; null for the default. */
    private String keyOf(ObjectProtection protection, String key) {
        Objects.requireNonNull(protection, "protection");
        if (!(protection instanceof ObjectProtection.MasterKey master)) {
            return null;
        }
        guard.checkKeyArn(master.keyId(), "The master key protecting object '" + key + "'", "Protect " + guard.region()
                + " objects with a key that " + guard.region() + "'s key management issued"
                + " (cloud.requireRegion(" + guard.region() + ").keys().createKey(alias): a KMS key in "
                + guard.aws().id() + "); a tenant whose market is in " + guard.region() + " needs its key there.");
        return master.keyId();
    }

    @Override
    public StoredObject put(String key, byte[] content) {
        return put(key, content, ObjectProtection.providerDefault());
    }

    @Override
    public StoredObject put(String key, byte[] content, ObjectProtection protection) {
        String s3Key = s3Key(key);
        Objects.requireNonNull(content, "content");
        String arn = keyOf(protection, key);
        byte[] copy = content.clone();
        String sha = Digests.sha256Hex(copy);
        upload(key, s3Key, copy.length, sha, RequestBody.fromBytes(copy), arn);
        return new StoredObject(key, copy.length, sha);
    }

    @Override
    public StoredObject put(String key, InputStream content) {
        return put(key, content, ObjectProtection.providerDefault());
    }

    @Override
    public StoredObject put(String key, InputStream content, ObjectProtection protection) {
        String s3Key = s3Key(key);
        Objects.requireNonNull(content, "content");
        String arn = keyOf(protection, key);
        MessageDigest digest = Digests.sha256();
        ByteArrayOutputStream memory = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            int total = 0;
            for (int n; total < IN_MEMORY && (n = content.read(buffer, 0, Math.min(buffer.length,
                    IN_MEMORY - total))) != -1; total += n) {
                memory.write(buffer, 0, n);
            }
            if (total < IN_MEMORY || !hasMore(content, memory)) {
                byte[] bytes = memory.toByteArray();
                String sha = Digests.sha256Hex(bytes);
                upload(key, s3Key, bytes.length, sha, RequestBody.fromBytes(bytes), arn);
                return new StoredObject(key, bytes.length, sha);
            }
            Path spool = Files.createTempFile("geo-s3-", ".part");
            try {
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(spool), digest)) {
                    memory.writeTo(out);
                    memory = null;
                    content.transferTo(out);
                }
                long size = Files.size(spool);
                String sha = Digests.hex(digest);
                upload(key, s3Key, size, sha, RequestBody.fromFile(spool), arn);
                return new StoredObject(key, size, sha);
            } finally {
                Files.deleteIfExists(spool);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the content for " + key + " failed (nothing was stored): "
                    + e.getMessage(), e);
        }
    }

    /** Whether {@code in} has another byte; if so it is appended to {@code memory}. */
    private static boolean hasMore(InputStream in, ByteArrayOutputStream memory) throws IOException {
        int next = in.read();
        if (next == -1) {
            return false;
        }
        memory.write(next);
        return true;
    }

    /** Uploads; under master key {@code arn} if not null, which S3's answer must confirm (else nothing is kept). */
    private void upload(String key, String s3Key, long length, String sha, RequestBody body, String arn) {
        Map<String, String> metadata = arn == null ? Map.of(SHA256, sha) : Map.of(SHA256, sha, KMS_KEY, arn);
        PutObjectResponse response;
        try {
            response = s3.putObject(b -> {
                b.bucket(bucket).expectedBucketOwner(owner).key(s3Key).contentLength(length).metadata(metadata);
                if (arn == null) {
                    encryption.applyTo(b);
                } else {
                    b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(arn);
                    if (encryption.bucketKeys()) {
                        b.bucketKeyEnabled(true);
                    }
                }
            }, body);
        } catch (SdkException e) {
            throw AwsErrors.failed("Storing object '" + key + "' in " + where() + (arn == null ? ""
                    : " under master key " + arn), "s3:PutObject (and kms:GenerateDataKey on the SSE-KMS key)", e);
        }
        if (arn != null && !(response.serverSideEncryption() == ServerSideEncryption.AWS_KMS
                && arn.equals(response.ssekmsKeyId()))) {
            // Delete only what this put stored: conditional on the ETag it returned (If-Match on DeleteObject, S3
            // User Guide "How to perform conditional deletes",
            // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html; general purpose and
            // directory buckets; needs s3:GetObject as well as s3:DeleteObject). A concurrent writer's object that
            // replaced it meanwhile answers 412 (or 409 while that write completes) and is left alone. A server that
            // returned no ETag leaves nothing to condition on: then the delete is unconditional.
            String etag = response.eTag();
            String outcome;
            try {
                s3.deleteObject(b -> b.bucket(bucket).expectedBucketOwner(owner).key(s3Key).ifMatch(etag));
                outcome = "the object was deleted";
            } catch (SdkException e) {
                if (etag != null && e instanceof S3Exception s3e && (s3e.statusCode() == 412 || s3e.statusCode() == 409)
                        || absent(e)) {
                    outcome = "another writer replaced or deleted the object meanwhile, and what it stored was left";
                } else {
                    throw AwsErrors.failed("S3 did not confirm that object '" + key + "' in " + where() + " is"
                            + " encrypted under master key " + arn + ", and deleting it failed: delete it by hand",
                            "s3:DeleteObject (and s3:GetObject, for a delete conditional on the ETag)", e);
                }
            }
            guard.event("object-protection-mismatch", "S3 did not confirm SSE-KMS under " + arn + " for object '" + key
                    + "' in " + where() + " (it answered " + sse(response.serverSideEncryptionAsString(),
                    response.ssekmsKeyId()) + "); " + outcome);
            throw new GeoException("S3 did not confirm that object '" + key + "' in " + where() + " is encrypted under"
                    + " master key " + arn + " (it answered " + sse(response.serverSideEncryptionAsString(),
                    response.ssekmsKeyId()) + "), so it is not kept less protected than asked: " + outcome + "."
                    + " The server ignores SSE-KMS (S3Proxy and some S3-compatible stores do) or misreports it: use"
                    + " Amazon S3, or a store that implements SSE-KMS, for objects under tenant keys.");
        }
    }

    private static String sse(String algorithm, String kmsKey) {
        return algorithm == null ? "no server-side encryption" : kmsKey == null ? algorithm : algorithm + " with "
                + kmsKey;
    }

    /**
     * Refuses an object protected otherwise than {@code expectedArn} says (null: the provider's default, so an
     * object recorded as under a master key is refused).
     */
    private void checkProtection(String key, Map<String, String> metadata, String algorithm, String kmsKey,
            String expectedArn) {
        if (expectedArn == null) {
            String marked = metadata.get(KMS_KEY);
            if (marked != null) {
                throw new GeoException("Object '" + key + "' in " + where() + " is stored under a tenant's master key ("
                        + marked + "): read it with ObjectProtection.masterKey of that key. A read that expects the"
                        + " provider's default protection is refused.");
            }
            return;
        }
        if (!"aws:kms".equals(algorithm) || kmsKey == null) {
            guard.event("object-protection-mismatch", "Object '" + key + "' in " + where() + " read expecting "
                    + expectedArn + " is under " + sse(algorithm, kmsKey));
            throw new GeoException("Object '" + key + "' in " + where() + " is not encrypted under a KMS key (S3 reports "
                    + sse(algorithm, kmsKey) + "), but master key " + expectedArn + " was expected: it is refused."
                    + " Store it again under that key.");
        }
        if (!kmsKey.equals(expectedArn)) {
            guard.event("object-protection-mismatch", "Object '" + key + "' in " + where() + " read expecting "
                    + expectedArn + " is under " + kmsKey);
            throw new GeoException("Object '" + key + "' in " + where() + " is encrypted under KMS key " + kmsKey
                    + ", not the expected master key " + expectedArn + " (another tenant's key, or a key replaced"
                    + " since): it is refused. Read it with the key it was stored under, or store it again.");
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        return get(key, ObjectProtection.providerDefault());
    }

    @Override
    public Optional<byte[]> get(String key, ObjectProtection expected) {
        String s3Key = s3Key(key);
        String arn = keyOf(expected, key);
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).expectedBucketOwner(owner).key(s3Key));
        } catch (SdkException e) {
            if (absent(e)) {
                return Optional.empty();
            }
            throw AwsErrors.failed("Reading object '" + key + "' from " + where(), "s3:GetObject (and kms:Decrypt on"
                    + " the SSE-KMS key)", e);
        }
        GetObjectResponse response = bytes.response();
        checkProtection(key, response.metadata(), response.serverSideEncryptionAsString(), response.ssekmsKeyId(), arn);
        String recorded = recorded(key, response.metadata());
        byte[] content = bytes.asByteArray();
        if (!recorded.equals(Digests.sha256Hex(content))) {
            throw new GeoException("Object '" + key + "' in " + where() + " does not match the SHA-256 recorded when it"
                    + " was stored: it was altered or damaged. Restore it from a backup or write it again.");
        }
        return Optional.of(content);
    }

    @Override
    public Optional<InputStream> open(String key) {
        return open(key, ObjectProtection.providerDefault());
    }

    @Override
    public Optional<InputStream> open(String key, ObjectProtection expected) {
        String s3Key = s3Key(key);
        String arn = keyOf(expected, key);
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket).expectedBucketOwner(owner).key(s3Key));
        } catch (SdkException e) {
            if (absent(e)) {
                return Optional.empty();
            }
            throw AwsErrors.failed("Opening object '" + key + "' in " + where(), "s3:GetObject", e);
        }
        String recorded;
        try {
            GetObjectResponse response = in.response();
            checkProtection(key, response.metadata(), response.serverSideEncryptionAsString(), response.ssekmsKeyId(),
                    arn);
            recorded = recorded(key, response.metadata());
        } catch (GeoException e) {
            in.abort();
            throw e;
        }
        return Optional.of(new Verifying(in, recorded, key));
    }

    /**
     * The SHA-256 this store recorded when it wrote the object; an object without one (written by something else)
     * is refused, as there is nothing to check it against.
     */
    private String recorded(String key, Map<String, String> metadata) {
        String sha = metadata.get(SHA256);
        if (sha == null || !sha.matches("[0-9a-f]{64}")) {
            throw new GeoException("Object '" + key + "' in " + where() + " has no SHA-256 recorded by this store"
                    + " (metadata '" + SHA256 + "'): it was not written through the aws cloud, so its integrity cannot"
                    + " be checked and it is refused. Delete it, or write it again through the object storage.");
        }
        return sha;
    }

    /** Checks the digest of what was read when the end is reached. */
    private final class Verifying extends FilterInputStream {
        private final MessageDigest digest = Digests.sha256();
        private final String expected;
        private final String key;
        private boolean checked;
        private IOException failure;

        Verifying(InputStream in, String expected, String key) {
            super(in);
            this.expected = expected;
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            failIfFailed();
            int b = super.read();
            if (b == -1) {
                verify();
            } else {
                digest.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            failIfFailed();
            int n = super.read(b, off, len);
            if (n == -1) {
                verify();
            } else {
                digest.update(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return super.skip(0); // skipping would bypass the digest: read instead
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** A failed check is sticky: every later read fails too, so a caller reading on never sees a clean end. */
        private void failIfFailed() throws IOException {
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
        }

        private void verify() throws IOException {
            if (!checked) {
                checked = true;
                if (!expected.equals(Digests.hex(digest))) {
                    failure = new IOException("Object '" + key + "' in " + where() + " does not match the SHA-256"
                            + " recorded when it was stored: it was altered or damaged.");
                    throw failure;
                }
            }
        }
    }

    @Override
    public Optional<StoredObject> head(String key) {
        return head(key, null, false); // whatever protects it: list and offboarding need that
    }

    @Override
    public Optional<StoredObject> head(String key, ObjectProtection expected) {
        return head(key, expected, true);
    }

    private Optional<StoredObject> head(String key, ObjectProtection expected, boolean check) {
        String s3Key = s3Key(key);
        String arn = check ? keyOf(expected, key) : null;
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket).expectedBucketOwner(owner).key(s3Key));
        } catch (SdkException e) {
            if (absent(e)) {
                return Optional.empty();
            }
            throw AwsErrors.failed("Looking up object '" + key + "' in " + where(), "s3:GetObject", e);
        }
        if (check) {
            checkProtection(key, head.metadata(), head.serverSideEncryptionAsString(), head.ssekmsKeyId(), arn);
        }
        return Optional.of(new StoredObject(key, head.contentLength(), recorded(key, head.metadata())));
    }

    @Override
    public List<StoredObject> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        List<StoredObject> found = new ArrayList<>();
        try {
            forEach(this.prefix + prefix, o -> head(o.key().substring(this.prefix.length())).ifPresent(found::add));
        } catch (SdkException e) {
            throw AwsErrors.failed("Listing objects under '" + prefix + "' in " + where(), "s3:ListBucket", e);
        }
        found.sort(Comparator.comparing(StoredObject::key));
        return found;
    }

    private void forEach(String s3Prefix, Consumer<S3Object> action) {
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).expectedBucketOwner(owner).prefix(s3Prefix)).contents().forEach(action);
    }

    @Override
    public void delete(String key) {
        String s3Key = s3Key(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).expectedBucketOwner(owner).key(s3Key));
        } catch (SdkException e) {
            if (absent(e)) {
                return;
            }
            throw AwsErrors.failed("Deleting object '" + key + "' from " + where(), "s3:DeleteObject", e);
        }
    }

    private static boolean absent(SdkException e) {
        return e instanceof NoSuchKeyException || e instanceof S3Exception s3e && s3e.statusCode() == 404
                && !AwsErrors.is(e, "NoSuchBucket");
    }

    @Override
    public String toString() {
        return "S3Objects[" + bucket + "/" + prefix + ", " + guard.aws().id() + "]";
    }
}
