package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.aws.internal.SecretsManagerSecrets;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Database passwords read again for every new physical connection, so a rotated password or a fresh RDS token
 * reaches new connections while open ones (and the work on them) carry on. Nothing is stored: the password is fetched
 * when a connection is opened, which is rare.
 *
 * <p>For the SDK's own pools, give an endpoint {@link DatabaseCredentials} ({@link #fromSecret(String, SecretStore,
 * String)}, or {@link RdsAuthTokens} itself):
 *
 * <pre>{@code
 * SecretStore secrets = cloud.requireRegion(DeploymentRegion.EUROPE).secrets();
 * new DatabaseEndpoint("eu", DeploymentRegion.EUROPE, url,
 *         DatabasePasswords.fromSecret("geo_admin", secrets, "db/admin.password"),
 *         DatabasePasswords.fromSecret("geo_app", secrets, "db/app.password"));
 * }</pre>
 *
 * <p>For another pool, hand a password supplier to its per-connection credentials hook (HikariCP:
 * {@code HikariConfig.setCredentialsProvider(() -> Credentials.of(user, passwords.get()))}).
 *
 * <p>Stateless; the suppliers are thread-safe. Passwords are never logged nor put in messages.
 */
public final class DatabasePasswords {
    private DatabasePasswords() {
    }

    /**
     * The password in secret {@code name} of {@code secrets}, as staged {@code AWSCURRENT} when the connection is
     * opened. For the aws cloud's secret store the read bypasses the store's cache, so a rotation done by Secrets
     * Manager (a new {@code AWSCURRENT} version) is used by the very next connection.
     *
     * @throws GeoException from the supplier if the secret does not exist (fail closed: no connection)
     */
    public static Supplier<String> fromSecret(SecretStore secrets, String name) {
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(name, "name");
        return () -> {
            var value = secrets instanceof SecretsManagerSecrets sm ? sm.get(name, "AWSCURRENT") : secrets.get(name);
            return value.orElseThrow(() -> new GeoException("The database password secret '" + name + "' does not"
                    + " exist in " + secrets + ". Store it (SecretStore.put) before opening connections."));
        };
    }

    /**
     * The credentials of database user {@code user} whose password is secret {@code name} of {@code secrets}, read
     * (as {@link #fromSecret(SecretStore, String)} reads it: {@code AWSCURRENT}, past the store's cache) for every new
     * physical connection. Give it to a {@code DatabaseEndpoint} of geo-isolation (application or administrator
     * role) or a {@code DedicatedServer}: after Secrets Manager rotates the password, the pool's next connection
     * logs in with the new one; open connections carry on. Its {@code toString} names the user and the secret, never
     * the password.
     *
     * @throws GeoValidationException if {@code user} is blank
     */
    public static DatabaseCredentials fromSecret(String user, SecretStore secrets, String name) {
        Supplier<String> passwords = fromSecret(secrets, name);
        DatabaseCredentials credentials = DatabaseCredentials.of(user, passwords);
        return new DatabaseCredentials() {
            @Override
            public String user() {
                return credentials.user();
            }

            @Override
            public String password() {
                return credentials.password();
            }

            @Override
            public String toString() {
                return "DatabaseCredentials[user=" + user + ", password=secret '" + name + "' (AWSCURRENT, read per"
                        + " connection)]";
            }
        };
    }

    /** RDS IAM authentication tokens as passwords: the current token, made anew before it expires. */
    public static Supplier<String> fromRdsTokens(RdsAuthTokens tokens) {
        Objects.requireNonNull(tokens, "tokens");
        return tokens::token;
    }
}
