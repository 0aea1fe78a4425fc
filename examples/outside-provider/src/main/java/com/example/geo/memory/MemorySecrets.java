package com.example.geo.memory;

import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One region's secrets, held in memory by name. Names are checked before anything else, and no message or
 * {@code toString} ever holds a value. Thread-safe: a put replaces a whole value atomically.
 */
final class MemorySecrets implements SecretStore {
    private final String where;
    private final Lifecycle lifecycle;
    private final ConcurrentHashMap<String, String> values = new ConcurrentHashMap<>();

    MemorySecrets(String where, Lifecycle lifecycle) {
        this.where = where;
        this.lifecycle = lifecycle;
    }

    @Override
    public Optional<String> get(String name) {
        String checked = Names.secretName(name);
        return lifecycle.whileOpen(() -> Optional.ofNullable(values.get(checked)));
    }

    @Override
    public void put(String name, String value) {
        String checked = Names.secretName(name);
        Objects.requireNonNull(value, "value");
        lifecycle.whileOpen(() -> {
            values.put(checked, value);
        });
    }

    @Override
    public void delete(String name) {
        String checked = Names.secretName(name);
        lifecycle.whileOpen(() -> {
            values.remove(checked);
        });
    }

    /** Forgets every secret; when the cloud closes. */
    void release() {
        values.clear();
    }

    @Override
    public String toString() {
        return "MemorySecrets(" + where + ", " + values.size() + " secret(s))"; // never the values
    }
}
