package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.spring.internal.GeoSecretsSanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Masks the {@code geo.*} secrets in {@code /actuator/configprops} and {@code /actuator/env} (Boot masks values
 * there only through {@link SanitizingFunction} beans once {@code show-values} is not {@code never}).
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
@ConditionalOnBooleanProperty(name = "geo.enabled", matchIfMissing = true)
public final class GeoActuatorAutoConfiguration {
    /** The masking function (backs off to a host bean of the same name). */
    @Bean
    @ConditionalOnMissingBean(name = "geoSecretsSanitizer")
    SanitizingFunction geoSecretsSanitizer() {
        return new GeoSecretsSanitizer();
    }
}
