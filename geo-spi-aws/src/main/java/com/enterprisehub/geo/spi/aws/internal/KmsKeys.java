package com.enterprisehub.geo.spi.aws.internal;

import com.enterprisehub.geo.core.ConfigKeys;
import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.crypto.AesGcm;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Master keys in AWS KMS, one region. A master key is a symmetric KMS key reached through the alias
 * {@code alias/<namespace>/<alias>} ('.' of the SPI's alias becomes '/'); its id is the key's ARN, which names the
 * region, so another region's key management refuses it.
 *
 * <p>Envelope encryption: {@link #wrap} asks KMS for a fresh 256-bit data-encryption key ({@code GenerateDataKey},
 * encryption context {@code geo:namespace} and {@code geo:context}) and seals the caller's key under it locally
 * (AES-GCM, associated data naming the master key and the context); the result is
 * {@code 0x01 | length(2) | KMS ciphertext blob | sealed}. {@link #unwrap} has KMS decrypt the blob
 * ({@code Decrypt}, same context, {@code KeyId} given so a blob of another key is refused) and opens the rest.
 * Decrypted data-encryption keys are kept in a bounded {@link DataKeyCache}: unwrapping the same value again within
 * its lifetime makes no KMS request. {@link #destroyKey} schedules the key's deletion ({@code ScheduleKeyDeletion}
 * with the configured pending window) and drops its cached keys; KMS refuses a key pending deletion, so what it
 * wrapped no longer opens (after the window, never again). KMS accepts a window of 7 to 30 days and refuses keys
 * pending deletion ("ScheduleKeyDeletion", AWS KMS API Reference,
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html). Thread-safe. Not part of the
 * API.
 */
public final class KmsKeys implements KeyManagement {
    private static final Logger LOG = LoggerFactory.getLogger(KmsKeys.class);
    private static final byte VERSION = 1;
    /** The resource part of a KMS key ARN (the ARN itself is parsed by {@link RegionGuard#parse}). */
    private static final Pattern KEY_RESOURCE = Pattern.compile(
            "key/((mrk-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})");

    private static final String ATTEMPT_TAG = "geo:create-attempt";

    private final KmsClient kms;
    private final RegionGuard guard;
    private final String namespace;
    private final int pendingWindowDays;
    private final DataKeyCache cache;
    private final ConcurrentHashMap<String, Object> creating = new ConcurrentHashMap<>();

    /**
     * Key management on {@code kms} (a client of {@code guard}'s AWS region).
     *
     * @param pendingWindowDays the waiting period of {@code ScheduleKeyDeletion}, 7 to 30 days
     */
    public KmsKeys(KmsClient kms, RegionGuard guard, String namespace, int pendingWindowDays, DataKeyCache cache) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.namespace = Names.namespace(namespace);
        if (pendingWindowDays < 7 || pendingWindowDays > 30) {
            throw new IllegalArgumentException("KMS accepts a pending window of 7 to 30 days");
        }
        this.pendingWindowDays = pendingWindowDays;
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    private String where() {
        return "AWS KMS in " + guard.aws().id();
    }

    /** The KMS alias name of an SPI alias. */
    String aliasName(String alias) {
        return "alias/" + namespace + "/" + ConfigKeys.check(alias, "master key alias").replace('.', '/');
    }

    @Override
    public String createKey(String alias) {
        String aliasName = aliasName(alias);
        synchronized (creating.computeIfAbsent(aliasName, a -> new Object())) {
            Optional<KeyMetadata> existing = describe(aliasName);
            if (existing.isPresent() && existing.get().keyState() != KeyState.PENDING_DELETION) {
                return checked(existing.get().arn(), alias);
            }
            String arn;
            // CreateKey is not idempotent: a retry after a lost answer would make a second key. So it is sent once
            // (retries off for this request), tagged with this attempt; if it fails, keys of this attempt are retired.
            String attempt = java.util.UUID.randomUUID().toString();
            try {
                arn = kms.createKey(b -> b.keyUsage(KeyUsageType.ENCRYPT_DECRYPT).keySpec(KeySpec.SYMMETRIC_DEFAULT)
                        .description("EnterpriseHub Geo master key '" + alias + "' of namespace '" + namespace + "'")
                        .tags(Tag.builder().tagKey("geo:namespace").tagValue(namespace).build(),
                                Tag.builder().tagKey("geo:alias").tagValue(alias).build(),
                                Tag.builder().tagKey(ATTEMPT_TAG).tagValue(attempt).build())
                        .overrideConfiguration(o -> o.addPlugin(config -> config.overrideConfiguration(
                                c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())))))
                        .keyMetadata().arn();
            } catch (SdkException e) {
                retireAttempt(attempt);
                throw AwsErrors.failed("Creating master key '" + alias + "' in " + where(), "kms:CreateKey and"
                        + " kms:TagResource", e);
            }
            try {
                checked(arn, alias);
            } catch (GeoException refused) {
                scheduleQuietly(arn);
                throw refused;
            }
            try {
                if (existing.isPresent()) {
                    kms.updateAlias(b -> b.aliasName(aliasName).targetKeyId(arn));
                } else {
                    kms.createAlias(b -> b.aliasName(aliasName).targetKeyId(arn));
                }
            } catch (AlreadyExistsException raced) {
                // Another process created the alias first: use its key, retire ours.
                scheduleQuietly(arn);
                return describe(aliasName).filter(k -> k.keyState() != KeyState.PENDING_DELETION)
                        .map(k -> checked(k.arn(), alias)).orElseThrow(() -> new GeoException("Master key '" + alias
                                + "' was created concurrently elsewhere and is already pending deletion in "
                                + where() + ". Create it again."));
            } catch (SdkException e) {
                scheduleQuietly(arn);
                throw AwsErrors.failed("Naming master key '" + alias + "' (" + aliasName + ") in " + where(),
                        existing.isPresent() ? "kms:UpdateAlias" : "kms:CreateAlias", e);
            }
            if (existing.isPresent()) {
                // UpdateAlias is last-writer-wins: if another process re-pointed the alias meanwhile, use its key.
                String winner = describe(aliasName).map(KeyMetadata::arn).orElse(arn);
                if (!winner.equals(arn)) {
                    scheduleQuietly(arn);
                    return checked(winner, alias);
                }
            }
            LOG.info("Created KMS master key {} for alias {} in {}", arn, aliasName, guard.aws().id());
            return arn;
        }
    }

    private String checked(String arn, String alias) {
        guard.checkArn(arn, "kms", "Master key '" + alias + "'");
        return arn;
    }

    private Optional<KeyMetadata> describe(String keyIdOrAlias) {
        try {
            return Optional.of(kms.describeKey(b -> b.keyId(keyIdOrAlias)).keyMetadata());
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsErrors.failed("Looking up master key " + keyIdOrAlias + " in " + where(), "kms:DescribeKey", e);
        }
    }

    /**
     * Schedules the deletion of every key tagged with creation attempt {@code attempt} (a CreateKey whose answer was
     * lost may still have made one). Best effort: a CreateKey that completes after this sweep leaves an unaliased
     * key carrying the tag, logged here for a person to delete.
     */
    private void retireAttempt(String attempt) {
        try {
            for (var listed : kms.listKeysPaginator(b -> { }).keys()) {
                boolean ours = kms.listResourceTagsPaginator(b -> b.keyId(listed.keyArn())).tags().stream()
                        .anyMatch(t -> t.tagKey().equals(ATTEMPT_TAG) && t.tagValue().equals(attempt));
                if (ours) {
                    scheduleQuietly(listed.keyArn());
                }
            }
        } catch (SdkException e) {
            LOG.warn("Could not look for a KMS key left by a failed CreateKey in {} ({}); look for keys tagged {}={}"
                    + " and delete them", guard.aws().id(), AwsErrors.code(e), ATTEMPT_TAG, attempt);
        }
    }

    private void scheduleQuietly(String arn) {
        try {
            kms.scheduleKeyDeletion(b -> b.keyId(arn).pendingWindowInDays(7));
        } catch (SdkException e) {
            LOG.warn("Could not schedule the deletion of unused KMS key {} in {} ({}); delete it by hand", arn,
                    guard.aws().id(), AwsErrors.code(e));
        }
    }

    /** The ARN {@code keyId}, if it is a key ARN of this region; a {@link GeoException} otherwise. */
    private String arn(String keyId) {
        Optional<RegionGuard.Arn> parsed = RegionGuard.parse(keyId).filter(a -> a.service().equals("kms")
                && KEY_RESOURCE.matcher(a.resource()).matches());
        if (parsed.isEmpty()) {
            throw new GeoException("'" + keyId + "' is not a master key id of the aws cloud (a KMS key ARN, as"
                    + " createKey returns). Use the id createKey returned.");
        }
        if (!parsed.get().region().equals(guard.aws().id())) {
            throw new GeoException("Master key " + keyId + " belongs to AWS region " + parsed.get().region()
                    + ", not to " + guard.aws().id() + " (" + guard.region() + "). Use the key management of the region"
                    + " that created it.");
        }
        return keyId;
    }

    private Map<String, String> encryptionContext(String context) {
        return Map.of("geo:namespace", namespace, "geo:context", Objects.requireNonNull(context, "context"));
    }

    private static byte[] aad(String arn, String context) {
        return ("geo-aws-wrap/v1\u0000" + arn + "\u0000" + context).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] wrap(String keyId, byte[] dataKey, String context) {
        String arn = arn(keyId);
        Objects.requireNonNull(dataKey, "dataKey");
        refuseIfDestroyed(arn, "Wrapping a data key under");
        GenerateDataKeyResponse generated;
        try {
            generated = kms.generateDataKey(b -> b.keyId(arn).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(encryptionContext(context)));
        } catch (SdkException e) {
            throw keyFailure("Wrapping a data key under master key " + arn, "kms:GenerateDataKey", e);
        }
        if (!arn.equals(generated.keyId())) {
            throw new GeoException("AWS KMS answered GenerateDataKey for " + arn + " with key " + generated.keyId()
                    + "; refusing to use it.");
        }
        byte[] dek = generated.plaintext().asByteArray();
        byte[] blob = generated.ciphertextBlob().asByteArray();
        try {
            byte[] sealed = AesGcm.seal(new SecretKeySpec(dek, "AES"), dataKey.clone(), aad(arn, context));
            cache.put(arn, context, blob, dek);
            return ByteBuffer.allocate(3 + blob.length + sealed.length).put(VERSION).putShort((short) blob.length)
                    .put(blob).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new GeoException("Sealing a data key under master key " + arn + " failed: " + e.getMessage(), e);
        } finally {
            Arrays.fill(dek, (byte) 0);
        }
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped, String context) {
        String arn = arn(keyId);
        Objects.requireNonNull(context, "context");
        if (wrapped == null || wrapped.length < 3 || wrapped[0] != VERSION) {
            throw notOurs(arn);
        }
        int blobLength = ((wrapped[1] & 0xff) << 8) | (wrapped[2] & 0xff);
        if (blobLength == 0 || 3 + blobLength >= wrapped.length
                || !AesGcm.isSealed(Arrays.copyOfRange(wrapped, 3 + blobLength, wrapped.length))) {
            throw notOurs(arn);
        }
        byte[] blob = Arrays.copyOfRange(wrapped, 3, 3 + blobLength);
        byte[] sealed = Arrays.copyOfRange(wrapped, 3 + blobLength, wrapped.length);
        refuseIfDestroyed(arn, "Unwrapping a data key with");
        byte[] dek = cache.get(arn, context, blob).orElse(null);
        if (dek == null) {
            DecryptResponse decrypted;
            try {
                decrypted = kms.decrypt(b -> b.keyId(arn).ciphertextBlob(SdkBytes.fromByteArray(blob))
                        .encryptionContext(encryptionContext(context)));
            } catch (SdkException e) {
                throw keyFailure("Unwrapping a data key with master key " + arn, "kms:Decrypt", e);
            }
            if (!arn.equals(decrypted.keyId())) {
                throw new GeoException("AWS KMS decrypted with key " + decrypted.keyId() + " instead of " + arn
                        + "; refusing the result.");
            }
            dek = decrypted.plaintext().asByteArray();
            // put ignores a key destroyed meanwhile; the check after it refuses the answer that raced destroyKey
            cache.put(arn, context, blob, dek);
            if (cache.isDestroyed(arn)) {
                Arrays.fill(dek, (byte) 0);
                refuseIfDestroyed(arn, "Unwrapping a data key with");
            }
        }
        try {
            return AesGcm.open(new SecretKeySpec(dek, "AES"), sealed, aad(arn, context));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new GeoException("The wrapped data key does not open with master key " + arn + " and this"
                    + " context: it was altered, or made with another key or context.", e);
        } finally {
            Arrays.fill(dek, (byte) 0);
        }
    }

    private void refuseIfDestroyed(String arn, String what) {
        if (cache.isDestroyed(arn)) {
            throw new GeoException(what + " master key " + arn + " failed: the key was destroyed (pending deletion)"
                    + " through this process in " + where() + "; destroyed keys are refused and what they wrapped no"
                    + " longer opens.");
        }
    }

    private static GeoException notOurs(String arn) {
        return new GeoException("This is not a data key wrapped by the aws cloud's key management (unknown format,"
                + " truncated or lengthened); it cannot be opened with master key " + arn + ".");
    }

    private GeoException keyFailure(String what, String action, SdkException e) {
        String code = AwsErrors.code(e);
        String arn = what.substring(what.lastIndexOf(' ') + 1);
        return switch (code) {
            case "NotFoundException" -> new GeoException(what + " failed: the key does not exist in " + where()
                    + " (never created here, or deleted after its pending window).", e);
            case "KMSInvalidStateException", "DisabledException" -> new GeoException(what + " failed: the key is "
                    + "pending deletion or disabled in " + where() + " (destroyed keys are refused; what they wrapped"
                    + " no longer opens). Cancel the deletion in KMS within its pending window only if the"
                    + " destruction was a mistake.", e);
            case "InvalidCiphertextException", "IncorrectKeyException" -> new GeoException(what + " failed: the"
                    + " wrapped data key was altered, or made with another key or context, so " + arn
                    + " does not open it.", e);
            default -> AwsErrors.failed(what + " in " + where(), action, e);
        };
    }

    @Override
    public void destroyKey(String keyId) {
        String arn = arn(keyId);
        // Marked before KMS is asked, so an unwrap answered meanwhile cannot cache its data key afterwards; undone
        // only if the key is still usable because the destruction failed.
        cache.destroyed(arn);
        Optional<KeyMetadata> key;
        try {
            key = describe(arn);
        } catch (RuntimeException e) {
            cache.notDestroyed(arn);
            throw e;
        }
        if (key.isEmpty() || key.get().keyState() == KeyState.PENDING_DELETION) {
            return;
        }
        try {
            kms.scheduleKeyDeletion(b -> b.keyId(arn).pendingWindowInDays(pendingWindowDays));
        } catch (SdkException e) {
            if (AwsErrors.is(e, "KMSInvalidStateException") && describe(arn)
                    .map(k -> k.keyState() == KeyState.PENDING_DELETION).orElse(true)) {
                return; // destroyed concurrently
            }
            cache.notDestroyed(arn);
            throw AwsErrors.failed("Destroying master key " + arn + " (ScheduleKeyDeletion) in " + where(),
                    "kms:ScheduleKeyDeletion", e);
        }
        LOG.info("Scheduled the deletion of KMS master key {} in {} ({} days pending; refused from now on)", arn,
                guard.aws().id(), pendingWindowDays);
    }

    @Override
    public String toString() {
        return "KmsKeys[" + guard.aws().id() + ", namespace=" + namespace + "]";
    }
}
