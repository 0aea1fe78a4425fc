package com.enterprisehub.geo.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"acme", "acme-realty", "bay2", "a1b", "abc", "x-1-2", "abcdefghijklmnopqrstuvwxyz012345"})
    void acceptsLowercaseSlugs(String id) {
        assertThat(TenantId.of(id).value()).isEqualTo(id);
        assertThat(TenantId.isValid(id)).isTrue();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "", "ab", "abcdefghijklmnopqrstuvwxyz0123456", // too short, 33 chars
        "Acme", "ACME", "1acme", "-acme", "acme-", "ac--me", "ac_me", "ac.me", "ac me", " acme", "acme\n",
        "acme'; drop table tenants; --", "acme\"", "a\"b", "acme;", "acme)", "acme/x", "acme\\x", "acme$1",
        "acm\u00e9", "\u0430cme", // e-acute; Cyrillic a that looks Latin
        "acme\u0000", "acme\u200b", // NUL, zero-width space
        "public", "postgres", "template0", "template1", "pg-catalog", "pgtenant", "admin", "control",
    })
    void refusesAnythingThatIsNotASafeSlug(String id) {
        assertThat(TenantId.isValid(id)).isFalse();
        assertThatThrownBy(() -> TenantId.of(id)).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("Invalid tenant id");
    }

    @Test
    void errorMessagesEscapeControlCharacters() {
        assertThatThrownBy(() -> TenantId.of("bad\nid")).hasMessageContaining("bad\\u000aid")
                .hasMessageNotContaining("\n");
    }

    @Test
    void deserializationValidatesToo() throws Exception {
        TenantId id = TenantId.of("acme");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(id);
        }
        byte[] data = bytes.toByteArray();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
            assertThat(in.readObject()).isEqualTo(id);
        }
        // Tamper with the serialized form: 'acme' becomes 'ACME', which the constructor refuses.
        String text = new String(data, java.nio.charset.StandardCharsets.ISO_8859_1).replace("acme", "ACME");
        byte[] tampered = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(tampered))) {
                in.readObject();
            }
        }).hasRootCauseInstanceOf(GeoValidationException.class);
    }
}
