package com.enterprisehub.geo.mls.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A set of listing keys kept as the first 64 bits of their SHA-256 (8 bytes a key), optionally each with the source's
 * {@code ModificationTimestamp} in microseconds (8 bytes more), for reconciliation: add, then {@link #seal()}, then
 * {@link #indexOf}. A collision can only make an absent key look present (and give it the other key's timestamp). Not
 * thread-safe.
 */
public final class KeyHashes {
    /** The timestamp of a key added without one. */
    public static final long NO_STAMP = Long.MIN_VALUE;
    private final MessageDigest sha;
    private long[] hashes = new long[1_024];
    private long[] stamps;
    private int size;
    private boolean sealed;
    private BitSet matched;

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
        add(key, NO_STAMP);
    }

    /** Adds a key with its source timestamp in microseconds since the epoch (before {@link #seal()}). */
    public void add(String key, long stampMicros) {
        if (sealed) {
            throw new IllegalStateException("sealed");
        }
        if (size == hashes.length) {
            hashes = Arrays.copyOf(hashes, hashes.length * 2);
            if (stamps != null) {
                stamps = Arrays.copyOf(stamps, hashes.length);
            }
        }
        if (stampMicros != NO_STAMP && stamps == null) {
            stamps = new long[hashes.length];
            Arrays.fill(stamps, 0, size, NO_STAMP);
        }
        if (stamps != null) {
            stamps[size] = stampMicros;
        }
        hashes[size++] = hash(key);
    }

    /**
     * Sorts and drops repeats (a repeated key keeps its newest timestamp); {@link #indexOf} may be asked from now on.
     */
    public void seal() {
        if (stamps == null) {
            Arrays.sort(hashes, 0, size);
        } else {
            sortPairs(0, size - 1);
        }
        int distinct = 0;
        for (int i = 0; i < size; i++) {
            if (distinct == 0 || hashes[distinct - 1] != hashes[i]) {
                hashes[distinct] = hashes[i];
                if (stamps != null) {
                    stamps[distinct] = stamps[i];
                }
                distinct++;
            } else if (stamps != null) {
                stamps[distinct - 1] = Math.max(stamps[distinct - 1], stamps[i]);
            }
        }
        size = distinct;
        sealed = true;
        matched = new BitSet(size);
    }

    /** Whether the key (or one with the same hash) was added; if so, marks it matched. */
    public boolean contains(String key) {
        return indexOf(key) >= 0;
    }

    /** Where the key (or one with the same hash) is, negative if it was not added; if found, marks it matched. */
    public int indexOf(String key) {
        if (!sealed) {
            throw new IllegalStateException("not sealed");
        }
        int at = Arrays.binarySearch(hashes, 0, size, hash(key));
        if (at >= 0) {
            matched.set(at);
        }
        return at;
    }

    /** The timestamp of the key at {@code index} ({@link #indexOf}), {@link #NO_STAMP} if it came without one. */
    public long stamp(int index) {
        return stamps == null ? NO_STAMP : stamps[index];
    }

    /** Whether any key was added with a timestamp (else nothing can be compared by timestamp). */
    public boolean hasStamps() {
        return stamps != null;
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

    /** Sorts hashes[lo..hi] ascending, moving each stamp with its hash (iterative on the larger part: no deep stack). */
    private void sortPairs(int lo, int hi) {
        while (lo < hi) {
            long pivot = hashes[lo + (hi - lo) / 2];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (hashes[i] < pivot) {
                    i++;
                }
                while (hashes[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(i++, j--);
                }
            }
            if (j - lo < hi - i) {
                sortPairs(lo, j);
                lo = i;
            } else {
                sortPairs(i, hi);
                hi = j;
            }
        }
    }

    private void swap(int a, int b) {
        long h = hashes[a];
        hashes[a] = hashes[b];
        hashes[b] = h;
        long s = stamps[a];
        stamps[a] = stamps[b];
        stamps[b] = s;
    }
}
