package com.enterprisehub.geo.test;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A correct cloud for the kit's own tests; the broken variants override its protected methods. Thread-safe. */
class MemoryCloud implements Cloud {
    protected final Map<DeploymentRegion, CloudRegion> regions = new EnumMap<>(DeploymentRegion.class);

    MemoryCloud(Set<DeploymentRegion> offered) {
        for (DeploymentRegion r : offered) {
            regions.put(r, newRegion(r));
        }
    }

    protected CloudRegion newRegion(DeploymentRegion r) {
        return new Region(r, new MemoryKeyManagement("mem/" + r.name().toLowerCase(java.util.Locale.ROOT) + "/"),
                new MemorySecretStore(), new MemoryObjectStorage());
    }

    record Region(DeploymentRegion region, KeyManagement keys, SecretStore secrets, ObjectStorage objects)
            implements CloudRegion {
        @Override
        public String location() {
            return "memory:" + region;
        }
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Set<DeploymentRegion> regions() {
        return Collections.unmodifiableSet(regions.keySet());
    }

    @Override
    public Optional<CloudRegion> region(DeploymentRegion region) {
        return Optional.ofNullable(regions.get(Objects.requireNonNull(region, "region")));
    }

    @Override
    public String toString() {
        return "MemoryCloud" + regions.keySet();
    }
}
