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

    /** Connections to the database of {@code jdbcUrl}, or to {@code database} on that server when not null. */
    SessionDataSource(String jdbcUrl, String database, String user, String password) {
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
        return new SessionConnection(pg.getConnection());
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
