package com.enterprisehub.geo.test;

import com.enterprisehub.geo.spi.cloud.SecretStore;

/** The secret-store kit against the correct in-memory store of these tests: every kit test passes. */
class MemorySecretStoreContractTest extends SecretStoreContract {
    @Override
    protected SecretStore newSecretStore() {
        return new MemorySecretStore();
    }
}
