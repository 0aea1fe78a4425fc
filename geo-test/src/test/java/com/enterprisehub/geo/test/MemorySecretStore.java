package com.enterprisehub.geo.test;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** A correct secret store for the kit's own tests; the broken variants override its protected methods. Thread-safe. */
class MemorySecretStore implements SecretStore {
    private static final Pattern NAME = Pattern.compile("[a-z0-9._-]+(/[a-z0-9._-]+)*");
    private final Map<String, String> secrets = new ConcurrentHashMap<>();

    /** The secrets by name; a method so a variant can keep them elsewhere. */
    protected Map<String, String> secrets() {
        return secrets;
    }

    protected String check(String name) {
        if (name == null || !NAME.matcher(name).matches() || List.of(name.split("/")).stream()
                .anyMatch(s -> s.equals(".") || s.equals(".."))) {
            throw new GeoValidationException("Not a secret name: '" + name + "'.");
        }
        return name;
    }

    @Override
    public Optional<String> get(String name) {
        return Optional.ofNullable(secrets().get(check(name)));
    }

    @Override
    public void put(String name, String value) {
        secrets().put(check(name), Objects.requireNonNull(value, "value"));
    }

    @Override
    public void delete(String name) {
        secrets().remove(check(name));
    }

    @Override
    public String toString() {
        return "MemorySecretStore(" + secrets().size() + " secrets)";
    }
}
