package com.example.geo.memory;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.spi.crypto.Digests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One region's objects, held in memory, ordered by key. Each object is an immutable copy of what was put, with its
 * size and SHA-256 computed once; a put replaces the whole object atomically, so readers see the old or the new
 * content. Objects larger than {@code max-object-bytes} are refused before they are stored (a stream is read no
 * further than one byte past the limit). A key and keys under it ({@code a} and {@code a/b}) may coexist: they are
 * only strings here. Thread-safe.
 */
final class MemoryObjects implements ObjectStorage {
    private final String where;
    private final Lifecycle lifecycle;
    private final int maxObjectBytes;
    private final ConcurrentSkipListMap<String, Entry> entries = new ConcurrentSkipListMap<>();

    MemoryObjects(String where, Lifecycle lifecycle, int maxObjectBytes) {
        this.where = where;
        this.lifecycle = lifecycle;
        this.maxObjectBytes = maxObjectBytes;
    }

    @Override
    public StoredObject put(String key, byte[] content) {
        String checked = Names.objectKey(key);
        Objects.requireNonNull(content, "content");
        if (content.length > maxObjectBytes) {
            throw tooLarge(checked, content.length + " bytes");
        }
        return store(checked, content.clone());
    }

    @Override
    public StoredObject put(String key, InputStream content) {
        String checked = Names.objectKey(key);
        Objects.requireNonNull(content, "content");
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
        return store(checked, buffer.toByteArray());
    }

    private StoredObject store(String key, byte[] owned) {
        Entry entry = new Entry(owned, new StoredObject(key, owned.length, Digests.sha256Hex(owned)));
        return lifecycle.whileOpen(() -> {
            entries.put(key, entry);
            return entry.described();
        });
    }

    @Override
    public Optional<byte[]> get(String key) {
        String checked = Names.objectKey(key);
        return lifecycle.whileOpen(() -> Optional.ofNullable(entries.get(checked)).map(e -> e.content().clone()));
    }

    @Override
    public Optional<InputStream> open(String key) {
        String checked = Names.objectKey(key);
        // The stream reads the stored array, which nothing ever writes to: no copy needed.
        return lifecycle.whileOpen(() -> Optional.ofNullable(entries.get(checked))
                .map(e -> new ByteArrayInputStream(e.content())));
    }

    @Override
    public Optional<StoredObject> head(String key) {
        String checked = Names.objectKey(key);
        return lifecycle.whileOpen(() -> Optional.ofNullable(entries.get(checked)).map(Entry::described));
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

    /** An object: its content (never handed out, never written after construction) and what describes it. */
    private record Entry(byte[] content, StoredObject described) {
    }
}
