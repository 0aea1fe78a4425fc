package com.enterprisehub.geo.cloud.local;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.test.SecretStoreContract;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.io.TempDir;

/** The secrets of a local cloud's region pass the secret-store kit. */
class LocalSecretStoreContractTest extends SecretStoreContract {
    @TempDir
    Path dir;

    @Override
    protected SecretStore newSecretStore() {
        return LocalCloud.open(dir, EnumSet.of(DeploymentRegion.US_WEST)).requireRegion(DeploymentRegion.US_WEST)
                .secrets();
    }
}
