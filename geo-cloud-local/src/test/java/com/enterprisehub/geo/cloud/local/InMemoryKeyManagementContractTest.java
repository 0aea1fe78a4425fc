package com.enterprisehub.geo.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.test.KeyManagementContract;
import org.junit.jupiter.api.Test;

/**
 * {@link InMemoryKeyManagement} passes the key-management kit; and what the kit leaves to each implementation: a
 * fresh IV for every wrap, and refusals that say what happened.
 */
class InMemoryKeyManagementContractTest extends KeyManagementContract {
    @Override
    protected KeyManagement newKeyManagement() {
        return new InMemoryKeyManagement();
    }

    @Test
    void everyWrapHasAFreshIv() {
        String key = kms.createKey("tenant-acme");
        byte[] data = dataKey(32);
        assertThat(kms.wrap(key, data, "tenant:acme")).isNotEqualTo(kms.wrap(key, data, "tenant:acme"));
    }

    @Test
    void refusalsSayWhatHappened() {
        String key = kms.createKey("tenant-acme");
        byte[] wrapped = kms.wrap(key, dataKey(32), "tenant:acme");
        assertThatThrownBy(() -> kms.unwrap(key, wrapped, "tenant:bay")).isInstanceOf(GeoException.class)
                .hasMessageContaining("does not open with master key 'local/tenant-acme'")
                .hasMessageContaining("another key or context, or it was altered");
        kms.destroyKey(key);
        assertThatThrownBy(() -> kms.unwrap(key, wrapped, "tenant:acme")).isInstanceOf(GeoException.class)
                .hasMessageContaining("never created, or it was destroyed");
    }
}
