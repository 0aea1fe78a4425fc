package com.enterprisehub.geo.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.cloud.local.LocalCloud;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spring.internal.GeoSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The geo.* properties as Boot binds them, resolved into the SDK's values. */
class GeoSetupTest {
    private static final String KEY = Base64.getEncoder().encodeToString(random(32));

    @TempDir
    Path dir;

    static GeoProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("geo", GeoProperties.class);
    }

    @Test
    void defaultsApplyWhenNothingIsSet() {
        GeoProperties p = bind(Map.of());
        assertThat(p.enabled()).isTrue();
        assertThat(p.resolver().header()).isEmpty(); // the X-Tenant-Id default is the resolver bean's, when no source is set
        assertThat(p.pool().maximumSize()).isEqualTo(10);
        assertThat(p.tenantMigrations().locations()).containsExactly("classpath:db/tenant");
        assertThat(p.web().excludePaths()).containsExactly("/actuator/**", "/error");
        assertThat(p.bindingKey().value()).isEmpty();
        assertThat(p.endpoints()).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        GeoProperties p = bind(Map.of("geo.endpoints[0].name", "ca", "geo.endpoints[0].url",
                "jdbc:postgresql://localhost/app", "geo.endpoints[0].admin.user", "admin",
                "geo.endpoints[0].app.user", "app", "geo.endpoints[0].app.password", "p",
                "geo.endpoints[0].app.password-secret", "db/app"));
        assertThatThrownBy(() -> GeoSetup.resolve(p)).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("4 problems")
                .hasMessageContaining("geo.endpoints[0].admin needs exactly one of password and password-secret")
                .hasMessageContaining("geo.endpoints[0].app needs exactly one")
                .hasMessageContaining("geo.endpoints[0] has no region")
                .hasMessageContaining("geo.binding-key.value")
                .hasMessageNotContaining("p,");
    }

    @Test
    void passwordsAndTheBindingKeyAreReadFromEachRegionsSecretStore() {
        LocalCloud cloud = LocalCloud.open(dir, EnumSet.of(DeploymentRegion.CANADA, DeploymentRegion.EUROPE));
        cloud.requireRegion(DeploymentRegion.CANADA).secrets().put("db/admin", "ca-admin-pw");
        cloud.requireRegion(DeploymentRegion.CANADA).secrets().put("geo/binding-key", KEY);
        cloud.requireRegion(DeploymentRegion.EUROPE).secrets().put("db/admin", "eu-admin-pw");
        Map<String, String> values = new java.util.HashMap<>(Map.of(
                "geo.secrets.cloud", "local", "geo.secrets.settings.directory", dir.toString(),
                "geo.binding-key.secret", "geo/binding-key"));
        endpoint(values, 0, "ca-shared", "CANADA");
        endpoint(values, 1, "eu-shared", "EUROPE");
        try (GeoSetup setup = GeoSetup.resolve(bind(values))) {
            assertThat(setup.endpoints()).extracting(e -> e.admin().password())
                    .containsExactly("ca-admin-pw", "eu-admin-pw");
            assertThat(setup.bindingKey()).isEqualTo(Base64.getDecoder().decode(KEY));

            // Read again for each new connection: a rotated secret is the next password, a deleted one fails closed.
            cloud.requireRegion(DeploymentRegion.CANADA).secrets().put("db/admin", "ca-admin-rotated");
            assertThat(setup.endpoints().get(0).admin().password()).isEqualTo("ca-admin-rotated");
            assertThat(setup.endpoints().get(0).admin().toString()).doesNotContain("ca-admin");
            cloud.requireRegion(DeploymentRegion.EUROPE).secrets().delete("db/admin");
            assertThatThrownBy(() -> setup.endpoints().get(1).admin().password())
                    .isInstanceOf(com.enterprisehub.geo.core.GeoException.class)
                    .hasMessageContaining("'db/admin' (geo.endpoints[1].admin.password-secret)")
                    .hasMessageContaining("EUROPE").hasMessageNotContaining("eu-admin-pw");
        }
    }

    @Test
    void aMissingSecretIsNamedWithItsRegion() {
        Map<String, String> values = new java.util.HashMap<>(Map.of(
                "geo.secrets.cloud", "local", "geo.secrets.settings.directory", dir.toString(),
                "geo.binding-key.value", KEY));
        endpoint(values, 0, "ca-shared", "CANADA");
        assertThatThrownBy(() -> GeoSetup.resolve(bind(values)))
                .hasMessageContaining("secret 'db/admin' is not in the CANADA secret store");
    }

    @Test
    void theControlPlaneNeedsItsRoleAndReadsItsPasswordFromTheSecretStore() {
        assertThatThrownBy(() -> GeoSetup.controlPlaneOnly(bind(Map.of("geo.control-plane.url",
                "jdbc:postgresql://localhost/control")))).hasMessageContaining("geo.control-plane.role.user is not");
        LocalCloud.open(dir, EnumSet.of(DeploymentRegion.EUROPE)).requireRegion(DeploymentRegion.EUROPE).secrets()
                .put("db/control", "cp-pw");
        GeoProperties p = bind(Map.of("geo.control-plane.url", "jdbc:postgresql://localhost/control",
                "geo.control-plane.role.user", "geo_platform", "geo.control-plane.role.password-secret", "db/control",
                "geo.control-plane.region", "EUROPE", "geo.secrets.cloud", "local",
                "geo.secrets.settings.directory", dir.toString()));
        try (GeoSetup alone = GeoSetup.controlPlaneOnly(p)) {
            assertThat(alone.controlPlane().orElseThrow().password()).isEqualTo("cp-pw");
            assertThat(alone.endpoints()).isEmpty();
        }
    }

    @Test
    void aShortBindingKeyIsRefused() {
        Map<String, String> values = new java.util.HashMap<>(Map.of("geo.binding-key.value",
                Base64.getEncoder().encodeToString(random(16))));
        endpoint(values, 0, "ca-shared", "CANADA");
        values.put("geo.endpoints[0].admin.password", "x");
        values.remove("geo.endpoints[0].admin.password-secret");
        assertThatThrownBy(() -> GeoSetup.resolve(bind(values))).hasMessageContaining("has 16 bytes");
    }

    @Test
    void tenantMigrationsAreReadInVersionOrderAndMisnamedFilesRefused() throws Exception {
        Path ok = Files.createDirectories(dir.resolve("ok"));
        Files.writeString(ok.resolve("V2__add_price.sql"), "ALTER TABLE listings ADD COLUMN price numeric");
        Files.writeString(ok.resolve("V1__listings.sql"), "CREATE TABLE listings (id int)");
        SchemaMigrations migrations = GeoSetup.tenantMigrations(new PathMatchingResourcePatternResolver(),
                List.of(ok.toUri().toString()));
        assertThat(migrations.migrations()).extracting(m -> m.version() + " " + m.description())
                .containsExactly("1 listings", "2 add price");
        Files.writeString(ok.resolve("v3-typo.sql"), "SELECT 1");
        assertThatThrownBy(() -> GeoSetup.tenantMigrations(new PathMatchingResourcePatternResolver(),
                List.of(ok.toUri().toString()))).hasMessageContaining("v3-typo.sql");
    }

    private static void endpoint(Map<String, String> values, int i, String name, String region) {
        String p = "geo.endpoints[" + i + "].";
        values.put(p + "name", name);
        values.put(p + "region", region);
        values.put(p + "url", "jdbc:postgresql://localhost/" + name.replace('-', '_'));
        values.put(p + "admin.user", "admin");
        values.put(p + "admin.password-secret", "db/admin");
        values.put(p + "app.user", "app");
        values.put(p + "app.password", "app-pw");
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
