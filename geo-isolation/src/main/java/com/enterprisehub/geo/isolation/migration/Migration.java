package com.enterprisehub.geo.isolation.migration;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.crypto.Digests;
import java.nio.charset.StandardCharsets;

/**
 * One versioned schema change: SQL run once per schema, in version order, recorded with its checksum
 * so that a script edited after it ran is detected.
 *
 * @param version a positive number; versions of a set are unique
 * @param description what it does, for the history table
 * @param sql the statements; unqualified names resolve in the schema being migrated
 */
public record Migration(int version, String description, String sql) {
    public Migration {
        if (version < 1) {
            throw new GeoValidationException("A migration version is a positive number; got " + version + ".");
        }
        if (description == null || description.isBlank()) {
            throw new GeoValidationException("Migration " + version + " needs a description.");
        }
        if (sql == null || sql.isBlank()) {
            throw new GeoValidationException("Migration " + version + " has no SQL.");
        }
    }

    /** SHA-256 of the SQL, hex. */
    public String checksum() {
        return Digests.sha256Hex(sql.getBytes(StandardCharsets.UTF_8));
    }
}
