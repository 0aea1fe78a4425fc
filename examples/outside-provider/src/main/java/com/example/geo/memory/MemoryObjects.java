package com.example.geo.memory;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.spi.cloud.ObjectProtection;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.spi.crypto.AesGcm;
import com.enterprisehub.geo.spi.crypto.Digests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import javax.crypto.spec.SecretKeySpec;

/**
 * One region's objects, held in memory, ordered by key. Each object is an immutable copy of what was put, with its
 * size and SHA-256 computed once; a put replaces the whole object atomically, so readers see the old or the new
 * content. Objects larger than {@code max-object-bytes} are refused before they are stored (a stream is read no
 * further than one byte past the limit). A key and keys under it ({@code a} and {@code a/b}) may coexist: they are
 * only strings here.
 *
 * <p>An object put under a master key ({@link ObjectProtection#masterKey}, a key of this region's
 * {@link MemoryKeys}) is kept in envelope encryption: a fresh AES-256 data key per put seals the content
 * ({@link AesGcm}, the object key as associated data), and the data key is wrapped under the master key with the
 * context {@code object:<key>}. It opens only with that master key: another key, a read expecting none, or a master
 * key destroyed since are refused. A key id of another region is refused before anything is stored. Thread-safe.
 */
final class MemoryObjects implements ObjectStorage {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String where;
    private final Lifecycle lifecycle;
    private final int maxObjectBytes;
    private final MemoryKeys keys;
    private final ConcurrentSkipListMap<String, Entry> entries = new ConcurrentSkipListMap<>();

    MemoryObjects(String where, Lifecycle lifecycle, int maxObjectBytes, MemoryKeys keys) {
        this.where = where;
        this.lifecycle = lifecycle;
        this.maxObjectBytes = maxObjectBytes;
        this.keys = keys;
    }

    /** {@code true}: objects can be kept under a master key of this region. */
    @Override
    public boolean protectsWithMasterKeys() {
        return true;
    }

    @Override
    public StoredObject put(String key, byte[] content) {
        return put(key, content, ObjectProtection.providerDefault());
    }

    @Override
    public StoredObject put(String key, byte[] content, ObjectProtection protection) {
        String checked = Names.objectKey(key);
        Objects.requireNonNull(content, "content");
        String keyId = keyOf(protection, checked);
        if (content.length > maxObjectBytes) {
            throw tooLarge(checked, content.length + " bytes");
        }
        return store(checked, content.clone(), keyId);
    }

    @Override
    public StoredObject put(String key, InputStream content) {
        return put(key, content, ObjectProtection.providerDefault());
    }

    @Override
    public StoredObject put(String key, InputStream content, ObjectProtection protection) {
        String checked = Names.objectKey(key);
        Objects.requireNonNull(content, "content");
        String keyId = keyOf(protection, checked);
        lifecycle.requireOpen(); // before reading what may be a long stream
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        long total = 0;
        try {
            for (int n; (n = content.readNBytes(chunk, 0, (int) Math.min(chunk.length, maxObjectBytes + 1L - total)))
                    > 0; ) {
                total += n;
                if (total > maxObjectBytes) {
                    throw tooLarge(checked, "more than " + maxObjectBytes + " bytes");
                }
                buffer.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the content for object '" + checked + "' failed after " + total
                    + " bytes, so nothing was stored (what the key held before is unchanged): " + e.getMessage(), e);
        }
        return store(checked, buffer.toByteArray(), keyId);
    }

    /** The master key id {@code protection} names, refused unless this region's; null for the default. */
    private String keyOf(ObjectProtection protection, String key) {
        Objects.requireNonNull(protection, "protection");
        if (!(protection instanceof ObjectProtection.MasterKey master)) {
            return null;
        }
        if (!keys.issued(master.keyId())) {
            throw new GeoException("Object '" + key + "' of the memory cloud's " + where + " region cannot be protected"
                    + " by master key '" + master.keyId() + "': it is not a key of " + where + ". Protect " + where
                    + " objects with a key " + where + "'s key management issued (cloud.requireRegion(" + where
                    + ").keys().createKey(alias)), so that they are encrypted by a key kept in their region.");
        }
        return master.keyId();
    }

    private static byte[] context(String key) {
        return ("object:" + key).getBytes(StandardCharsets.UTF_8);
    }

