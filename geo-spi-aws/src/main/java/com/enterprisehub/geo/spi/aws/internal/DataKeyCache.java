package com.enterprisehub.geo.spi.aws.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bounded cache of plaintext data keys KMS decrypted, so unwrapping the same wrapped key again within the cache's
 * lifetime costs no KMS request. At most {@code capacity} entries (least recently used goes first), each for at most
 * {@code lifetime}; entries of a master key are dropped when it is destroyed through this process, and from then on
 * ({@link #destroyed}) the cache neither stores nor answers keys of it, so an unwrap whose {@code Decrypt} answer
 * arrives after the destruction cannot put its key back. Entries are keyed by master key, context and the encrypted
 * data key, so a hit needs the same three. Evicted keys are zeroed. The set of destroyed master keys grows by one ARN
 * per destruction through this process (no key material).
 * Thread-safe. Not part of the API.
 */
public final class DataKeyCache {
    private final int capacity;
    private final Duration lifetime;
    private final Clock clock;
    private final LinkedHashMap<Entry, byte[]> keys;
    private final Map<Entry, Instant> expiries = new java.util.HashMap<>();
    private final java.util.Set<String> destroyed = new java.util.HashSet<>();

    /** A cache of at most {@code capacity} keys (0 disables it), each kept for at most {@code lifetime}. */
    public DataKeyCache(int capacity, Duration lifetime, Clock clock) {
        this.capacity = capacity;
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keys = new LinkedHashMap<>(16, 0.75f, true);
    }

    private record Entry(String keyId, String context, ByteArray encrypted) {
    }

    /** A byte array compared by content. */
    private record ByteArray(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteArray other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "ByteArray[" + bytes.length + "]";
        }
    }

    /** A copy of the cached plaintext key, if there is a live one. */
    public synchronized Optional<byte[]> get(String keyId, String context, byte[] encrypted) {
        if (capacity == 0 || destroyed.contains(keyId)) {
            return Optional.empty();
        }
        Entry entry = new Entry(keyId, context, new ByteArray(encrypted));
        byte[] key = keys.get(entry);
        if (key == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(expiries.get(entry))) {
            remove(entry);
            return Optional.empty();
        }
        return Optional.of(key.clone());
    }

    /** Caches a copy of {@code plaintext}, unless master key {@code keyId} was {@link #destroyed}. */
    public synchronized void put(String keyId, String context, byte[] encrypted, byte[] plaintext) {
        if (capacity == 0 || destroyed.contains(keyId)) {
            return;
        }
        Entry entry = new Entry(keyId, context, new ByteArray(encrypted.clone()));
        remove(entry);
        keys.put(entry, plaintext.clone());
        expiries.put(entry, clock.instant().plus(lifetime));
        while (keys.size() > capacity) {
            remove(keys.keySet().iterator().next());
        }
    }

    /** Drops every key of master key {@code keyId}. */
    public synchronized void forget(String keyId) {
        for (Iterator<Map.Entry<Entry, byte[]>> it = keys.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Entry, byte[]> e = it.next();
            if (e.getKey().keyId().equals(keyId)) {
                Arrays.fill(e.getValue(), (byte) 0);
                expiries.remove(e.getKey());
                it.remove();
            }
        }
    }

    /**
     * Marks master key {@code keyId} destroyed: drops its keys, and from now on stores and answers none of it.
     */
    public synchronized void destroyed(String keyId) {
        destroyed.add(Objects.requireNonNull(keyId, "keyId"));
        forget(keyId);
    }

    /** Undoes {@link #destroyed} (its destruction failed, so the key is still in use). */
    public synchronized void notDestroyed(String keyId) {
        destroyed.remove(keyId);
    }

    /** Whether master key {@code keyId} was destroyed through this cache's key management. */
    public synchronized boolean isDestroyed(String keyId) {
        return destroyed.contains(keyId);
    }

    /** Drops every key. */
    public synchronized void clear() {
        keys.values().forEach(k -> Arrays.fill(k, (byte) 0));
        keys.clear();
        expiries.clear();
    }

    /** How many keys are cached now. */
    public synchronized int size() {
        return keys.size();
    }

    private void remove(Entry entry) {
        byte[] key = keys.remove(entry);
        if (key != null) {
            Arrays.fill(key, (byte) 0);
        }
        expiries.remove(entry);
    }

    @Override
    public String toString() {
        return "DataKeyCache[capacity=" + capacity + ", lifetime=" + lifetime + "]"; // never the keys
    }
}
