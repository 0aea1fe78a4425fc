package com.enterprisehub.geo.spi.cloud;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Files by key ({@code markets/us-ca/l10n/en-US.json}): paths of letters, digits,
 * '.', '_' and '-' separated by '/' (no empty, '.' or '..' segment). Writing the same content twice leaves one object, so writes can be
 * repeated safely. Implementations are thread-safe; a write is atomic (readers see the old or the new
 * content, never a mix).
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

    /** The content under {@code key}, if there is any. */
    Optional<byte[]> get(String key);

    /**
     * The content under {@code key} as a stream the caller closes, if there is any. Implementations should
     * stream it (the default reads it into memory with {@link #get}).
     */
    default Optional<InputStream> open(String key) {
        return get(key).map(ByteArrayInputStream::new);
    }

    /** What is stored under {@code key}, if anything, without its content. */
    Optional<StoredObject> head(String key);

    /** Every object whose key starts with {@code prefix}, ordered by key. */
    List<StoredObject> list(String prefix);

    /** Removes an object; idempotent. */
    void delete(String key);
}