    private StoredObject store(String key, byte[] owned, String keyId) {
        StoredObject described = new StoredObject(key, owned.length, Digests.sha256Hex(owned));
        Entry entry;
        if (keyId == null) {
            entry = new Entry(owned, null, null, described);
        } else {
            byte[] dataKey = new byte[32];
            RANDOM.nextBytes(dataKey);
            try {
                byte[] wrapped = keys.wrap(keyId, dataKey, "object:" + key); // refuses a destroyed or unknown key
                byte[] sealed = AesGcm.seal(new SecretKeySpec(dataKey, "AES"), owned, context(key));
                entry = new Entry(sealed, wrapped, keyId, described);
            } catch (GeneralSecurityException e) {
                throw new GeoException("Encrypting object '" + key + "' failed: " + e.getMessage(), e);
            } finally {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
        Entry stored = entry;
        return lifecycle.whileOpen(() -> {
            entries.put(key, stored);
            return stored.described();
        });
    }

    /** The content of {@code entry}, after checking it is protected as {@code expected} says. */
    private byte[] content(String key, Entry entry, ObjectProtection expected) {
        checkProtection(key, entry, expected);
        if (entry.keyId() == null) {
            return entry.content(); // never written after construction
        }
        byte[] dataKey = keys.unwrap(entry.keyId(), entry.wrappedKey(), "object:" + key); // refuses a destroyed key
        try {
            return AesGcm.open(new SecretKeySpec(dataKey, "AES"), entry.content(), context(key));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new GeoException("Object '" + key + "' of the memory cloud's " + where + " region does not decrypt:"
                    + " it was altered.", e);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private void checkProtection(String key, Entry entry, ObjectProtection expected) {
        String wanted = keyOf(expected, key);
        if (!Objects.equals(wanted, entry.keyId())) {
            throw new GeoException("Object '" + key + "' of the memory cloud's " + where + " region is "
                    + (entry.keyId() == null ? "not under a master key" : "under master key '" + entry.keyId() + "'")
                    + ", but " + (wanted == null ? "no master key" : "master key '" + wanted + "'") + " was expected:"
                    + " it is refused. Read it with the protection it was stored under, or store it again.");
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        return get(key, ObjectProtection.providerDefault());
    }

    @Override
    public Optional<byte[]> get(String key, ObjectProtection expected) {
        String checked = Names.objectKey(key);
        Objects.requireNonNull(expected, "expected");
        return lifecycle.whileOpen(() -> Optional.ofNullable(entries.get(checked)).map(e -> {
            byte[] content = content(checked, e, expected);
            return e.keyId() == null ? content.clone() : content;
        }));
    }

    @Override
    public Optional<InputStream> open(String key) {
        return open(key, ObjectProtection.providerDefault());
    }

    @Override
    public Optional<InputStream> open(String key, ObjectProtection expected) {
        String checked = Names.objectKey(key);
        Objects.requireNonNull(expected, "expected");
        // A plain object's stream reads the stored array, which nothing ever writes to: no copy needed.
        return lifecycle.whileOpen(() -> Optional.ofNullable(entries.get(checked))
                .map(e -> new ByteArrayInputStream(content(checked, e, expected))));
    }

    @Override
    public Optional<StoredObject> head(String key) {
        String checked = Names.objectKey(key);
        return lifecycle.whileOpen(() -> Optional.ofNullable(entries.get(checked)).map(Entry::described));
    }

    @Override
    public Optional<StoredObject> head(String key, ObjectProtection expected) {
        String checked = Names.objectKey(key);
        Objects.requireNonNull(expected, "expected");
        return lifecycle.whileOpen(() -> Optional.ofNullable(entries.get(checked)).map(e -> {
            checkProtection(checked, e, expected);
            return e.described();
        }));
    }

    @Override
    public List<StoredObject> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return lifecycle.whileOpen(() -> {
            List<StoredObject> found = new ArrayList<>();
            for (Map.Entry<String, Entry> e : entries.tailMap(prefix, true).entrySet()) {
                if (!e.getKey().startsWith(prefix)) {
                    break; // ordered by key: every key with the prefix comes before the first without it
                }
                found.add(e.getValue().described());
            }
            return List.copyOf(found);
        });
    }

    @Override
    public void delete(String key) {
        String checked = Names.objectKey(key);
        lifecycle.whileOpen(() -> {
            entries.remove(checked);
        });
    }

    /** Forgets every object; when the cloud closes. */
    void release() {
        entries.clear();
    }

    private GeoException tooLarge(String key, String size) {
        return new GeoException("The memory cloud's " + where + " object storage does not store the object '" + key
                + "' (" + size + "): its setting 'max-object-bytes' is " + maxObjectBytes + ", and it keeps every"
                + " object in this JVM's memory. Raise 'max-object-bytes' (up to " + MemoryCloud.MAX_OBJECT_BYTES_LIMIT
                + "), or store objects this large in a cloud that keeps them on disk (the SDK's 'local' cloud) or in a"
                + " real object store.");
    }

    @Override
    public String toString() {
        return "MemoryObjects(" + where + ", " + entries.size() + " object(s))";
    }

    /**
     * An object: its content (never handed out, never written after construction; sealed under its data key when
     * {@code keyId} is not null, which {@code wrappedKey} then wraps) and what describes it.
     */
    private record Entry(byte[] content, byte[] wrappedKey, String keyId, StoredObject described) {
    }
}
