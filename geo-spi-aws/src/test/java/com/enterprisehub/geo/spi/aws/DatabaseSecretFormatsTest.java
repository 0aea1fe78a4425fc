package com.enterprisehub.geo.spi.aws;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The database secrets {@link DatabasePasswords#fromSecret} reads, on the loopback Secrets Manager: the password
 * alone, the JSON of Secrets Manager's rotation functions and of RDS-managed secrets, an RDS-managed secret's own
 * name; what fails closed (never quoting the value); RDS tokens require a verified server.
 */
class DatabaseSecretFormatsTest {

    @Test
    void aJsonSecretGivesItsPasswordKeyAndLogsIn() throws Exception {
        String db = PostgresFixture.newDatabase("jsonsecret");
        String role = "geo_json_" + Long.toHexString(System.nanoTime());
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "CREATE ROLE " + role + " LOGIN PASSWORD 'json-Passw0rd'");
        }
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())) {
            SecretStore secrets = cloud.requireRegion(DeploymentRegion.EUROPE).secrets();
            // What Secrets Manager's PostgreSQL rotation function keeps (AWS Secrets Manager User Guide, "JSON
            // structure of AWS Secrets Manager secrets").
            secrets.put("db/app.json", "{\"engine\": \"postgres\", \"host\": \"localhost\", \"username\": \"" + role
                    + "\", \"password\": \"json-Passw0rd\", \"dbname\": \"" + db + "\", \"port\": 5432}");
            DatabaseCredentials app = DatabasePasswords.fromSecret(role, secrets, "db/app.json");
            assertThat(app.password()).isEqualTo("json-Passw0rd");
            try (Connection c = DriverManager.getConnection(PostgresFixture.jdbcUrl(db), app.user(), app.password())) {
                assertThat(c.isValid(1)).as("a real login with the password of the JSON secret").isTrue();
            }
            assertThat(DatabasePasswords.fromSecret(secrets, "db/app.json").get()).isEqualTo("json-Passw0rd");

            secrets.put("db/plain", "plain-Passw0rd");
            assertThat(DatabasePasswords.fromSecret("geo_app", secrets, "db/plain").password())
                    .isEqualTo("plain-Passw0rd");
            secrets.put("db/nouser", "{\"password\": \"only-Passw0rd\"}");
            assertThat(DatabasePasswords.fromSecret("geo_app", secrets, "db/nouser").password())
                    .as("no username key: nothing to check").isEqualTo("only-Passw0rd");
        }
    }

    @Test
    void secretsWithoutAUsablePasswordFailClosedWithoutQuotingTheValue() {
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())) {
            SecretStore secrets = cloud.requireRegion(DeploymentRegion.EUROPE).secrets();
            secrets.put("db/other", "{\"username\": \"geo_other\", \"password\": \"other-S3cret\"}");
            secrets.put("db/nopassword", "{\"username\": \"geo_app\", \"pass\": \"nokey-S3cret\"}");
            secrets.put("db/numeric", "{\"username\": \"geo_app\", \"password\": 12345678}");
            secrets.put("db/broken", "{\"username\": \"geo_app\", \"password\": \"broken-S3cret");
            secrets.put("db/array", "[\"array-S3cret\"]");
            secrets.put("db/blank", "   ");
            secrets.put("db/blankjson", "{\"username\": \"geo_app\", \"password\": \" \"}");
            for (String name : new String[] {"db/other", "db/nopassword", "db/numeric", "db/broken", "db/blank",
                    "db/blankjson"}) {
                assertThatThrownBy(() -> DatabasePasswords.fromSecret("geo_app", secrets, name).password()).as(name)
                        .isInstanceOf(GeoException.class).hasMessageContaining(name).hasNoCause()
                        .hasMessageNotContaining("S3cret");
            }
            assertThatThrownBy(() -> DatabasePasswords.fromSecret("geo_app", secrets, "db/other").password())
                    .hasMessageContaining("geo_other").hasMessageContaining("geo_app");
            assertThatThrownBy(() -> DatabasePasswords.fromSecret(secrets, "db/nopassword").get())
                    .isInstanceOf(GeoException.class).hasMessageContaining("\"password\"");
            assertThat(DatabasePasswords.fromSecret(secrets, "db/array").get())
                    .as("a value starting with '[' is a password, not JSON").isEqualTo("[\"array-S3cret\"]");
        }
    }

    @Test
    void anRdsManagedSecretIsReadByItsOwnName() {
        String namespace = Loopback.namespace();
        String name = "rds!db-" + UUID.randomUUID();
        Loopback.aws().rdsManagedSecret("eu-west-2", name, "{\"username\": \"geo_admin\", \"password\": \"rds-Managed-1\"}");
        try (AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), namespace)) {
            SecretStore secrets = cloud.requireRegion(DeploymentRegion.EUROPE).secrets();
            DatabaseCredentials admin = DatabasePasswords.fromSecret("geo_admin", secrets, name);
            assertThat(admin.password()).isEqualTo("rds-Managed-1");
            Loopback.aws().rotateSecret("eu-west-2", name, "{\"username\": \"geo_admin\", \"password\": \"rds-Managed-2\"}");
            assertThat(admin.password()).as("RDS rotated it: AWSCURRENT, read again").isEqualTo("rds-Managed-2");
            assertThatThrownBy(() -> DatabasePasswords.fromSecret("geo_admin", secrets, "rds!db-" + UUID.randomUUID())
                    .password()).isInstanceOf(GeoException.class).hasMessageContaining("does not exist");
            assertThatThrownBy(() -> DatabasePasswords.fromSecret("geo_admin", secrets, "rds!other").password())
                    .as("not an RDS-managed name: the store's own name rules").isInstanceOf(GeoException.class);
        }
    }

    @Test
    void rdsTokensRequireAVerifiedServer() {
        try (RdsAuthTokens tokens = RdsAuthTokens.builder().endpoint("db.example.com", 5432).user("geo_iam")
                .region(DeploymentRegion.EUROPE, Region.EU_WEST_2).credentials(Loopback.CREDENTIALS).build();
                AwsCloud cloud = Loopback.cloud(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())) {
            assertThat(tokens.requiresVerifiedTls()).isTrue();
            DatabaseCredentials app = DatabasePasswords.fromSecret("geo_app",
                    cloud.requireRegion(DeploymentRegion.EUROPE).secrets(), "db/app");
            assertThat(app.requiresVerifiedTls()).isFalse();
            String url = "jdbc:postgresql://db.example.com:5432/geo";
            assertThatThrownBy(() -> new DatabaseEndpoint("eu-iam", DeploymentRegion.EUROPE, url, tokens, app))
                    .isInstanceOf(GeoValidationException.class).hasMessageContaining("sslmode=verify-full")
                    .hasMessageContaining("geo_iam");
            assertThat(new DatabaseEndpoint("eu-iam", DeploymentRegion.EUROPE, url + "?sslmode=verify-full", tokens,
                    app).admin()).isSameAs(tokens);
        }
    }
}
