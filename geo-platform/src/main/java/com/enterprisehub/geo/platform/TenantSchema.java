package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.ConfigKeys;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.tenant.Tenant;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The feature flags and configuration settings a host declares for its tenants: the platform refuses a
 * tenant with a flag or setting not declared, a setting of the wrong type, or a required setting missing,
 * and reports every problem at once. Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class TenantSchema {

    /** The type of a configuration setting. */
    public enum Type {
        TEXT, BOOLEAN, INTEGER, DECIMAL, LIST, MAP
    }

    private record Setting(Type type, boolean required) {
    }

    private final Set<String> flags;
    private final Map<String, Setting> settings;

    private TenantSchema(Set<String> flags, Map<String, Setting> settings) {
        this.flags = Set.copyOf(flags);
        this.settings = Map.copyOf(settings);
    }

    /** A schema that declares nothing: tenants may have no flags and no configuration. */
    public static TenantSchema empty() {
        return builder().build();
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The declared flags. */
    public Set<String> flags() {
        return flags;
    }

    /**
     * Checks a tenant's flags and top-level configuration settings.
     *
     * @throws GeoValidationException listing every problem
     */
    public void validate(Tenant tenant) {
        List<String> problems = new ArrayList<>();
        tenant.featureFlags().keySet().stream().filter(k -> !flags.contains(k)).sorted().forEach(k ->
                problems.add("feature flag '" + k + "' is not declared (declared: " + sorted(flags) + ")"));
        tenant.configuration().forEach((key, value) -> {
            Setting setting = settings.get(key);
            if (setting == null) {
                problems.add("setting '" + key + "' is not declared (declared: " + sorted(settings.keySet()) + ")");
            } else if (!matches(setting.type(), value)) {
                problems.add("setting '" + key + "' must be " + setting.type() + "; got "
                        + value.getClass().getSimpleName());
            }
        });
        settings.forEach((key, setting) -> {
            if (setting.required() && !tenant.configuration().containsKey(key)) {
                problems.add("setting '" + key + "' (" + setting.type() + ") is required");
            }
        });
        if (!problems.isEmpty()) {
            throw new GeoValidationException("Tenant '" + tenant.id() + "' does not match the declared schema: "
                    + String.join("; ", problems) + ".");
        }
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }

    private static boolean matches(Type type, Object value) {
        return switch (type) {
            case TEXT -> value instanceof String;
            case BOOLEAN -> value instanceof Boolean;
            case INTEGER -> value instanceof Integer || value instanceof Long || value instanceof BigInteger;
            case DECIMAL -> value instanceof Number; // tenant values are already finite (Tenant refuses NaN)
            case LIST -> value instanceof List;
            case MAP -> value instanceof Map;
        };
    }

    /** Builds a {@link TenantSchema}. Not thread-safe. */
    public static final class Builder {
        private final Set<String> flags = new LinkedHashSet<>();
        private final Map<String, Setting> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /** Declares a feature flag. */
        public Builder flag(String key) {
            flags.add(ConfigKeys.check(key, "feature flag"));
            return this;
        }

        /** Declares an optional setting. */
        public Builder setting(String key, Type type) {
            return setting(key, type, false);
        }

        /** Declares a setting, required or not. */
        public Builder setting(String key, Type type, boolean required) {
            settings.put(ConfigKeys.check(key, "configuration"), new Setting(Objects.requireNonNull(type, "type"),
                    required));
            return this;
        }

        public TenantSchema build() {
            return new TenantSchema(flags, settings);
        }
    }
}
