package com.enterprisehub.geo.spi.aws.internal;

import com.enterprisehub.geo.core.GeoException;
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
 * (SSE-KMS by default). Thread-safe. Not part of the API.
 */
public final class S3Objects implements ObjectStorage {
    /** What a streamed put keeps in memory before it spools to a temporary file. */
    static final int IN_MEMORY = 8 * 1024 * 1024;
    private static final String SHA256 = "sha256";

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
     */
    public record Encryption(ServerSideEncryption sse, String kmsKeyId) {
        void applyTo(PutObjectRequest.Builder b) {
            if (sse != null) {
                b.serverSideEncryption(sse);
                if (sse == ServerSideEncryption.AWS_KMS && kmsKeyId != null) {
                    b.ssekmsKeyId(kmsKeyId);
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
    public StoredObject put(String key, byte[] content) {
        String s3Key = s3Key(key);
        Objects.requireNonNull(content, "content");
        byte[] copy = content.clone();
        String sha = Digests.sha256Hex(copy);
        upload(key, s3Key, copy.length, sha, RequestBody.fromBytes(copy));
        return new StoredObject(key, copy.length, sha);
    }

    @Override
    public StoredObject put(String key, InputStream content) {
        String s3Key = s3Key(key);
        Objects.requireNonNull(content, "content");
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
                upload(key, s3Key, bytes.length, sha, RequestBody.fromBytes(bytes));
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
                upload(key, s3Key, size, sha, RequestBody.fromFile(spool));
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

    private void upload(String key, String s3Key, long length, String sha, RequestBody body) {
        try {
            s3.putObject(b -> {
                b.bucket(bucket).expectedBucketOwner(owner).key(s3Key).contentLength(length).metadata(Map.of(SHA256, sha));
                encryption.applyTo(b);
            }, body);
        } catch (SdkException e) {
            throw AwsErrors.failed("Storing object '" + key + "' in " + where(), "s3:PutObject (and kms:GenerateDataKey"
                    + " on the SSE-KMS key)", e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        String s3Key = s3Key(key);
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
        String expected = recorded(key, bytes.response().metadata());
        byte[] content = bytes.asByteArray();
        if (!expected.equals(Digests.sha256Hex(content))) {
            throw new GeoException("Object '" + key + "' in " + where() + " does not match the SHA-256 recorded when it"
                    + " was stored: it was altered or damaged. Restore it from a backup or write it again.");
        }
        return Optional.of(content);
    }

    @Override
    public Optional<InputStream> open(String key) {
        String s3Key = s3Key(key);
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket).expectedBucketOwner(owner).key(s3Key));
        } catch (SdkException e) {
            if (absent(e)) {
                return Optional.empty();
            }
            throw AwsErrors.failed("Opening object '" + key + "' in " + where(), "s3:GetObject", e);
        }
        String expected;
        try {
            expected = recorded(key, in.response().metadata());
        } catch (GeoException e) {
            in.abort();
            throw e;
        }
        return Optional.of(new Verifying(in, expected, key));
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

        Verifying(InputStream in, String expected, String key) {
            super(in);
            this.expected = expected;
            this.key = key;
        }

        @Override
        public int read() throws IOException {
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

        private void verify() throws IOException {
            if (!checked) {
                checked = true;
                if (!expected.equals(Digests.hex(digest))) {
                    throw new IOException("Object '" + key + "' in " + where() + " does not match the SHA-256 recorded"
                            + " when it was stored: it was altered or damaged.");
                }
            }
        }
    }

    @Override
    public Optional<StoredObject> head(String key) {
        String s3Key = s3Key(key);
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket).expectedBucketOwner(owner).key(s3Key));
        } catch (SdkException e) {
            if (absent(e)) {
                return Optional.empty();
            }
            throw AwsErrors.failed("Looking up object '" + key + "' in " + where(), "s3:GetObject", e);
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
