package com.enterprisehub.geo.spring.internal;

import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.isolation.IsolationException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Which of the protected tables already exist, with a {@code tenant_id} column, on every endpoint: those can be
 * protected as the data source is built (its self-check would refuse them unprotected), the others only once
 * the shared migration created them. Read with the administrator role. Not API.
 */
public final class ExistingTables {
    private ExistingTables() {
    }

    /** The tables of {@code tables} present with a {@code tenant_id} column on every endpoint. */
    public static List<String> presentEverywhere(List<DatabaseEndpoint> endpoints, List<String> tables) {
        List<String> present = new ArrayList<>(tables);
        for (DatabaseEndpoint endpoint : endpoints) {
            Properties login = new Properties();
            login.setProperty("user", endpoint.admin().user());
            login.setProperty("password", endpoint.admin().password());
            try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), login);
                    PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_attribute"
                            + " WHERE attrelid = to_regclass(?) AND attname = 'tenant_id' AND NOT attisdropped)")) {
                present.removeIf(table -> !exists(ps, table));
            } catch (SQLException e) {
                throw new IsolationException("Endpoint '" + endpoint.name() + "' cannot be reached as "
                        + endpoint.admin().user() + ": " + e.getMessage(), e);
            }
        }
        return present;
    }

    private static boolean exists(PreparedStatement ps, String table) {
        try {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IsolationException("Looking up table " + table + " failed: " + e.getMessage(), e);
        }
    }
}
