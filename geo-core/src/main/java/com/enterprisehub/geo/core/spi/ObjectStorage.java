package com.enterprisehub.geo.core.spi;

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

    /** The content under {@code key}, if there is any. */
    Optional<byte[]> get(String key);

    /** What is stored under {@code key}, if anything, without its content. */
    Optional<StoredObject> head(String key);

    /** Every object whose key starts with {@code prefix}, ordered by key. */
    List<StoredObject> list(String prefix);

    /** Removes an object; idempotent. */
    void delete(String key);
}
