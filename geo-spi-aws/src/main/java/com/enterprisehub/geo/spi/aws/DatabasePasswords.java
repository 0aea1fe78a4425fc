package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.aws.internal.SecretsManagerSecrets;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

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
     * <p>The secret's value is the password itself, or a JSON object with a {@code "password"} key (and
     * {@code "username"}, {@code "host"} and other keys, ignored here): the structure Secrets Manager's rotation
     * functions and RDS-managed secrets use ("JSON structure of AWS Secrets Manager secrets", AWS Secrets Manager
     * User Guide, https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html).
     * A value that starts with <code>{</code> is read as JSON. With the aws cloud's store, {@code name} may also be
     * a secret RDS manages for a master user ({@code rds!db-<uuid>}, {@code rds!cluster-<uuid>}; "Password
     * management with Amazon RDS and AWS Secrets Manager", Amazon RDS User Guide,
     * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html), read by that name, outside
     * the store's namespace.
     *
     * <p>Fails closed, each time with a {@link GeoException} that names the secret and never quotes its value: the
     * secret does not exist; it is JSON without a string {@code password}, or not valid JSON; the password is blank.
     *
     * @throws GeoException from the supplier, as above (no connection is then opened)
     */
    public static Supplier<String> fromSecret(SecretStore secrets, String name) {
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(name, "name");
        return () -> password(read(secrets, name), null, secrets, name);
    }

    /**
     * The credentials of database user {@code user} whose password is secret {@code name} of {@code secrets}, read
     * (as {@link #fromSecret(SecretStore, String)} reads it: {@code AWSCURRENT}, past the store's cache, a plain
     * value or JSON) for every new physical connection. Give it to a {@code DatabaseEndpoint} of geo-isolation
     * (application or administrator role) or a {@code DedicatedServer}: after Secrets Manager rotates the password,
     * the pool's next connection logs in with the new one; open connections carry on. A JSON secret whose
     * {@code "username"} is another user is refused (the SDK's pools log in as one fixed user). Its {@code toString}
     * names the user and the secret, never the password.
     *
     * @throws GeoValidationException if {@code user} is blank
     */
    public static DatabaseCredentials fromSecret(String user, SecretStore secrets, String name) {
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(name, "name");
        DatabaseCredentials credentials = DatabaseCredentials.of(user, () -> password(read(secrets, name), user,
                secrets, name));
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

    private static String read(SecretStore secrets, String name) {
        Optional<String> value;
        if (secrets instanceof SecretsManagerSecrets sm) {
            value = SecretsManagerSecrets.isRdsManaged(name) ? sm.getRdsManaged(name, "AWSCURRENT")
                    : sm.get(name, "AWSCURRENT");
        } else {
            value = secrets.get(name);
        }
        return value.orElseThrow(() -> new GeoException("The database password secret '" + name + "' does not"
                + " exist in " + secrets + ". Store it (SecretStore.put) before opening connections."));
    }

    /**
     * The password in a secret's {@code value}: the value itself, or the {@code password} of a JSON object (whose
     * {@code username}, when {@code user} is given and the object has one, must be {@code user}).
     */
    static String password(String value, String user, SecretStore secrets, String name) {
        String password = value;
        if (value.strip().startsWith("{")) {
            JsonNode json;
            try {
                json = JsonNode.parser().parse(value);
            } catch (RuntimeException e) {
                // Not the parser's message, nor the cause: either may quote the secret's text.
                throw new GeoException("The database password secret '" + name + "' in " + secrets + " starts with"
                        + " '{' but is not valid JSON. Store a JSON object with a \"password\" key (as Secrets"
                        + " Manager's rotation functions do), or a password that does not start with '{'.");
            }
            if (!json.isObject()) {
                throw new GeoException("The database password secret '" + name + "' in " + secrets + " is JSON but"
                        + " not an object; store {\"username\": ..., \"password\": ...} or the password alone.");
            }
            Map<String, JsonNode> fields = json.asObject();
            JsonNode username = fields.get("username");
            if (user != null && username != null && username.isString() && !username.asString().equals(user)) {
                throw new GeoException("The database password secret '" + name + "' in " + secrets + " is for user '"
                        + username.asString() + "', not '" + user + "': the SDK's pools log in as one fixed user"
                        + " (alternating-users rotation is not supported). Point the credentials at the secret of '"
                        + user + "'.");
            }
            JsonNode field = fields.get("password");
            if (field == null || !field.isString()) {
                throw new GeoException("The database password secret '" + name + "' in " + secrets + " is a JSON"
                        + " object without a string \"password\" key; store the password under \"password\".");
            }
            password = field.asString();
        }
        if (password.isBlank()) {
            throw new GeoException("The database password secret '" + name + "' in " + secrets + " holds a blank"
                    + " password; no connection is opened. Store the password.");
        }
        return password;
    }

    /** RDS IAM authentication tokens as passwords: the current token, made anew before it expires. */
    public static Supplier<String> fromRdsTokens(RdsAuthTokens tokens) {
        Objects.requireNonNull(tokens, "tokens");
        return tokens::token;
    }
}
