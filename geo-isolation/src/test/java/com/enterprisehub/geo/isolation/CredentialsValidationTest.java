package com.enterprisehub.geo.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import org.junit.jupiter.api.Test;

/**
 * What endpoints and dedicated servers check of their credentials when they are made: a user name from any
 * implementation, and a URL that verifies the server's certificate for credentials that require it (RDS IAM tokens).
 */
class CredentialsValidationTest {
    private static final String URL = "jdbc:postgresql://db.example.com:5432/geo";
    private static final Credentials ADMIN = new Credentials("geo_admin", "x");
    private static final Credentials APP = new Credentials("geo_app", "y");

    /** A host's own implementation. */
    private record Custom(String user, boolean requiresVerifiedTls) implements DatabaseCredentials {
        @Override
        public String password() {
            return "token";
        }
    }

    @Test
    void aCustomImplementationWithoutAUserNameIsRefusedNamingTheEndpoint() {
        for (String user : new String[] {null, "", "  "}) {
            assertThatThrownBy(() -> new DatabaseEndpoint("eu-custom", DeploymentRegion.EUROPE, URL, ADMIN,
                    new Custom(user, false))).isInstanceOf(GeoValidationException.class)
                    .hasMessageContaining("eu-custom").hasMessageContaining("application");
            assertThatThrownBy(() -> new DatabaseEndpoint("eu-custom", DeploymentRegion.EUROPE, URL,
                    new Custom(user, false), APP)).isInstanceOf(GeoValidationException.class)
                    .hasMessageContaining("eu-custom").hasMessageContaining("administrator");
            assertThatThrownBy(() -> new DedicatedServer("crown-uk", TenantId.of("crown"), DeploymentRegion.EUROPE,
                    URL, new Custom(user, false))).isInstanceOf(GeoValidationException.class)
                    .hasMessageContaining("crown-uk");
        }
    }

    @Test
    void credentialsThatRequireAVerifiedServerNeedSslmodeVerifyFullOrVerifyCa() {
        Custom tokens = new Custom("geo_iam", true);
        for (String url : new String[] {URL, URL + "?sslmode=prefer", URL + "?sslmode=require",
                URL + "?ApplicationName=geo&sslmode=disable", URL + "?sslmode=verify-full&sslmode=require",
                URL + "?sslmode=verify-full&sslfactory=org.postgresql.ssl.NonValidatingFactory", URL + "?ssl=true"}) {
            assertThatThrownBy(() -> new DatabaseEndpoint("eu-iam", DeploymentRegion.EUROPE, url, ADMIN, tokens))
                    .as(url).isInstanceOf(GeoValidationException.class).hasMessageContaining("eu-iam")
                    .hasMessageContaining("geo_iam").hasMessageContaining("sslmode=verify-full");
            assertThatThrownBy(() -> new DatabaseEndpoint("eu-iam", DeploymentRegion.EUROPE, url, tokens, APP))
                    .as(url).isInstanceOf(GeoValidationException.class).hasMessageContaining("administrator");
            assertThatThrownBy(() -> new DedicatedServer("crown-uk", TenantId.of("crown"), DeploymentRegion.EUROPE,
                    url, tokens)).as(url).isInstanceOf(GeoValidationException.class)
                    .hasMessageContaining("sslmode=verify-full");
        }
        for (String url : new String[] {URL + "?sslmode=verify-full", URL + "?sslmode=verify-ca",
                URL + "?ApplicationName=geo&sslmode=verify-full&sslrootcert=/etc/ssl/rds-ca.pem"}) {
            assertThat(new DatabaseEndpoint("eu-iam", DeploymentRegion.EUROPE, url, ADMIN, tokens).jdbcUrl())
                    .isEqualTo(url);
            assertThat(new DedicatedServer("crown-uk", TenantId.of("crown"), DeploymentRegion.EUROPE, url, tokens)
                    .admin()).isSameAs(tokens);
        }
        assertThat(new DatabaseEndpoint("eu-plain", DeploymentRegion.EUROPE, URL, ADMIN, new Custom("geo_app", false))
                .jdbcUrl()).as("credentials that do not require it: the URL is the host's choice").isEqualTo(URL);
        assertThat(ADMIN.requiresVerifiedTls()).isFalse();
        assertThat(DatabaseCredentials.of("geo_app", () -> "p").requiresVerifiedTls()).isFalse();
    }
}
