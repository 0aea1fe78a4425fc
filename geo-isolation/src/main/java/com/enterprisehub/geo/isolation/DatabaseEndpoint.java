package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server (one database on it) that tenants can be placed on, in a deployment region: BASIC
 * tenants' rows in its shared tables, ENHANCED tenants' schemas in its database, MAXIMUM tenants' databases
 * on its server.
 * Tenants of a market whose data-residency rule excludes the region are never placed on, nor routed
 * to, this endpoint.
 *
 * <p>Both roles log in with {@link DatabaseCredentials}: fixed ones ({@link Credentials}), or ones whose password is
 * read again for every new physical connection (a secret that is rotated, an RDS IAM token:
 * {@link DatabaseCredentials#of}, or a cloud provider's, such as geo-spi-aws's {@code DatabasePasswords.fromSecret}
 * and {@code RdsAuthTokens}). The application role's pool then asks for the password only when it opens a
 * connection, never per borrow; open connections carry on after a rotation, and the ones opened afterwards use the
 * new password. Administrator connections are opened per task, each with the password of that moment.
 *
 * <p>Construction fails with a {@link GeoValidationException} if the name or URL is invalid, either role's
 * credentials give no user name, or either role's credentials {@linkplain
 * DatabaseCredentials#requiresVerifiedTls() require a verified server} (RDS IAM tokens) and the URL has no {@code
 * sslmode=verify-full} (or {@code verify-ca}).
 *
 * @param name a short unique name ("us-east-shared")
 * @param region where the server runs
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database}, without user or password
 * @param admin a role that may create roles, schemas, databases and policies (used for provisioning and
 *     offboarding only); a superuser or BYPASSRLS role if you export tenants
 * @param app the application's login role: not a superuser, no BYPASSRLS, no TEMP privilege, no
 *     CREATE on any schema, member of no role (the start-up self-check refuses it otherwise)
 */
public record DatabaseEndpoint(String name, DeploymentRegion region, String jdbcUrl, DatabaseCredentials admin,
        DatabaseCredentials app) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public DatabaseEndpoint {
        validate(name, jdbcUrl);
        Objects.requireNonNull(region, "region");
        validate(name, jdbcUrl, Objects.requireNonNull(admin, "admin"), "administrator");
        validate(name, jdbcUrl, Objects.requireNonNull(app, "app"), "application");
        if (app.user().equals(admin.user())) {
            throw new GeoValidationException("Endpoint '" + name + "': the application role must not be the"
                    + " administrator role '" + admin.user() + "'.");
        }
    }

    /**
     * An endpoint with fixed passwords. The same as the canonical constructor; kept so that code compiled against
     * 0.1's {@code DatabaseEndpoint(String, DeploymentRegion, String, Credentials, Credentials)} runs unchanged.
     */
    public DatabaseEndpoint(String name, DeploymentRegion region, String jdbcUrl, Credentials admin, Credentials app) {
        this(name, region, jdbcUrl, (DatabaseCredentials) admin, (DatabaseCredentials) app);
    }

    /**
     * Checks the credentials of a role ({@code what}: "administrator", "application") of an endpoint or dedicated
     * server: a user name, and a JDBC URL that verifies the server's certificate when the credentials require it.
     */
    static void validate(String name, String jdbcUrl, DatabaseCredentials credentials, String what) {
        String user = credentials.user();
        if (user == null || user.isBlank()) {
            throw new GeoValidationException("Endpoint '" + name + "': the " + what + " role's credentials ("
                    + credentials.getClass().getName() + ") give no user name; user() must return the role's name.");
        }
        if (credentials.requiresVerifiedTls() && !verifiesServer(jdbcUrl)) {
            throw new GeoValidationException("Endpoint '" + name + "': the " + what + " role " + user + " logs in"
                    + " with credentials that must not travel without a verified server (" + credentials
                    + "), but the JDBC URL does not verify the server's TLS certificate. Add sslmode=verify-full to the"
                    + " URL (?sslmode=verify-full, with sslrootcert=<the server's CA bundle> unless the CA is in"
                    + " ~/.postgresql/root.crt), and no sslfactory=...NonValidatingFactory.");
        }
    }

    /**
     * Whether pgjdbc connects to {@code jdbcUrl} only over TLS with the server's certificate checked: an
     * {@code sslmode} of {@code verify-full} or {@code verify-ca} (every one the URL gives), and no
     * {@code NonValidatingFactory}.
     */
    static boolean verifiesServer(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return false;
        }
        boolean verified = false;
        for (String parameter : jdbcUrl.substring(query + 1).split("&")) {
            int eq = parameter.indexOf('=');
            String key = (eq < 0 ? parameter : parameter.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : parameter.substring(eq + 1).strip();
            if (key.equals("sslmode")) {
                if (!value.equals("verify-full") && !value.equals("verify-ca")) {
                    return false;
                }
                verified = true;
            } else if (key.equals("sslfactory") && value.contains("NonValidatingFactory")) {
                return false;
            }
        }
        return verified;
    }

    /** Checks an endpoint or dedicated server's name and URL. */
    static void validate(String name, String jdbcUrl) {
        if (name == null || name.length() > 40 || !NAME.matcher(name).matches()) {
            throw new GeoValidationException("An endpoint name is up to 40 lowercase letters, digits and single"
                    + " hyphens, starting with a letter; got '" + name + "'.");
        }
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new GeoValidationException("Endpoint '" + name + "' needs a jdbc:postgresql:// URL.");
        }
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        if (lower.contains("password=") || lower.contains("user=")) {
            throw new GeoValidationException("Endpoint '" + name + "': put the user and password in Credentials"
                    + " (or DatabaseCredentials),"
                    + " not in the JDBC URL (URLs end up in logs).");
        }
    }
}
