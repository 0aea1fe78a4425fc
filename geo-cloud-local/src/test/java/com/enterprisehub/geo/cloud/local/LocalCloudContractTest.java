package com.enterprisehub.geo.cloud.local;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.test.CloudContract;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;

/** The local cloud, opened through its provider with the regions the kit asks for, passes the cloud kit. */
class LocalCloudContractTest extends CloudContract {
    @TempDir
    Path dir;

    @Override
    protected Cloud newCloud(Set<DeploymentRegion> regions) {
        return Providers.fromClassPath().select(CloudProvider.class, "local").open(ProviderContext.builder()
                .setting("directory", dir.toString())
                .setting("regions", regions.stream().map(Enum::name).collect(Collectors.joining(","))).build());
    }
}
