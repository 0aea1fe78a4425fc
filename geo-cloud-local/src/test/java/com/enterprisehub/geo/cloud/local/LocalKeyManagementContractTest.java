package com.enterprisehub.geo.cloud.local;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.test.KeyManagementContract;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.io.TempDir;

/** The key management of a local cloud's region passes the key-management kit. */
class LocalKeyManagementContractTest extends KeyManagementContract {
    @TempDir
    Path dir;

    @Override
    protected KeyManagement newKeyManagement() {
        return LocalCloud.open(dir, EnumSet.of(DeploymentRegion.CANADA)).requireRegion(DeploymentRegion.CANADA).keys();
    }
}
