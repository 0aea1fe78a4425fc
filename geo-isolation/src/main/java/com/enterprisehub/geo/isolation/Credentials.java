package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;

/**
 * A PostgreSQL user name and a fixed password: the simple kind of {@link DatabaseCredentials}. For a password that
 * is rotated, or an RDS IAM token, give the endpoint a {@link DatabaseCredentials} that reads it for each new
 * connection instead ({@link DatabaseCredentials#of}, or a cloud provider's). {@link #toString()} never shows the
 * password.
 *
 * @param user the role name
 * @param password the password; never logged
 */
public record Credentials(String user, String password) implements DatabaseCredentials {
    public Credentials {
        if (user == null || user.isBlank()) {
            throw new GeoValidationException("Database credentials need a user name.");
        }
        if (password == null) {
            throw new GeoValidationException("Database credentials for '" + user + "' need a password (it may be"
                    + " empty for trust authentication).");
        }
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=****]";
    }
}
