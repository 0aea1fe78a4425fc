package com.enterprisehub.geo.spi.aws.internal;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Secrets in AWS Secrets Manager, one region, named {@code <namespace>/<name>}. {@link #get} reads the version
 * staged {@code AWSCURRENT} and keeps it for the cache lifetime, so a rotation done elsewhere (Secrets Manager's
 * rotation moves {@code AWSCURRENT} to the new version and {@code AWSPREVIOUS} to the old) is seen within that
 * lifetime ("Secret versions", AWS Secrets Manager User Guide,
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html); {@link #put} and
 * {@link #delete} through this store are seen at once. {@link #put} writes a new version
 * ({@code PutSecretValue}, or {@code CreateSecret} the first time); {@link #delete} deletes without a recovery window
 * ({@code ForceDeleteWithoutRecovery}), as the SPI's delete is final. Values are never logged nor put in messages.
 * Thread-safe. Not part of the API.
 */
public final class SecretsManagerSecrets implements SecretStore {
    private final SecretsManagerClient client;
    private final RegionGuard guard;
    /** A secret RDS manages for a master user: {@code rds!db-<uuid>} or {@code rds!cluster-<uuid>}. */
    private static final Pattern RDS_MANAGED = Pattern.compile(
            "rds!(db|cluster)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private final String namespace;
    private final Duration lifetime;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
    /** Bumped by every write through this store: a read that began before it does not fill the cache. */
    private final AtomicLong writes = new AtomicLong();

    private record Cached(String value, Instant until) {
        @Override
        public String toString() {
            return "Cached[until=" + until + "]";
        }
    }

    /** Secrets on {@code client} (of {@code guard}'s region) under {@code namespace}, cached for {@code lifetime}. */
    public SecretsManagerSecrets(SecretsManagerClient client, RegionGuard guard, String namespace, Duration lifetime,
            Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.namespace = Names.namespace(namespace);
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private String id(String name) {
        return namespace + "/" + Names.secretName(name);
    }

    private String where() {
        return "AWS Secrets Manager in " + guard.aws().id();
    }

    @Override
    public Optional<String> get(String name) {
        String id = id(name);
        Cached cached = cache.get(id);
        if (cached != null && clock.instant().isBefore(cached.until())) {
            return Optional.of(cached.value());
        }
        long before = writes.get();
        Optional<String> value = read(id, "AWSCURRENT");
        synchronized (writes) { // compare and store as one step: no write can land between them
            if (value.isPresent() && writes.get() == before) {
                cache.put(id, new Cached(value.get(), clock.instant().plus(lifetime)));
            } else {
                cache.remove(id);
            }
        }
        return value;
    }

    /** The value of secret {@code name} staged {@code stage} ("AWSCURRENT", "AWSPREVIOUS"), not cached. */
    public Optional<String> get(String name, String stage) {
        return read(id(name), Objects.requireNonNull(stage, "stage"));
    }

    /**
     * The value of a secret RDS manages for a database's master user, staged {@code stage}, by its own name
     * ({@code rds!db-<uuid>}, {@code rds!cluster-<uuid>}: outside this store's namespace, which RDS does not use), not
     * cached.
     *
     * @throws GeoValidationException if {@code name} is not such a name
     */
    public Optional<String> getRdsManaged(String name, String stage) {
        if (!isRdsManaged(name)) {
            throw new GeoValidationException("'" + name + "' is not the name of a secret RDS manages (rds!db-<id> or"
                    + " rds!cluster-<id>).");
        }
        return read(name, Objects.requireNonNull(stage, "stage"));
    }

    /** Whether {@code name} has the form of a secret RDS manages for a master user ({@code rds!db-<uuid>}). */
    public static boolean isRdsManaged(String name) {
        return name != null && RDS_MANAGED.matcher(name).matches();
    }

    private Optional<String> read(String id, String stage) {
        GetSecretValueResponse response;
        try {
            response = client.getSecretValue(b -> b.secretId(id).versionStage(stage));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (AwsErrors.is(e, "InvalidRequestException") && String.valueOf(e.getMessage()).contains(
                    "marked for deletion")) {
                return Optional.empty(); // deleted with a recovery window (by someone else): absent here
            }
            throw AwsErrors.failed("Reading secret '" + id + "' from " + where(), "secretsmanager:GetSecretValue", e);
        }
        if (response.secretString() != null) {
            return Optional.of(response.secretString());
        }
        return Optional.ofNullable(response.secretBinary()).map(b -> b.asString(StandardCharsets.UTF_8));
    }

    @Override
    public void put(String name, String value) {
        String id = id(name);
        Objects.requireNonNull(value, "value");
        invalidate(id);
        try {
            try {
                client.putSecretValue(b -> b.secretId(id).secretString(value));
            } catch (ResourceNotFoundException absent) {
                try {
                    client.createSecret(b -> b.name(id).secretString(value).description("EnterpriseHub Geo secret")
                            .tags(Tag.builder().key("geo:namespace").value(namespace).build()));
                } catch (ResourceExistsException raced) {
                    client.putSecretValue(b -> b.secretId(id).secretString(value));
                }
            }
        } catch (SdkException e) {
            throw AwsErrors.failed("Storing secret '" + id + "' in " + where(), "secretsmanager:PutSecretValue and"
                    + " secretsmanager:CreateSecret", e);
        } finally {
            invalidate(id);
        }
    }

    @Override
    public void delete(String name) {
        String id = id(name);
        invalidate(id);
        try {
            client.deleteSecret(b -> b.secretId(id).forceDeleteWithoutRecovery(true));
        } catch (ResourceNotFoundException gone) {
            // idempotent
        } catch (SdkException e) {
            throw AwsErrors.failed("Deleting secret '" + id + "' from " + where(), "secretsmanager:DeleteSecret", e);
        } finally {
            invalidate(id);
        }
    }

    private void invalidate(String id) {
        synchronized (writes) {
            writes.incrementAndGet();
            cache.remove(id);
        }
    }

    @Override
    public String toString() {
        return "SecretsManagerSecrets[" + guard.aws().id() + ", namespace=" + namespace + ", cache lifetime="
                + lifetime + "]"; // never the values
    }
}
