package com.enterprisehub.geo.spi.cloud;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a database role logs in: a fixed user name, and a password asked for again each time a new physical connection
 * is opened. A pool given one asks for the password when it opens a connection (to fill itself, to replace one that
 * reached its lifetime or broke), never when a connection is borrowed; open connections, and the work on them, are
 * not touched. So a password rotated in a secret store, or a short-lived token (RDS IAM authentication), reaches the
 * next connection without restarting or dropping the pool.
 *
 * <p>The user name never changes: the SDK names the role in grants and row-level security policies. (A rotation that
 * alternates between two users is therefore not supported; rotate the password of one user.)
 *
 * <p>geo-isolation's {@code Credentials} is the fixed kind (a user and a password given once); {@link #of} makes one
 * from a password supplier, and cloud providers offer others (geo-spi-aws: {@code DatabasePasswords.fromSecret},
 * {@code RdsAuthTokens}).
 *
 * <p>Implementations are thread-safe ({@link #password()} may be called by several threads at once), never log a
 * password, and never show it in {@code toString}. The exceptions {@link #password()} throws (and those of a
 * supplier given to {@link #of}) must not carry secret material in their messages, nor in their causes' messages: a
 * pool that fails to open a connection logs the exception chain with its messages (HikariCP logs the failure with
 * its causes, which hold the source's exception), although the SDK's own messages name only the source exception's
 * class. A source that parses a secret (JSON, for example) should throw its own exception saying what is wrong
 * ("no password key"), never one quoting the text it parsed.
 */
public interface DatabaseCredentials {

    /** The role's name; the same on every call. */
    String user();

    /**
     * The password for a connection about to be opened. It may read a secret store or sign a token (a network call
     * is acceptable: connections are opened rarely), and must not return {@code null}.
     *
     * @throws GeoException if no password can be had now (the connection is then not opened: fail closed)
     */
    String password();

    /**
     * Whether connections logging in with these credentials must verify the server's TLS certificate (the JDBC URL
     * then needs {@code sslmode=verify-full}, or {@code verify-ca}). True for a password that is worth intercepting
     * on its own, such as an RDS IAM token (valid for 15 minutes for any connection of its user): PostgreSQL's
     * default {@code sslmode=prefer} neither requires TLS nor checks the server, so a machine in the middle could
     * read it. geo-isolation's endpoints refuse a URL without verification for such credentials.
     *
     * @return false unless the implementation says so
     */
    default boolean requiresVerifiedTls() {
        return false;
    }

    /**
     * Credentials of {@code user} whose password is read from {@code passwords} for each new connection. Its
     * {@code toString} names the user only.
     *
     * @param user the role's name
     * @param passwords thread-safe; called once per new physical connection
     * @throws GeoValidationException if {@code user} is blank
     */
    static DatabaseCredentials of(String user, Supplier<String> passwords) {
        if (user == null || user.isBlank()) {
            throw new GeoValidationException("Database credentials need a user name.");
        }
        Objects.requireNonNull(passwords, "passwords");
        return new DatabaseCredentials() {
            @Override
            public String user() {
                return user;
            }

            @Override
            public String password() {
                String password = passwords.get();
                if (password == null) {
                    throw new GeoException("The password source of database user '" + user + "' gave no password;"
                            + " no connection is opened. Check the secret or token it reads.");
                }
                return password;
            }

            @Override
            public String toString() {
                return "DatabaseCredentials[user=" + user + ", password=(read per connection)]";
            }
        };
    }
}
