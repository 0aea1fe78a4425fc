package com.enterprisehub.geo.spi.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import org.junit.jupiter.api.Test;

class StoredObjectTest {
    @Test
    void aNegativeSizeIsRefusedWithinTheSdksExceptionsNamingTheObject() {
        assertThatThrownBy(() -> new StoredObject("exports/acme/rows.jsonl", -1, "00"))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("exports/acme/rows.jsonl");
        assertThat(new StoredObject("empty", 0, "e3b0").size()).isZero();
    }
}
