package com.enterprisehub.geo.test;

import com.enterprisehub.geo.spi.cloud.ObjectStorage;

/** The object-storage kit against the correct in-memory storage of these tests: every kit test passes. */
class MemoryObjectStorageContractTest extends ObjectStorageContract {
    @Override
    protected ObjectStorage newObjectStorage() {
        return new MemoryObjectStorage();
    }
}
