package com.enterprisehub.geo.spi.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import org.junit.jupiter.api.Test;

/**
 * The SPI's {@link ObjectProtection} refuses a missing or blank key id as its Javadoc says (here because the tests of
 * geo-spi's cloud package are not this helper's to write; it belongs beside them).
 */
class ObjectProtectionTest {

    @Test
    void aNullOrBlankKeyIdIsAValidationFailureNamingWhatToGive() {
        for (String bad : new String[] {null, "", "  "}) {
            assertThatThrownBy(() -> ObjectProtection.masterKey(bad)).as("key id %s", bad)
                    .isInstanceOf(GeoValidationException.class).hasMessageContaining("KeyManagement.createKey");
            assertThatThrownBy(() -> new ObjectProtection.MasterKey(bad)).as("constructor, key id %s", bad)
                    .isInstanceOf(GeoValidationException.class);
        }
        assertThat(ObjectProtection.masterKey("local/europe/tenant-acme")).isEqualTo(
                new ObjectProtection.MasterKey("local/europe/tenant-acme"));
    }
}
