package com.enterprisehub.geo.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;

/** Secret-bearing geo keys are masked in every form; the others are not. */
class GeoSecretsSanitizerTest {
    private final GeoSecretsSanitizer sanitizer = new GeoSecretsSanitizer();

    @Test
    void secretsAreMaskedInEveryKeyForm() {
        for (String key : List.of("geo.endpoints[0].admin.password", "geo.endpoints[12].app.password",
                "geo.endpoints.admin.password", "geo.dedicated-servers[0].admin.password",
                "geo.control-plane.role.password", "geo.controlPlane.role.password", "geo.binding-key.value",
                "geo.bindingKey.value", "GEO_BINDINGKEY_VALUE", "GEO_ENDPOINTS_0_ADMIN_PASSWORD",
                "geo.secrets.settings.access-key", "geo.tenants.settings.password")) {
            assertThat(sanitizer.apply(new SanitizableData(null, key, "s3cret")).getValue()).as(key)
                    .isEqualTo(SanitizableData.SANITIZED_VALUE);
        }
        for (String key : List.of("geo.endpoints[0].admin.user", "geo.endpoints[0].url",
                "geo.binding-key.secret", "geo.secrets.cloud", "geo.tenants.provider", "spring.application.name")) {
            assertThat(sanitizer.apply(new SanitizableData(null, key, "plain")).getValue()).as(key)
                    .isEqualTo("plain");
        }
    }
}
