package com.example.geo.boot;

import com.enterprisehub.geo.test.PostgresFixture;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh database on the embedded PostgreSQL 17 of this JVM, given to the application as a deployment would give
 * it: through the geo.* properties only (the superuser as the endpoint's administrator, the ordinary login role
 * {@code geo_app} as the application role, a random binding key).
 */
final class EmbeddedDatabase {
    private EmbeddedDatabase() {
    }

    static void register(DynamicPropertyRegistry registry, String prefix) {
        register(registry, prefix, false);
    }

    /** With {@code europe}, a second endpoint ({@code europe-shared}, region EUROPE) on a database of its own. */
    static void register(DynamicPropertyRegistry registry, String prefix, boolean europe) {
        if (europe) {
            String second = PostgresFixture.newDatabase(prefix + "_eu");
            registry.add("geo.endpoints[1].name", () -> "europe-shared");
            registry.add("geo.endpoints[1].region", () -> "EUROPE");
            registry.add("geo.endpoints[1].url", () -> PostgresFixture.jdbcUrl(second));
            registry.add("geo.endpoints[1].admin.user", () -> "postgres");
            registry.add("geo.endpoints[1].admin.password", () -> "postgres");
            registry.add("geo.endpoints[1].app.user", () -> PostgresFixture.APP_ROLE);
            registry.add("geo.endpoints[1].app.password", () -> "app");
        }
        String database = PostgresFixture.newDatabase(prefix);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        // A list is bound whole from the highest property source that sets it: every field of the endpoint here.
        registry.add("geo.endpoints[0].name", () -> "canada-shared");
        registry.add("geo.endpoints[0].region", () -> "CANADA");
        registry.add("geo.endpoints[0].url", () -> PostgresFixture.jdbcUrl(database));
        registry.add("geo.endpoints[0].admin.user", () -> "postgres");
        registry.add("geo.endpoints[0].admin.password", () -> "postgres");
        registry.add("geo.endpoints[0].app.user", () -> PostgresFixture.APP_ROLE);
        registry.add("geo.endpoints[0].app.password", () -> "app");
        registry.add("geo.binding-key.value", () -> Base64.getEncoder().encodeToString(key));
    }
}
