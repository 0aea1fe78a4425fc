package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.GeoValidationException;

/**
 * A PostgreSQL user name and password. {@link #toString()} never shows the password.
 *
 * @param user the role name
 * @param password the password; never logged
 */
public record Credentials(String user, String password) {
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
