package com.enterprisehub.geo.spring.internal;

import java.util.List;
import java.util.Locale;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the secret-bearing {@code geo.*} properties in {@code /actuator/configprops} and {@code /actuator/env}
 * whatever their {@code show-values} setting: the endpoints' and dedicated servers' passwords, the control-plane
 * role's password, the binding key, and every provider setting ({@code geo.secrets.settings.*},
 * {@code geo.tenants.settings.*}, which may hold credentials). Keys are compared in every form they take there
 * ({@code geo.endpoints[0].admin.password}, {@code geo.bindingKey.value}, {@code GEO_BINDINGKEY_VALUE}). Not API.
 */
public final class GeoSecretsSanitizer implements SanitizingFunction {
    private static final List<String> SECRETS = List.of("geoendpointsadminpassword", "geoendpointsapppassword",
            "geodedicatedserversadminpassword", "geocontrolplanerolepassword", "geobindingkeyvalue");
    private static final List<String> SECRET_PREFIXES = List.of("geosecretssettings", "geotenantssettings");

    @Override
    public SanitizableData apply(SanitizableData data) {
        return isSecret(data.getKey()) ? data.withSanitizedValue() : data;
    }

    /** Whether {@code key}, in any of its forms, names a secret-bearing geo property. */
    static boolean isSecret(String key) {
        if (key == null) {
            return false;
        }
        String flat = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        return SECRETS.contains(flat) || SECRET_PREFIXES.stream().anyMatch(p -> flat.startsWith(p)
                && flat.length() > p.length());
    }
}
