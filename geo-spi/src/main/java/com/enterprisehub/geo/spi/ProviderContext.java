package com.enterprisehub.geo.spi;

import com.enterprisehub.geo.core.ConfigKeys;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a host gives a provider when it opens one: text settings (from a properties file, environment or code)
 * read through typed getters whose errors name the provider and the setting, and objects a setting cannot carry
 * (a {@link javax.sql.DataSource}, a {@link Clock}, the {@link PlatformEvents} to publish to).
 *
 * <pre>{@code
 * TenantCatalog tenants = Providers.fromClassPath().select(TenantCatalogProvider.class, "jdbc")
 *         .open(ProviderContext.builder().object(DataSource.class, controlPlane).events(events).build());
 * }</pre>
 *
 * <p>A provider reads what it documents and refuses what it cannot use: {@link #requireSetting} and
 * {@link #requireObject} say which setting or object is missing and how to give it. Unknown settings are the
 * provider's to refuse ({@link #refuseSettingsOtherThan}).
 *
 * <p>Immutable and thread-safe (the objects it carries are as thread-safe as they are).
 */
public final class ProviderContext {

    private final Map<String, String> settings;
    private final Map<Class<?>, Object> objects;
    private final PlatformEvents events;
    private final Clock clock;

    private ProviderContext(Builder builder) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(builder.settings));
        this.objects = Collections.unmodifiableMap(new LinkedHashMap<>(builder.objects));
        this.events = builder.events != null ? builder.events : PlatformEvents.create();
        this.clock = builder.clock;
    }

    /** A context with no settings and no objects, the system UTC clock and an event bus nobody listens to. */
    public static ProviderContext empty() {
        return builder().build();
    }

    /** A context with these settings and nothing else. */
    public static ProviderContext of(Map<String, String> settings) {
        return builder().settings(settings).build();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every setting, in the order given. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The setting {@code key}, stripped, if it is present and not blank. */
    public Optional<String> setting(String key) {
        String value = settings.get(Objects.requireNonNull(key, "key"));
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /**
     * The setting {@code key}.
     *
     * @param provider who asks, for the message ("the jdbc tenant catalog")
     * @param meaning what the setting is, for the message ("where it keeps its keys")
     * @throws GeoValidationException if it is missing or blank
     */
    public String requireSetting(String key, String provider, String meaning) {
        return setting(key).orElseThrow(() -> new GeoValidationException(capitalized(provider) + " needs the setting '"
                + key + "': " + meaning + ". Give it with ProviderContext.builder().setting(\"" + key + "\", ...)."));
    }

    /**
     * The setting {@code key} as an integer in {@code [min, max]}, or {@code fallback} if it is absent.
     *
     * @throws GeoValidationException if it is present but not such an integer
     */
    public int intSetting(String key, int fallback, int min, int max, String provider) {
        Optional<String> value = setting(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new GeoValidationException(capitalized(provider) + "'s setting '" + key + "' must be a whole number from "
                + min + " to " + max + "; got '" + value.get() + "'.");
    }

    /**
     * The setting {@code key} as a positive ISO-8601 duration ({@code PT30S}), or {@code fallback} if absent.
     *
     * @throws GeoValidationException if it is present but not a positive duration
     */
    public Duration durationSetting(String key, Duration fallback, String provider) {
        Optional<String> value = setting(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            Duration parsed = Duration.parse(value.get());
            if (!parsed.isNegative() && !parsed.isZero()) {
                return parsed;
            }
        } catch (DateTimeParseException ignored) {
            // reported below
        }
        throw new GeoValidationException(capitalized(provider) + "'s setting '" + key + "' must be a positive ISO-8601"
                + " duration such as PT30S or PT5M; got '" + value.get() + "'.");
    }

    /**
     * The setting {@code key} as {@code true} or {@code false}, or {@code fallback} if absent.
     *
     * @throws GeoValidationException if it is present but neither
     */
    public boolean booleanSetting(String key, boolean fallback, String provider) {
        Optional<String> value = setting(key);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new GeoValidationException(capitalized(provider) + "'s setting '" + key + "' must be true"
                    + " or false; got '" + value.get() + "'.");
        };
    }

    /**
     * Refuses settings the provider does not know, so a misspelt key is an error instead of a silently ignored
     * value.
     *
     * @throws GeoValidationException naming the unknown keys and the known ones
     */
    public void refuseSettingsOtherThan(java.util.Set<String> known, String provider) {
        java.util.List<String> unknown = settings.keySet().stream().filter(k -> !known.contains(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new GeoValidationException(capitalized(provider) + " does not know the setting(s) " + unknown
                    + (known.isEmpty() ? "; it takes none." : "; it reads " + new java.util.TreeSet<>(known) + "."));
        }
    }

    /** The object given for {@code type}, if any. */
    public <T> Optional<T> object(Class<T> type) {
        return Optional.ofNullable(type.cast(objects.get(Objects.requireNonNull(type, "type"))));
    }

    /**
     * The object given for {@code type}.
     *
     * @throws GeoValidationException if none was given, saying how to give it
     */
    public <T> T requireObject(Class<T> type, String provider, String meaning) {
        return object(type).orElseThrow(() -> new GeoValidationException(capitalized(provider) + " needs a "
                + type.getName() + " (" + meaning + "). Give it with ProviderContext.builder().object("
                + type.getSimpleName() + ".class, ...)."));
    }

    /** Where the provider publishes its changes; an empty bus unless the host gave one. */
    public PlatformEvents events() {
        return events;
    }

    /** The clock the provider stamps events and records with; the system UTC clock unless the host gave one. */
    public Clock clock() {
        return clock;
    }

    private static String capitalized(String provider) {
        return provider.isEmpty() ? provider : Character.toUpperCase(provider.charAt(0)) + provider.substring(1);
    }

    @Override
    public String toString() {
        // Settings may hold secrets' names but must never be logged with values: show the keys only.
        return "ProviderContext[settings=" + settings.keySet() + ", objects="
                + objects.keySet().stream().map(Class::getSimpleName).toList() + "]";
    }

    /** Builds a {@link ProviderContext}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<Class<?>, Object> objects = new LinkedHashMap<>();
        private PlatformEvents events;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets {@code key} (the shape of {@link ConfigKeys}: lowercase letters, digits and single '.', '_' or
         * '-') to {@code value}.
         *
         * @throws GeoValidationException if the key is malformed
         */
        public Builder setting(String key, String value) {
            ConfigKeys.check(key, "provider setting");
            settings.put(key, Objects.requireNonNull(value, () -> "the value of setting '" + key + "'"));
            return this;
        }

        /** Sets every entry of {@code settings}; see {@link #setting}. */
        public Builder settings(Map<String, String> settings) {
            Objects.requireNonNull(settings, "settings").forEach(this::setting);
            return this;
        }

        /** Gives the provider {@code value} as its {@code type} (a {@code DataSource}, say). */
        public <T> Builder object(Class<T> type, T value) {
            Objects.requireNonNull(type, "type");
            objects.put(type, type.cast(Objects.requireNonNull(value, () -> "the " + type.getSimpleName())));
            return this;
        }

        /** Where the provider publishes its changes (default: a new bus with no listeners). */
        public Builder events(PlatformEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** The provider's clock (default: the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The context. */
        public ProviderContext build() {
            return new ProviderContext(this);
        }
    }
}
