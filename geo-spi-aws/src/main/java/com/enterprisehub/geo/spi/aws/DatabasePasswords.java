package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.spi.aws.internal.SecretsManagerSecrets;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Database passwords read again for every new physical connection, so a rotated password or a fresh RDS token
 * reaches new connections while open ones (and the work on them) carry on. Hand one to the pool's per-connection
 * credentials hook (HikariCP: {@code HikariConfig.setCredentialsProvider(() -> Credentials.of(user,
 * passwords.get()))}). Nothing is stored: the password is fetched when a connection is opened, which is rare.
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

    /** RDS IAM authentication tokens as passwords: the current token, made anew before it expires. */
    public static Supplier<String> fromRdsTokens(RdsAuthTokens tokens) {
        Objects.requireNonNull(tokens, "tokens");
        return tokens::token;
    }
}
