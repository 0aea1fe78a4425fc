package com.enterprisehub.geo.spring.internal;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults the starter needs before any bean exists: {@code spring.jpa.hibernate.ddl-auto=none}, because Boot
 * otherwise probes whether the {@code DataSource} is an embedded database to choose the default, borrowing a
 * connection with no tenant bound (refused, and counted as a refusal at every start). Added as the last property
 * source, so any value the host sets anywhere wins; not added when {@code geo.enabled=false}. Not API.
 */
public final class GeoEnvironmentDefaults implements EnvironmentPostProcessor, Ordered {
    static final String NAME = "geoStarterDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("geo.enabled", Boolean.class, true)
                || environment.getPropertySources().contains(NAME)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource(NAME,
                Map.of("spring.jpa.hibernate.ddl-auto", "none")));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE; // after the application's config data is loaded
    }
}
