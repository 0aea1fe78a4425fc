package com.enterprisehub.geo.cloud.local;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.test.ObjectStorageContract;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object storage of a local cloud's region passes the object-storage kit, objects sealed under the region's
 * master keys included.
 */
class LocalObjectStorageContractTest extends ObjectStorageContract {
    @TempDir
    Path dir;
    private CloudRegion region;

    @Override
    protected ObjectStorage newObjectStorage() {
        region = LocalCloud.open(dir, EnumSet.of(DeploymentRegion.EUROPE)).requireRegion(DeploymentRegion.EUROPE);
        return region.objects();
    }

    @Override
    protected Optional<KeyManagement> regionKeys() {
        return Optional.of(region.keys());
    }
}
