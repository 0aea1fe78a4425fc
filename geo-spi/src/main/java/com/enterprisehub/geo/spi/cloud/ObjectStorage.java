package com.enterprisehub.geo.spi.cloud;

import com.enterprisehub.geo.core.GeoException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Files by key ({@code markets/us-ca/l10n/en-US.json}): paths of letters, digits,
 * '.', '_' and '-' separated by '/' (no empty, '.' or '..' segment). Writing the same content twice leaves one object, so writes can be
 * repeated safely. Implementations are thread-safe; a write is atomic (readers see the old or the new
 * content, never a mix).
 *
 * <p><b>Protection at rest.</b> Every object is protected as the provider does by default, or, when written with
 * {@link ObjectProtection#masterKey}, under a master key of the same region's {@link KeyManagement} (a tenant's key:
 * destroying it makes the object unreadable, crypto-shredding included). Reads that name an
 * {@link ObjectProtection} check it and refuse, with a {@link GeoException}, an object protected otherwise (under
 * another key, or under none); the plain reads {@link #get(String)} and {@link #open(String)} expect the provider's
 * default and so refuse an object stored under a master key. {@link #head(String)}, {@link #list} and {@link #delete}
 * work on every object whatever protects it (so offboarding can find and remove a tenant's objects after its key is
 * destroyed). A provider that cannot protect objects with master keys says so with {@link #protectsWithMasterKeys()}
 * {@code false} and refuses every operation given a master key (the defaults here do that), so nothing is ever
 * stored less protected than asked.
 *
 * <p><b>What a master key does not hide.</b> {@link StoredObject#sha256()} is the SHA-256 of the plaintext content
 * for every object, one under a master key included, and {@link #head(String)} and {@link #list} report it without
 * the key: the providers keep it beside the object outside the key's protection (aws: user metadata; local: the
 * sealed file's trailer; the example memory provider: beside the sealed value). Anyone who can list the storage
 * can therefore confirm a guess of an object's content, and the digest and size survive the destruction of the key.
 * Do not rely on a master key to hide low-entropy content (a known document, a short value) from someone who can
 * list the storage; see docs/aws.md, "Known limitation".
 */
public interface ObjectStorage {

    /** Stores {@code content} under {@code key}, replacing what was there; returns what is stored. */
    StoredObject put(String key, byte[] content);

    /**
     * Stores what {@code content} yields up to its end under {@code key}, replacing what was there; the stream is
     * read, not closed. Implementations should stream it, so objects larger than memory can be stored (the
     * default reads it into memory and calls {@link #put(String, byte[])}).
     *
     * @throws java.io.UncheckedIOException if reading {@code content} fails (nothing is stored then)
     */
    default StoredObject put(String key, InputStream content) {
        try {
            return put(key, content.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the content for " + key + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The content under {@code key}, if there is any.
     *
     * @throws GeoException if the object is protected by a master key (read it with
     *     {@link #get(String, ObjectProtection)}), or fails the provider's integrity check
     */
    Optional<byte[]> get(String key);

    /**
     * The content under {@code key} as a stream the caller closes, if there is any. Implementations should
     * stream it (the default reads it into memory with {@link #get}).
     */
    default Optional<InputStream> open(String key) {
        return get(key).map(ByteArrayInputStream::new);
    }

    /** What is stored under {@code key}, if anything, without its content, whatever protects it. */
    Optional<StoredObject> head(String key);

    /** Every object whose key starts with {@code prefix}, ordered by key. */
    List<StoredObject> list(String prefix);

    /** Removes an object; idempotent. */
    void delete(String key);

    /**
     * Whether this storage protects objects with master keys of its region ({@link ObjectProtection#masterKey}).
     * Default {@code false}: every operation given a master key is refused with a {@link GeoException}.
     */
    default boolean protectsWithMasterKeys() {
        return false;
    }

    /**
     * Stores {@code content} under {@code key} protected by {@code protection}, replacing what was there (and how it
     * was protected); returns what is stored (the size and SHA-256 of {@code content}, as {@link #put(String, byte[])}
     * returns).
     *
     * @throws GeoException if the storage cannot protect objects that way (nothing is stored), the master key is not
     *     one of this region, was destroyed or cannot be used; the message says what to configure
     */
    default StoredObject put(String key, byte[] content, ObjectProtection protection) {
        return defaultProtection(protection) ? put(key, content) : refuse(protection, key);
    }

    /**
     * Stores what {@code content} yields up to its end under {@code key}, protected by {@code protection}; as
     * {@link #put(String, InputStream)} otherwise (the stream is read, not closed; a stream that fails part-way
     * stores nothing).
     *
     * @throws GeoException as {@link #put(String, byte[], ObjectProtection)}
     * @throws UncheckedIOException if reading {@code content} fails (nothing is stored then)
     */
    default StoredObject put(String key, InputStream content, ObjectProtection protection) {
        return defaultProtection(protection) ? put(key, content) : refuse(protection, key);
    }

    /**
     * The content under {@code key}, if there is any, after checking that it is protected by {@code expected}.
     *
     * @throws GeoException if the object is protected otherwise (another master key, or none when a key is expected,
     *     or a key when none is), its key was destroyed, or the storage cannot protect objects that way
     */
    default Optional<byte[]> get(String key, ObjectProtection expected) {
        return defaultProtection(expected) ? get(key) : refuse(expected, key);
    }

    /**
     * The content under {@code key} as a stream the caller closes, if there is any, after checking that it is
     * protected by {@code expected}.
     *
     * @throws GeoException as {@link #get(String, ObjectProtection)}
     */
    default Optional<InputStream> open(String key, ObjectProtection expected) {
        return defaultProtection(expected) ? open(key) : refuse(expected, key);
    }

    /**
     * What is stored under {@code key}, if anything, without its content, after checking that it is protected by
     * {@code expected}.
     *
     * @throws GeoException if the object is protected otherwise, or the storage cannot protect objects that way
     */
    default Optional<StoredObject> head(String key, ObjectProtection expected) {
        return defaultProtection(expected) ? head(key) : refuse(expected, key);
    }

    private static boolean defaultProtection(ObjectProtection protection) {
        Objects.requireNonNull(protection, "protection");
        return protection instanceof ObjectProtection.ProviderDefault;
    }

    private <T> T refuse(ObjectProtection protection, String key) {
        throw new GeoException("This object storage (" + getClass().getSimpleName() + ") cannot protect objects with a"
                + " master key, so object '" + key + "' is not stored or read under " + protection + ". Use a cloud"
                + " provider whose object storage does (protectsWithMasterKeys() is true: 'aws', 'local'), or encrypt"
                + " the content yourself before storing it with the provider's default protection.");
    }
}
