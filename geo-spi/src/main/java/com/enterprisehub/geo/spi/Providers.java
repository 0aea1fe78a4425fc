package com.enterprisehub.geo.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Chooses a provider of a given kind among those found on the class path.
 *
 * <p>Rules: a host may select a provider by name, in code ({@link #select(Class, String)}) or with the
 * system property {@code geo.provider.<SimpleInterfaceName>} (for example
 * {@code -Dgeo.provider.TenantCatalogProvider=jdbc}). Without a name, the provider with the highest
 * {@link GeoProvider#priority() priority} wins. No provider, an unknown name, two providers with one
 * name, or a tie at the top priority is a {@link ProviderSelectionException} whose message lists what
 * was found and how to choose; where the SDK knows which artifact provides a name, the message names it
 * ({@code com.enterprisehub.geo:geo-platform} for the {@code jdbc} tenant catalog). The first provider found
 * never wins by accident. This is the SDK's one discovery path: tenant catalogs, clouds and transfer-tax
 * calculators are all found through it.
 *
 * <p>Immutable and thread-safe; providers are looked up on every call, so cache what you select.
 */
public final class Providers {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final String GROUP = "com.enterprisehub.geo:";
    /** Which artifact provides a named provider of the SDK's own SPIs, for the fix-it messages. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "TenantCatalogProvider/in-memory", GROUP + "geo-spi",
            "TenantCatalogProvider/jdbc", GROUP + "geo-platform",
            "CloudProvider/local", GROUP + "geo-cloud-local",
            "CloudProvider/aws", GROUP + "geo-spi-aws",
            "ListingFeedProvider/reso-web-api", GROUP + "geo-mls",
            "ListingFeedProvider/reaxml", GROUP + "geo-mls",
            "ModelProvider/xgboost", GROUP + "geo-models",
            "ModelProvider/onnx", GROUP + "geo-models (and com.microsoft.onnxruntime:onnxruntime)");
    /** Which artifact provides the SDK's own providers of an SPI, when none is found at all. */
    private static final Map<String, String> DEFAULTS = Map.of(
            "TenantCatalogProvider", GROUP + "geo-spi (in-memory) or " + GROUP + "geo-platform (jdbc)",
            "CloudProvider", GROUP + "geo-cloud-local (local) or " + GROUP + "geo-spi-aws (aws)",
            "ListingFeedProvider", GROUP + "geo-mls (reso-web-api, reaxml)",
            "ModelProvider", GROUP + "geo-models (xgboost, onnx)",
            "TransferTaxCalculator", GROUP + "geo-localization");

    private final ProviderLoader loader;

    private Providers(ProviderLoader loader) {
        this.loader = loader;
    }

    /** Providers found by {@link java.util.ServiceLoader} with the thread's context class loader (or ours). */
    public static Providers fromClassPath() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return using(ProviderLoader.serviceLoader(loader != null ? loader : Providers.class.getClassLoader()));
    }

    /** Providers found by {@code loader}. */
    public static Providers using(ProviderLoader loader) {
        return new Providers(Objects.requireNonNull(loader, "loader"));
    }

    /** The system property that selects a provider of {@code type} by name. */
    public static String propertyFor(Class<?> type) {
        return "geo.provider." + type.getSimpleName();
    }

    /**
     * The provider of {@code type} named by its system property, or else the one with the highest priority.
     *
     * @throws ProviderSelectionException if none is found, the named one is missing, or the top is a tie
     */
    public <P extends GeoProvider> P select(Class<P> type) {
        String named = System.getProperty(propertyFor(type));
        if (named != null && !named.isBlank()) {
            return select(type, named.strip());
        }
        List<P> found = all(type);
        if (found.isEmpty()) {
            String artifact = DEFAULTS.get(type.getSimpleName());
            throw new ProviderSelectionException("No provider of " + type.getName() + " was found on the class path."
                    + (artifact == null ? " Add a module that provides one" : " Add " + artifact + " as a dependency,"
                    + " or a module of your own that provides one") + " (a provider is declared in META-INF/services/"
                    + type.getName() + ", or with 'provides' in its module-info).");
        }
        P best = found.get(0);
        List<P> tied = found.stream().filter(p -> p.priority() == best.priority()).toList();
        if (tied.size() > 1) {
            throw new ProviderSelectionException(tied.size() + " providers of " + type.getName()
                    + " share the highest priority (" + best.priority() + "): " + describe(tied)
                    + ". Choose one by name: Providers.select(" + type.getSimpleName() + ".class, \"" + best.name()
                    + "\") or -D" + propertyFor(type) + "=" + best.name() + ". All found: " + describe(found) + ".");
        }
        return best;
    }

    /**
     * The provider of {@code type} called {@code name}.
     *
     * @throws ProviderSelectionException if there is none, listing the names that were found
     */
    public <P extends GeoProvider> P select(Class<P> type, String name) {
        Objects.requireNonNull(name, "name");
        List<P> found = all(type);
        return found.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> {
            String artifact = ARTIFACTS.get(type.getSimpleName() + "/" + name);
            return new ProviderSelectionException("No provider of " + type.getName() + " is named '" + name + "'. "
                    + (found.isEmpty() ? "None was found on the class path" : "Found: " + describe(found)) + ". "
                    + (artifact != null ? "'" + name + "' is provided by " + artifact + ": add it as a dependency"
                            : "Add the module that provides '" + name + "' as a dependency")
                    + ", or select one of the names found.");
        });
    }

    /** The provider of {@code type} called {@code name}, if there is one. */
    public <P extends GeoProvider> Optional<P> find(Class<P> type, String name) {
        Objects.requireNonNull(name, "name");
        return all(type).stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Every provider of {@code type}, highest priority first, then by name.
     *
     * @throws ProviderSelectionException if a provider has an invalid name or two share one
     */
    public <P extends GeoProvider> List<P> all(Class<P> type) {
        Objects.requireNonNull(type, "type");
        List<P> found = new ArrayList<>(loader.load(type));
        Map<String, P> byName = new HashMap<>();
        for (P provider : found) {
            String name = provider.name();
            if (name == null || !NAME.matcher(name).matches()) {
                throw new ProviderSelectionException("Provider " + provider.getClass().getName() + " of "
                        + type.getName() + " has the name '" + name + "'; a provider name is lowercase letters, digits"
                        + " and single hyphens. Fix the provider or remove it from the class path.");
            }
            P other = byName.putIfAbsent(name, provider);
            if (other != null) {
                throw new ProviderSelectionException("Two providers of " + type.getName() + " are named '" + name
                        + "': " + other.getClass().getName() + " and " + provider.getClass().getName()
                        + ". Remove one of the jars that declare them from the class path.");
            }
        }
        found.sort(Comparator.comparingInt((P p) -> p.priority()).reversed().thenComparing(GeoProvider::name));
        return List.copyOf(found);
    }

    private static String describe(List<? extends GeoProvider> providers) {
        return providers.stream()
                .map(p -> "'" + p.name() + "' (priority " + p.priority() + ", " + p.getClass().getName() + ")")
                .collect(Collectors.joining(", "));
    }
}
