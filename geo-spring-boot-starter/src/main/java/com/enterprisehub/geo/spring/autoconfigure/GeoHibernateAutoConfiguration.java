package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spring.GeoProperties;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Lets Hibernate start without a connection: at start-up it would borrow one to read the database's metadata,
 * and the tenant data source refuses a borrow with no tenant bound. The starter tells it instead that the
 * database is PostgreSQL of {@code geo.hibernate.database-major-version} (17: what the SDK needs) and not to
 * read metadata. Each setting is added only when the host set none of its own.
 */
@AutoConfiguration(before = HibernateJpaAutoConfiguration.class, after = GeoAutoConfiguration.class)
@ConditionalOnClass(HibernatePropertiesCustomizer.class)
@ConditionalOnBooleanProperty(name = "geo.hibernate.configure", matchIfMissing = true)
@ConditionalOnBean({TenantDataSource.class, GeoProperties.class})
public final class GeoHibernateAutoConfiguration {
    static final String ALLOW_METADATA = "hibernate.boot.allow_jdbc_metadata_access";
    static final String DIALECT = "hibernate.dialect";
    static final String PRODUCT = "jakarta.persistence.database-product-name";
    static final String MAJOR = "jakarta.persistence.database-major-version";

    /** The settings, each only when absent. */
    @Bean
    HibernatePropertiesCustomizer geoHibernateWithoutStartupConnection(GeoProperties properties,
            Environment environment) {
        return settings -> contribute(settings, properties.hibernate().databaseMajorVersion(),
                environment.containsProperty("spring.jpa.database-platform"));
    }

    /** Adds what is missing to {@code settings}. */
    static void contribute(Map<String, Object> settings, int majorVersion, boolean hostChoseDialect) {
        settings.putIfAbsent(ALLOW_METADATA, "false");
        if (!hostChoseDialect && !settings.containsKey(DIALECT) && !settings.containsKey(PRODUCT)) {
            settings.put(PRODUCT, "PostgreSQL"); // Hibernate picks its PostgreSQLDialect from the name
            settings.putIfAbsent(MAJOR, String.valueOf(majorVersion));
        }
    }
}
