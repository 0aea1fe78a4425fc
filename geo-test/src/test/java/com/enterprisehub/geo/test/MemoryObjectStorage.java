package com.enterprisehub.geo.test;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.spi.crypto.Digests;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

/**
 * A correct object storage for the kit's own tests; the broken variants override its protected methods. Thread-safe.
 */
class MemoryObjectStorage implements ObjectStorage {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");
    private final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();

    /** The objects by key, ordered by key; a method so a variant can keep them elsewhere. */
    protected Map<String, byte[]> objects() {
        return objects;
    }

    protected String check(String key) {
        if (key == null || !KEY.matcher(key).matches() || List.of(key.split("/")).stream()
                .anyMatch(s -> s.equals(".") || s.equals(".."))) {
            throw new GeoValidationException("Not an object key: '" + key + "'.");
        }
        return key;
    }

    protected StoredObject describe(String key, byte[] content) {
        return new StoredObject(key, content.length, Digests.sha256Hex(content));
    }

    @Override
    public StoredObject put(String key, byte[] content) {
        byte[] copy = Objects.requireNonNull(content, "content").clone();
        objects().put(check(key), copy);
        return describe(key, copy);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(objects().get(check(key))).map(byte[]::clone);
    }

    @Override
    public Optional<StoredObject> head(String key) {
        return Optional.ofNullable(objects().get(check(key))).map(c -> describe(key, c));
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return objects().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(e -> describe(e.getKey(), e.getValue())).toList();
    }

    @Override
    public void delete(String key) {
        objects().remove(check(key));
    }
}
