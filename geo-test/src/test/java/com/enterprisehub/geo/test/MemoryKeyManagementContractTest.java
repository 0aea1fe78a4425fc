package com.enterprisehub.geo.test;

import com.enterprisehub.geo.spi.cloud.KeyManagement;

/** The key-management kit against the correct in-memory key management of these tests: every kit test passes. */
class MemoryKeyManagementContractTest extends KeyManagementContract {
    @Override
    protected KeyManagement newKeyManagement() {
        return new MemoryKeyManagement();
    }
}
