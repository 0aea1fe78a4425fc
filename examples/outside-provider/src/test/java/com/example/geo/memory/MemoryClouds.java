package com.example.geo.memory;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import java.util.Set;
import java.util.stream.Collectors;

/** Opens memory clouds the way a host does: selected by name through {@link Providers}. */
final class MemoryClouds {
    private MemoryClouds() {
    }

    /** A new memory cloud offering {@code regions}, found by name on the class path. */
    static Cloud open(Set<DeploymentRegion> regions) {
        return Providers.fromClassPath().select(CloudProvider.class, "memory").open(ProviderContext.builder()
                .setting("regions", regions.stream().map(Enum::name).collect(Collectors.joining(","))).build());
    }
}
