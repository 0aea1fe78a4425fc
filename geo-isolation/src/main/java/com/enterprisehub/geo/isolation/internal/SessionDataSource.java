package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the pool draws physical connections from: plain pgjdbc connections, each wrapped in a
 * {@link SessionConnection} that remembers its session's binding. Each physical connection logs in with the password
 * its {@link DatabaseCredentials} give at that moment (the pool's borrows ask for none). Not part of the API.
 */
final class SessionDataSource implements DataSource {
    private final PGSimpleDataSource pg = new PGSimpleDataSource();
    /** Checks each new session of the shared application role; null for a tenant's own database. */
    private final LoginGuard guard;
    /** The login; its password is asked for once per physical connection. */
    private final DatabaseCredentials credentials;
    /** What messages name as the connections' source ("endpoint 'eu'"), never the JDBC URL. */
    private final String source;

    /**
     * What a borrower can do to the one application role every tenant's sessions log in as, and the next login
     * meets: role-level settings ({@code ALTER ROLE CURRENT_USER SET default_transaction_read_only = on} made
     * every later session of every tenant read-only), and a changed password (every later login refused).
     */
    interface LoginGuard {
        /** Removes the role's own settings through the administrator; whether there were any. */
        boolean resetRoleSettings() throws SQLException;

        /**
         * Told that the server refused the role's login: any SQLSTATE of class 28 (invalid authorization: a wrong
         * password, 28P01; a role that may not log in, an RDS IAM token refused, a {@code pg_hba.conf} reject, 28000).
         */
        void passwordRefused(SQLException refused);
    }

    /** Connections to the database of {@code jdbcUrl}, or to {@code database} on that server when not null. */
    SessionDataSource(String jdbcUrl, String database, String user, String password) {
        this(jdbcUrl, database, user, password, null);
    }

    /** As above, each new session checked by {@code guard}. */
    SessionDataSource(String jdbcUrl, String database, String user, String password, LoginGuard guard) {
        this(jdbcUrl, database, new FixedLogin(user, password), guard);
    }

    /**
     * As above, logging in with {@code credentials}, whose password is asked for again for each new physical
     * connection (a rotated password reaches the next one), each new session checked by {@code guard}.
     */
    SessionDataSource(String jdbcUrl, String database, DatabaseCredentials credentials, LoginGuard guard) {
        this(jdbcUrl, database, credentials, guard, "the pool of database user '" + credentials.user() + "'");
    }

    /** As above; messages name {@code source} ("endpoint 'eu'") as where the connections go. */
    SessionDataSource(String jdbcUrl, String database, DatabaseCredentials credentials, LoginGuard guard,
            String source) {
        this.guard = guard;
        this.credentials = credentials;
        this.source = source;
        pg.setUrl(jdbcUrl);
        if (database != null) {
            pg.setDatabaseName(database);
        }
        // Binding values travel as parameters, never as literals other sessions could read in
        // pg_stat_activity, whatever the URL says.
        pg.setPreferQueryMode(org.postgresql.jdbc.PreferQueryMode.EXTENDED);
    }

    /** A user and password given once (a tenant database's derived password). */
    private record FixedLogin(String user, String password) implements DatabaseCredentials {
        @Override
        public String toString() {
            return "FixedLogin[user=" + user + ", password=****]";
        }
    }

    /**
     * The password {@code credentials} give now, for a connection about to be opened by {@code source} (an endpoint's
     * name, for messages). A source that has none fails the connection (SQLSTATE 08001). The message names the
     * source's exception class only, never its message (a host's source may have put secret text in it, and the
     * message would reach HikariCP's logs); the exception stays the cause.
     */
    static String password(DatabaseCredentials credentials, String source) throws SQLException {
        String password;
        try {
            password = credentials.password();
        } catch (RuntimeException e) {
            throw new SQLException("No password for database user '" + credentials.user() + "' of " + source + ": its"
                    + " credentials source failed with " + e.getClass().getName() + " (the cause). No connection was"
                    + " opened; fix the credentials source (the secret, the token signer) and connections open again.",
                    "08001", e);
        }
        if (password == null) {
            throw new SQLException("The credentials source of database user '" + credentials.user() + "' of " + source
                    + " gave no password; no connection was opened.", "08001");
        }
        return password;
    }

    /** A physical connection with the password of this moment. */
    private Connection login() throws SQLException {
        return pg.getConnection(credentials.user(), password(credentials, source));
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (guard == null) {
            return new SessionConnection(login());
        }
        Connection physical;
        try {
            physical = login();
        } catch (SQLException e) {
            String state = String.valueOf(e.getSQLState());
            // Class 28, invalid authorization: a wrong password (28P01), and with 28000 a role without LOGIN, an RDS
            // IAM token refused ("PAM authentication failed"), a pg_hba.conf reject. No role setting causes these (a
            // setting takes effect after authentication), so no repair and no second login.
            if (state.startsWith("28")) {
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
                physical = login();
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
                physical = login();
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
