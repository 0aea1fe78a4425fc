package com.enterprisehub.geo.spi;

/**
 * What every provider found through {@link java.util.ServiceLoader} has: a name a host can select it
 * by, and a priority that orders providers of one kind when the host selects none.
 *
 * <p>Implementations need a public no-argument constructor and a line in
 * {@code META-INF/services/<the provider interface>}.
 */
public interface GeoProvider {
    /** The provider's name, unique among providers of its kind: lowercase letters, digits and hyphens ("jdbc"). */
    String name();

    /**
     * The provider's priority when no name is selected: the highest wins, and a tie at the top is an
     * error that asks the host to choose. Built-in fallbacks use negative priorities. Default 0.
     */
    default int priority() {
        return 0;
    }
}
