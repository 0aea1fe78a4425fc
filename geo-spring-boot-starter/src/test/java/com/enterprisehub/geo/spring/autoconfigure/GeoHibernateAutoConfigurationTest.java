package com.enterprisehub.geo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Hibernate settings are added only where the host set none. */
class GeoHibernateAutoConfigurationTest {
    @Test
    void anEmptyConfigurationGetsNoMetadataAccessAndPostgres17() {
        Map<String, Object> settings = new HashMap<>();
        GeoHibernateAutoConfiguration.contribute(settings, 17, false);
        assertThat(settings).containsEntry("hibernate.boot.allow_jdbc_metadata_access", "false")
                .containsEntry("jakarta.persistence.database-product-name", "PostgreSQL")
                .containsEntry("jakarta.persistence.database-major-version", "17")
                .doesNotContainKey("hibernate.dialect");
    }

    @Test
    void theHostsOwnSettingsWin() {
        Map<String, Object> settings = new HashMap<>(Map.of("hibernate.boot.allow_jdbc_metadata_access", "true",
                "hibernate.dialect", "com.example.MyDialect"));
        GeoHibernateAutoConfiguration.contribute(settings, 17, false);
        assertThat(settings).containsEntry("hibernate.boot.allow_jdbc_metadata_access", "true")
                .containsEntry("hibernate.dialect", "com.example.MyDialect")
                .doesNotContainKey("jakarta.persistence.database-product-name");

        Map<String, Object> platform = new HashMap<>();
        GeoHibernateAutoConfiguration.contribute(platform, 18, true); // spring.jpa.database-platform set
        assertThat(platform).containsOnlyKeys("hibernate.boot.allow_jdbc_metadata_access");
    }
}
