package com.enterprisehub.geo.cloud.local;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.test.ObjectStorageContract;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.io.TempDir;

/** The object storage of a local cloud's region passes the object-storage kit. */
class LocalObjectStorageContractTest extends ObjectStorageContract {
    @TempDir
    Path dir;

    @Override
    protected ObjectStorage newObjectStorage() {
        return LocalCloud.open(dir, EnumSet.of(DeploymentRegion.EUROPE)).requireRegion(DeploymentRegion.EUROPE)
                .objects();
    }
}
