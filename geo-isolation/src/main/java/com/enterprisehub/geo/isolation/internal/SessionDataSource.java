package com.enterprisehub.geo.isolation.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the pool draws physical connections from: plain pgjdbc connections, each wrapped in a
 * {@link SessionConnection} that remembers its session's binding. Not part of the API.
 */
final class SessionDataSource implements DataSource {
    private final PGSimpleDataSource pg = new PGSimpleDataSource();
    /** Checks each new session of the shared application role; null for a tenant's own database. */
    private final LoginGuard guard;

    /**
     * What a borrower can do to the one application role every tenant's sessions log in as, and the next login
     * meets: role-level settings ({@code ALTER ROLE CURRENT_USER SET default_transaction_read_only = on} made
     * every later session of every tenant read-only), and a changed password (every later login refused).
     */
    interface LoginGuard {
        /** Removes the role's own settings through the administrator; whether there were any. */
        boolean resetRoleSettings() throws SQLException;

        /** Told that the server refused the role's password. */
        void passwordRefused(SQLException refused);
    }

    /** Connections to the database of {@code jdbcUrl}, or to {@code database} on that server when not null. */
    SessionDataSource(String jdbcUrl, String database, String user, String password) {
        this(jdbcUrl, database, user, password, null);
    }

    /** As above, each new session checked by {@code guard}. */
    SessionDataSource(String jdbcUrl, String database, String user, String password, LoginGuard guard) {
        this.guard = guard;
        pg.setUrl(jdbcUrl);
        if (database != null) {
            pg.setDatabaseName(database);
        }
        pg.setUser(user);
        pg.setPassword(password);
        // Binding values travel as parameters, never as literals other sessions could read in
        // pg_stat_activity, whatever the URL says.
        pg.setPreferQueryMode(org.postgresql.jdbc.PreferQueryMode.EXTENDED);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (guard == null) {
            return new SessionConnection(pg.getConnection());
        }
        Connection physical;
        try {
            physical = pg.getConnection();
        } catch (SQLException e) {
            String state = String.valueOf(e.getSQLState());
            if ("28P01".equals(state)) {
                guard.passwordRefused(e);
                throw e;
            }
            // The server is down, full or starting: nothing a role setting causes, and no repair to try.
            if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
                throw e;
            }
            // A role setting can make the login itself fail (default_transaction_read_only = on fails the control
            // plane's login trigger): repair the role if that is the cause, and log in once more. Once more even
            // when no setting is left to remove: another login that failed on the same setting at the same moment
            // (the pool's background filler, the self-check) may have removed it first.
            try {
                guard.resetRoleSettings();
            } catch (SQLException | RuntimeException repair) {
                e.addSuppressed(repair);
                throw e;
            }
            try {
                physical = pg.getConnection();
            } catch (SQLException again) {
                e.addSuppressed(again);
                throw e;
            }
        }
        try {
            if (hasRoleSettings(physical)) {
                // This session already started with them: repair the role, then log in again.
                physical.close();
                guard.resetRoleSettings();
                physical = pg.getConnection();
            }
            return new SessionConnection(physical);
        } catch (SQLException | RuntimeException e) {
            physical.close();
            throw e;
        }
    }

    /** Whether the role this session logged in as has settings of its own (everywhere, or in this database). */
    static boolean hasRoleSettings(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT EXISTS"
                + " (SELECT 1 FROM pg_catalog.pg_db_role_setting d WHERE d.setrole = (SELECT r.oid FROM"
                + " pg_catalog.pg_roles r WHERE r.rolname = session_user) AND d.setdatabase IN (0, (SELECT b.oid FROM"
                + " pg_catalog.pg_database b WHERE b.datname = pg_catalog.current_database())))")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("Connections of a tenant pool use the endpoint's credentials.");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
        pg.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return pg.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("Not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
