package com.enterprisehub.geo.core.internal;

import com.enterprisehub.geo.core.ProviderSelectionException;
import com.enterprisehub.geo.core.spi.ProviderLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** The one place the SDK calls {@link ServiceLoader}. Not part of the API. */
public final class ServiceLoaderProviderLoader implements ProviderLoader {
    private final ClassLoader classLoader;

    public ServiceLoaderProviderLoader(ClassLoader classLoader) {
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    }

    @Override
    public <P> List<P> load(Class<P> type) {
        List<P> found = new ArrayList<>();
        try {
            for (P provider : ServiceLoader.load(type, classLoader)) {
                found.add(provider);
            }
        } catch (ServiceConfigurationError e) {
            throw new ProviderSelectionException("A provider of " + type.getName() + " listed in META-INF/services"
                    + " could not be loaded: " + e.getMessage() + ". Fix or remove the jar that declares it.", e);
        }
        return found;
    }
}
