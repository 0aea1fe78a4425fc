package com.enterprisehub.geo.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the implementations of a provider interface. {@link #serviceLoader(ClassLoader)} is the real one and the
 * only place the SDK calls {@link ServiceLoader}; tests and hosts with their own plugin systems supply others.
 */
@FunctionalInterface
public interface ProviderLoader {
    /** Every implementation of {@code type} this loader can find, in any order. */
    <P> List<P> load(Class<P> type);

    /**
     * A loader that asks {@link ServiceLoader} with {@code classLoader}: on the class path, providers declared in
     * {@code META-INF/services}; on the module path, also those declared with {@code provides} in a module-info.
     *
     * @throws ProviderSelectionException (from {@link #load}) if a declared provider cannot be instantiated
     */
    static ProviderLoader serviceLoader(ClassLoader classLoader) {
        Objects.requireNonNull(classLoader, "classLoader");
        return new ProviderLoader() {
            @Override
            public <P> List<P> load(Class<P> type) {
                List<P> found = new ArrayList<>();
                Module self = ProviderLoader.class.getModule();
                if (self.isNamed() && !self.canUse(type)) {
                    // On the module path, ServiceLoader serves only the services the calling module uses; geo-spi
                    // declares the SDK's own, and adds any other kind a host looks up (a module may add its own uses).
                    self.addUses(type);
                }
                try {
                    for (P provider : ServiceLoader.load(type, classLoader)) {
                        found.add(provider);
                    }
                } catch (ServiceConfigurationError e) {
                    throw new ProviderSelectionException("A provider of " + type.getName() + " listed in"
                            + " META-INF/services could not be loaded: " + e.getMessage()
                            + ". Fix or remove the jar that declares it.", e);
                }
                return found;
            }
        };
    }
}
