package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsUtilities;

/**
 * Passwords for a database endpoint that uses RDS IAM database authentication: each is an authentication token the
 * SDK signs locally ({@code RdsUtilities.generateAuthenticationToken}, SigV4 for the service {@code rds-db}; no
 * request is sent, no password is stored). A token opens connections for 15 minutes ({@link #LIFETIME}; connections
 * opened with it stay open), and no longer than the credentials that signed it: temporary credentials (an assumed
 * role, a container or instance role) may expire sooner. Signing is local and cheap, so {@link #token()} signs a
 * fresh token on every call with the credentials the provider holds at that moment; nothing is cached. See "IAM
 * database authentication" in the Amazon RDS User Guide
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html).
 *
 * <pre>{@code
 * RdsAuthTokens tokens = RdsAuthTokens.builder().endpoint("db.example.eu-west-2.rds.amazonaws.com", 5432)
 *         .user("geo_app").region(DeploymentRegion.EUROPE, Region.EU_WEST_2).build();
 * Connection c = DriverManager.getConnection(url, "geo_app", tokens.token()); // with sslmode=verify-full
 * }</pre>
 *
 * <p>It is {@link DatabaseCredentials}: give it to a {@code DatabaseEndpoint} or {@code DedicatedServer} of
 * geo-isolation as a role's credentials, and each new physical connection of the SDK's pools logs in with a token
 * signed for it ({@link #password()}); borrows sign nothing. The endpoint's URL must verify the server
 * ({@code sslmode=verify-full}, with {@code sslrootcert} naming the RDS certificate bundle; see
 * {@link #requiresVerifiedTls()}): the endpoint refuses it otherwise.
 *
 * <p>Thread-safe. Tokens are never logged nor shown by {@code toString}. {@link #close()} closes the credentials
 * provider if this object built it (the SDK's default chain), never one it was given.
 */
public final class RdsAuthTokens implements DatabaseCredentials, AutoCloseable {
    /** How long RDS accepts a token for opening a connection. */
    public static final Duration LIFETIME = Duration.ofMinutes(15);

    private final String host;
    private final int port;
    private final String user;
    private final Region region;
    private final Clock clock;
    private final AwsCredentialsProvider credentials;
    private final boolean ownsCredentials;
    private final RdsUtilities utilities;
    private Instant expiresAt;

    private RdsAuthTokens(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.user = b.user;
        this.region = b.aws;
        this.clock = b.clock;
        this.credentials = b.credentials != null ? b.credentials
                : software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider.builder().build();
        this.ownsCredentials = b.credentials == null;
        this.utilities = RdsUtilities.builder().region(b.aws).credentialsProvider(credentials).build();
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A token signed now with the credentials the provider holds now (made on every call: nothing is cached).
     *
     * @throws GeoException if the credentials cannot be resolved
     */
    public String token() {
        String token;
        Instant expires;
        try {
            AwsCredentials now = credentials.resolveCredentials();
            token = utilities.generateAuthenticationToken(b -> b.hostname(host).port(port).username(user)
                    .credentialsProvider(StaticCredentialsProvider.create(now)));
            expires = clock.instant().plus(LIFETIME);
            Optional<Instant> credentialsExpire = now.expirationTime();
            if (credentialsExpire.isPresent() && credentialsExpire.get().isBefore(expires)) {
                expires = credentialsExpire.get();
            }
        } catch (SdkException e) {
            throw new GeoException("Making an RDS IAM authentication token for " + user + "@" + host + ":" + port
                    + " failed: " + e.getMessage() + ". Check the credentials provider (it must resolve"
                    + " credentials allowed rds-db:connect on this database user).", e);
        }
        synchronized (this) {
            expiresAt = expires;
        }
        return token;
    }

    /** The database user the tokens are for. */
    @Override
    public String user() {
        return user;
    }

    /**
     * A token signed now, the password of a connection about to be opened (the same as {@link #token()}).
     *
     * @throws GeoException if the credentials cannot be resolved (no connection is then opened)
     */
    @Override
    public String password() {
        return token();
    }

    /**
     * True: a token opens any connection of its user for 15 minutes, so it must not travel to a server that was not
     * verified. PostgreSQL's JDBC default ({@code sslmode=prefer}) neither requires TLS nor checks the server's
     * certificate; geo-isolation's {@code DatabaseEndpoint} and {@code DedicatedServer} therefore refuse a JDBC URL
     * without {@code sslmode=verify-full} (or {@code verify-ca}) for these credentials.
     */
    @Override
    public boolean requiresVerifiedTls() {
        return true;
    }

    /**
     * When the last token made stops being accepted for new connections (15 minutes after it was made, or sooner
     * when the credentials that signed it expire sooner); empty before the first {@link #token()}.
     */
    public synchronized Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** Closes the credentials provider if this object built it (the default chain); one it was given stays open. */
    @Override
    public void close() {
        if (ownsCredentials && credentials instanceof software.amazon.awssdk.utils.SdkAutoCloseable closeable) {
            closeable.close();
        }
    }

    /** The AWS region the tokens are signed for. */
    public Region region() {
        return region;
    }

    @Override
    public String toString() {
        return "RdsAuthTokens[" + user + "@" + host + ":" + port + ", " + region.id() + "]"; // never the token
    }

    /** Builds {@link RdsAuthTokens}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private String host;
        private int port;
        private String user;
        private Region aws;
        private AwsCredentialsProvider credentials;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The database endpoint's host name and port, as the client connects to it. */
        public Builder endpoint(String host, int port) {
            if (host == null || host.isBlank() || port < 1 || port > 65535) {
                throw new GeoValidationException("An RDS endpoint needs a host name and a port from 1 to 65535; got '"
                        + host + "' and " + port + ".");
            }
            this.host = host.strip();
            this.port = port;
            return this;
        }

        /** The database user (created with {@code GRANT rds_iam TO <user>} on PostgreSQL). */
        public Builder user(String user) {
            if (user == null || user.isBlank()) {
                throw new GeoValidationException("An RDS IAM token needs the database user name.");
            }
            this.user = user;
            return this;
        }

        /**
         * The deployment region of the database and the AWS region it runs in.
         *
         * @throws GeoValidationException if that AWS region is outside the deployment region's country
         */
        public Builder region(DeploymentRegion region, Region aws) {
            Objects.requireNonNull(region, "region");
            this.aws = AwsRegions.requirePermitted(region, Objects.requireNonNull(aws, "aws"), "The AWS region of an"
                    + " RDS database of " + region);
            return this;
        }

        /**
         * The credentials the tokens are signed with (default: the SDK's default chain, built by {@link #build()} and
         * closed by {@link RdsAuthTokens#close()}).
         */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** The clock of {@link RdsAuthTokens#expiresAt()} (default: the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The token source.
         *
         * @throws GeoValidationException if the endpoint, user or region is missing
         */
        public RdsAuthTokens build() {
            if (host == null || user == null || aws == null) {
                throw new GeoValidationException("RdsAuthTokens needs endpoint(host, port), user(name) and"
                        + " region(deployment region, AWS region).");
            }
            return new RdsAuthTokens(this);
        }
    }
}
