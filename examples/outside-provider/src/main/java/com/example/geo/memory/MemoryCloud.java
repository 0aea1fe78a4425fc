package com.example.geo.memory;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code memory} cloud: every region's master keys, secrets and objects held in this JVM's memory, for host
 * tests and demos that want no files. Master keys are random AES-256 keys, and data keys are wrapped with them as
 * the SDK's {@link com.enterprisehub.geo.spi.crypto.AesGcm AesGcm} values (the context bound as associated data);
 * objects are described with their SHA-256 as {@link com.enterprisehub.geo.spi.crypto.Digests Digests} computes it.
 * Regions share nothing: an object, a secret or a key of one is not seen by another, and a key id one region issued
 * ({@code memory/us_west/tenant-acme}) is refused by another.
 *
 * <p>Nothing survives the cloud: when it is closed, or the JVM exits, every master key is overwritten and every
 * secret and object forgotten, and with the keys goes everything they wrapped. Use it where that is what you want
 * (tests, demos); a deployment whose work must survive a restart needs a cloud that keeps its keys (the SDK's
 * {@code local} cloud on a developer machine, a real cloud in production). Memory is bounded per object
 * ({@code max-object-bytes}), not in total: a host that stores many objects holds them all.
 *
 * <p>Open one by name:
 *
 * <pre>{@code
 * Cloud cloud = Providers.fromClassPath().select(CloudProvider.class, "memory")
 *         .open(ProviderContext.of(Map.of("regions", "US_WEST,CANADA")));
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} waits for the operations in progress, then releases everything; after it, every
 * use of the cloud, its regions and their services (except {@link #name()} and {@link #toString()}) is refused with
 * a {@link com.enterprisehub.geo.core.GeoException} that says so. Closing again does nothing.
 */
public final class MemoryCloud implements Cloud {
    /** The name the provider is selected by. */
    public static final String NAME = "memory";
    /** The largest object a region stores unless {@code max-object-bytes} says otherwise: 64 MiB. */
    public static final int DEFAULT_MAX_OBJECT_BYTES = 64 * 1024 * 1024;
    /** The largest {@code max-object-bytes} accepted: 1 GiB (objects are Java arrays, held whole). */
    public static final int MAX_OBJECT_BYTES_LIMIT = 1024 * 1024 * 1024;

    private final Lifecycle lifecycle = new Lifecycle();
    private final Map<DeploymentRegion, Region> regions;
    private final int maxObjectBytes;

    private MemoryCloud(Set<DeploymentRegion> offered, int maxObjectBytes) {
        this.maxObjectBytes = maxObjectBytes;
        Map<DeploymentRegion, Region> byRegion = new EnumMap<>(DeploymentRegion.class);
        for (DeploymentRegion region : offered) {
            byRegion.put(region, new Region(region, lifecycle, maxObjectBytes));
        }
        this.regions = Collections.unmodifiableMap(byRegion);
    }

    /**
     * The provider behind {@code Providers.fromClassPath().select(CloudProvider.class, "memory")}, declared in
     * {@code META-INF/services} (class path) and with {@code provides} in the module descriptor (module path).
     *
     * <p>Its priority is -50: below 0, where a real cloud's provider stands, so that when a host selects no name
     * a real cloud on the class path always wins over this one (a cloud that forgets everything must never be
     * chosen by accident in production); above the SDK's {@code local} cloud (-100), because this one opens with
     * no setting at all while {@code local} needs a directory, so a test class path holding both selects a cloud
     * that opens. A host that meant {@code local} and gives its {@code directory} setting is not silently served
     * by memory: this provider refuses settings it does not know. Hosts should select by name anyway.
     *
     * <p>Stateless and thread-safe; each {@link #open} makes a new, empty cloud.
     */
    public static final class Provider implements CloudProvider {
        private static final String WHO = "the memory cloud";

        /** For {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        /** {@code memory}. */
        @Override
        public String name() {
            return NAME;
        }

        /** -50; see the class comment for why. */
        @Override
        public int priority() {
            return -50;
        }

        /**
         * A new, empty memory cloud. Settings (read through the context's typed getters; any other is refused):
         * <ul>
         *   <li>{@code regions}: the {@link DeploymentRegion} names it offers, separated by commas
         *       ({@code US_WEST,CANADA}); default all of them;</li>
         *   <li>{@code max-object-bytes}: the largest object a region stores, 1 to
         *       {@value MemoryCloud#MAX_OBJECT_BYTES_LIMIT} (1 GiB); default
         *       {@value MemoryCloud#DEFAULT_MAX_OBJECT_BYTES} (64 MiB). A larger put is refused and stores
         *       nothing.</li>
         * </ul>
         *
         * @throws GeoValidationException if a setting is unknown or invalid (the message names it and what it takes)
         */
        @Override
        public Cloud open(ProviderContext context) {
            Objects.requireNonNull(context, "context");
            context.refuseSettingsOtherThan(Set.of("regions", "max-object-bytes"), WHO);
            Set<DeploymentRegion> offered = context.setting("regions").map(Provider::regions)
                    .orElseGet(() -> EnumSet.allOf(DeploymentRegion.class));
            int maxObjectBytes = context.intSetting("max-object-bytes", DEFAULT_MAX_OBJECT_BYTES, 1,
                    MAX_OBJECT_BYTES_LIMIT, WHO);
            return new MemoryCloud(offered, maxObjectBytes);
        }

        private static Set<DeploymentRegion> regions(String listed) {
            Set<DeploymentRegion> offered = EnumSet.noneOf(DeploymentRegion.class);
            for (String entry : listed.split(",", -1)) {
                String name = entry.strip();
                try {
                    offered.add(DeploymentRegion.valueOf(name));
                } catch (IllegalArgumentException e) {
                    throw new GeoValidationException("The memory cloud's setting 'regions' is '" + listed + "', and '"
                            + name + "' is not a deployment region. List names of "
                            + Arrays.toString(DeploymentRegion.values()) + " separated by commas (like"
                            + " 'US_WEST,CANADA'), or leave the setting out to offer them all.");
                }
            }
            return offered;
        }
    }

    /** {@code memory}; answers after {@link #close()} too. */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * The regions it offers, in {@link DeploymentRegion} order.
     *
     * @throws com.enterprisehub.geo.core.GeoException if the cloud was closed
     */
    @Override
    public Set<DeploymentRegion> regions() {
        return lifecycle.whileOpen(regions::keySet);
    }

    /**
     * The services of {@code region}, if it offers it.
     *
     * @throws com.enterprisehub.geo.core.GeoException if the cloud was closed
     */
    @Override
    public Optional<CloudRegion> region(DeploymentRegion region) {
        Objects.requireNonNull(region, "region");
        return lifecycle.whileOpen(() -> Optional.ofNullable(regions.get(region)));
    }

    /** Overwrites every master key and forgets every secret and object, once; later use is refused. */
    @Override
    public void close() {
        lifecycle.close(() -> regions.values().forEach(Region::release));
    }

    /** The regions, the object limit and whether it is closed; never a key, a secret or an object. */
    @Override
    public String toString() {
        return "MemoryCloud(" + regions.keySet() + ", max-object-bytes " + maxObjectBytes
                + (lifecycle.isClosed() ? ", closed)" : ")");
    }

    /** One region's services; they share the cloud's lifecycle. */
    private static final class Region implements CloudRegion {
        private final DeploymentRegion region;
        private final MemoryKeys keys;
        private final MemorySecrets secrets;
        private final MemoryObjects objects;

        Region(DeploymentRegion region, Lifecycle lifecycle, int maxObjectBytes) {
            this.region = region;
            String where = region.name();
            this.keys = new MemoryKeys(NAME + "/" + region.name().toLowerCase(Locale.ROOT) + "/", where, lifecycle);
            this.secrets = new MemorySecrets(where, lifecycle);
            this.objects = new MemoryObjects(where, lifecycle, maxObjectBytes, keys);
        }

        @Override
        public DeploymentRegion region() {
            return region;
        }

        /** {@code memory:us_west}: the region in this JVM's memory. */
        @Override
        public String location() {
            return NAME + ":" + region.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public KeyManagement keys() {
            return keys;
        }

        @Override
        public SecretStore secrets() {
            return secrets;
        }

        @Override
        public ObjectStorage objects() {
            return objects;
        }

        void release() {
            keys.release();
            secrets.release();
            objects.release();
        }

        @Override
        public String toString() {
            return "MemoryCloud.Region(" + region + ")"; // never a secret
        }
    }
}
