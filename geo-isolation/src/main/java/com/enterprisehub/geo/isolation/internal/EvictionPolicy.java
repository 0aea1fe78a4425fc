package com.enterprisehub.geo.isolation.internal;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Which errors discard a pooled connection. HikariCP discards one on every SQLSTATE 0A000 ("feature not
 * supported"), which PostgreSQL also raises for SQL that merely names another database
 * ({@code other_db.public.t}): left as is, any borrower could force a reconnection (a new session, a SCRAM
 * handshake) per statement. Here 0A000 keeps the connection, except "cached plan must not change result
 * type", after which the driver's prepared statements are stale. Everything else is HikariCP's default.
 * Not part of the API.
 */
final class EvictionPolicy implements SQLExceptionOverride {
    static final EvictionPolicy INSTANCE = new EvictionPolicy();

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        if ("0A000".equals(e.getSQLState()) && (e.getMessage() == null
                || !e.getMessage().contains("cached plan must not change result type"))) {
            return Override.DO_NOT_EVICT;
        }
        return Override.CONTINUE_EVICT;
    }
}
