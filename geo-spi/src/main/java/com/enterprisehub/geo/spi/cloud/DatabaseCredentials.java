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
 * password, and never show it in {@code toString}.
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
