package com.enterprisehub.geo.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** ddl-auto defaults to none (no embedded-database probe) unless the host set it or turned the starter off. */
class GeoEnvironmentDefaultsTest {
    @Test
    void ddlAutoIsNoneOnlyWhenTheHostSetNothing() {
        StandardEnvironment plain = new StandardEnvironment();
        new GeoEnvironmentDefaults().postProcessEnvironment(plain, new SpringApplication());
        assertThat(plain.getProperty("spring.jpa.hibernate.ddl-auto")).isEqualTo("none");

        StandardEnvironment host = new StandardEnvironment();
        host.getPropertySources().addFirst(new MapPropertySource("host",
                Map.of("spring.jpa.hibernate.ddl-auto", "validate")));
        new GeoEnvironmentDefaults().postProcessEnvironment(host, new SpringApplication());
        assertThat(host.getProperty("spring.jpa.hibernate.ddl-auto")).isEqualTo("validate");

        StandardEnvironment off = new StandardEnvironment();
        off.getPropertySources().addFirst(new MapPropertySource("host", Map.of("geo.enabled", "false")));
        new GeoEnvironmentDefaults().postProcessEnvironment(off, new SpringApplication());
        assertThat(off.getProperty("spring.jpa.hibernate.ddl-auto")).isNull();
    }
}
