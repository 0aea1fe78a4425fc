package com.enterprisehub.geo.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyManagementTest {
    private final KeyManagement kms = new InMemoryKeyManagement();
    private final byte[] dataKey = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    @Test
    void wrapsAndUnwrapsUnderTheSameKeyAndContext() {
        String key = kms.createKey("tenant-acme");
        assertThat(kms.createKey("tenant-acme")).isEqualTo(key);
        byte[] wrapped = kms.wrap(key, dataKey, "tenant:acme");
        assertThat(wrapped).isNotEqualTo(dataKey).hasSizeGreaterThan(dataKey.length);
        assertThat(kms.unwrap(key, wrapped, "tenant:acme")).isEqualTo(dataKey);
        assertThat(kms.wrap(key, dataKey, "tenant:acme")).as("a fresh IV every time").isNotEqualTo(wrapped);
    }

    @Test
    void anotherContextAnotherKeyOrAnAlteredWrapDoesNotOpen() {
        String acme = kms.createKey("tenant-acme");
        String bay = kms.createKey("tenant-bay");
        byte[] wrapped = kms.wrap(acme, dataKey, "tenant:acme");
        assertThatThrownBy(() -> kms.unwrap(acme, wrapped, "tenant:bay")).isInstanceOf(GeoException.class)
                .hasMessageContaining("does not open");
        assertThatThrownBy(() -> kms.unwrap(bay, wrapped, "tenant:acme")).isInstanceOf(GeoException.class);
        byte[] altered = wrapped.clone();
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> kms.unwrap(acme, altered, "tenant:acme")).isInstanceOf(GeoException.class);
    }

    @Test
    void aDestroyedKeyOpensNothingEverAgain() {
        String key = kms.createKey("tenant-acme");
        byte[] wrapped = kms.wrap(key, dataKey, "tenant:acme");
        kms.destroyKey(key);
        kms.destroyKey(key);
        assertThatThrownBy(() -> kms.unwrap(key, wrapped, "tenant:acme")).isInstanceOf(GeoException.class)
                .hasMessageContaining("destroyed");
        // Creating a key with the same alias makes a new key: the old wrap still does not open.
        String again = kms.createKey("tenant-acme");
        assertThatThrownBy(() -> kms.unwrap(again, wrapped, "tenant:acme")).isInstanceOf(GeoException.class);
    }

    @Test
    void refusesBadAliases() {
        assertThatThrownBy(() -> kms.createKey("Tenant ACME")).isInstanceOf(GeoValidationException.class);
    }
}
