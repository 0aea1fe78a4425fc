package com.enterprisehub.geo.mls.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A set of listing keys kept as the first 64 bits of their SHA-256 (8 bytes a key), for reconciliation: add, then
 * {@link #seal()}, then {@link #contains}. A collision can only make an absent key look present. Not thread-safe.
 */
public final class KeyHashes {
    private final MessageDigest sha;
    private long[] hashes = new long[1_024];
    private int size;
    private boolean sealed;
    private java.util.BitSet matched;

    /** An empty set. */
    public KeyHashes() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Adds a key (before {@link #seal()}). */
    public void add(String key) {
        if (sealed) {
            throw new IllegalStateException("sealed");
        }
        if (size == hashes.length) {
            hashes = Arrays.copyOf(hashes, hashes.length * 2);
        }
        hashes[size++] = hash(key);
    }

    /** Sorts and drops repeats; {@link #contains} may be asked from now on. */
    public void seal() {
        Arrays.sort(hashes, 0, size);
        int distinct = 0;
        for (int i = 0; i < size; i++) {
            if (distinct == 0 || hashes[distinct - 1] != hashes[i]) {
                hashes[distinct++] = hashes[i];
            }
        }
        size = distinct;
        sealed = true;
        matched = new java.util.BitSet(size);
    }

    /** Whether the key (or one with the same hash) was added; if so, marks it matched. */
    public boolean contains(String key) {
        if (!sealed) {
            throw new IllegalStateException("not sealed");
        }
        int at = Arrays.binarySearch(hashes, 0, size, hash(key));
        if (at >= 0) {
            matched.set(at);
        }
        return at >= 0;
    }

    /** How many distinct hashes no {@link #contains} call matched. */
    public int unmatched() {
        return size - matched.cardinality();
    }

    /** Distinct hashes (after {@link #seal()}), else hashes added. */
    public int size() {
        return size;
    }

    private long hash(String key) {
        return ByteBuffer.wrap(sha.digest(key.getBytes(StandardCharsets.UTF_8))).getLong();
    }
}
