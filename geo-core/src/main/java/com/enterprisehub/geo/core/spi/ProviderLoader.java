package com.enterprisehub.geo.core.spi;

import java.util.List;

/**
 * Finds the implementations of a provider interface. {@link #serviceLoader(ClassLoader)} is the real one;
 * tests and hosts with their own plugin systems supply others.
 */
@FunctionalInterface
public interface ProviderLoader {
    /** Every implementation of {@code type} this loader can find, in any order. */
    <P> List<P> load(Class<P> type);

    /** A loader that asks {@link java.util.ServiceLoader} with {@code classLoader}. */
    static ProviderLoader serviceLoader(ClassLoader classLoader) {
        return new com.enterprisehub.geo.core.internal.ServiceLoaderProviderLoader(classLoader);
    }
}
