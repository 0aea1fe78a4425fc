package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.core.GeoValidationException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/** Identifier checks and small JDBC helpers. Not part of the API. */
public final class Sql {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private Sql() {
    }

    /** A quoted identifier; only lowercase unquoted-style names are accepted, so nothing needs escaping. */
    public static String quote(String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            throw new GeoValidationException("'" + identifier + "' is not accepted as a PostgreSQL identifier here:"
                    + " use 1 to 63 lowercase letters, digits and underscores, starting with a letter or underscore.");
        }
        return '"' + identifier + '"';
    }

    /** A quoted {@code schema.table}; a name without a schema is taken to be in {@code public}. */
    public static String quoteQualified(String qualified) {
        String[] parts = qualified == null ? new String[0] : qualified.split("\\.", -1);
        if (parts.length == 1) {
            return quote("public") + "." + quote(parts[0]);
        }
        if (parts.length == 2) {
            return quote(parts[0]) + "." + quote(parts[1]);
        }
        throw new GeoValidationException("A table is named 'table' or 'schema.table'; got '" + qualified + "'.");
    }

    public static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
