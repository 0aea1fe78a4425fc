package com.enterprisehub.geo.isolation.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A statement of a {@link TenantBoundConnection}: before every execution it checks that the thread still
 * works for the connection's tenant, so a statement prepared before a tenant switch never runs silently
 * for the old tenant. Generated delegation; not part of the API.
 */
class GuardedStatement implements Statement {
    private final Statement statement;
    final TenantBoundConnection connection;

    GuardedStatement(Statement statement, TenantBoundConnection connection) {
        this.statement = statement;
        this.connection = connection;
    }

    final void guard() throws SQLException {
        connection.checkTenant();
    }

    /** The guard, for SQL given as text: also notes SQL that may change the session's settings. */
    final void guard(String sql) throws SQLException {
        connection.checkTenant();
        connection.beforeSql(sql);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("A tenant connection's statement does not unwrap to " + iface.getName() + ".");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public ResultSet executeQuery(String a0) throws SQLException {
        guard(a0);
        return GuardedResultSet.of(statement.executeQuery(a0), this);
    }

    @Override
    public int executeUpdate(String a0) throws SQLException {
        guard(a0);
        return statement.executeUpdate(a0);
    }

    @Override
    public void close() throws SQLException {
        statement.close();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        return statement.getMaxFieldSize();
    }

    @Override
    public void setMaxFieldSize(int a0) throws SQLException {
        statement.setMaxFieldSize(a0);
    }

    @Override
    public int getMaxRows() throws SQLException {
        return statement.getMaxRows();
    }

    @Override
    public void setMaxRows(int a0) throws SQLException {
        statement.setMaxRows(a0);
    }

    @Override
    public void setEscapeProcessing(boolean a0) throws SQLException {
        statement.setEscapeProcessing(a0);
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        return statement.getQueryTimeout();
    }

    @Override
    public void setQueryTimeout(int a0) throws SQLException {
        statement.setQueryTimeout(a0);
    }

    @Override
    public void cancel() throws SQLException {
        statement.cancel();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return statement.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        statement.clearWarnings();
    }

    @Override
    public void setCursorName(String a0) throws SQLException {
        statement.setCursorName(a0);
    }

    @Override
    public boolean execute(String a0) throws SQLException {
        guard(a0);
        return statement.execute(a0);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return GuardedResultSet.of(statement.getResultSet(), this);
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return statement.getUpdateCount();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return statement.getMoreResults();
    }

    @Override
    public void setFetchDirection(int a0) throws SQLException {
        statement.setFetchDirection(a0);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return statement.getFetchDirection();
    }

    @Override
    public void setFetchSize(int a0) throws SQLException {
        statement.setFetchSize(a0);
    }

    @Override
    public int getFetchSize() throws SQLException {
        return statement.getFetchSize();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        return statement.getResultSetConcurrency();
    }

    @Override
    public int getResultSetType() throws SQLException {
        return statement.getResultSetType();
    }

    @Override
    public void addBatch(String a0) throws SQLException {
        guard(a0); // batched SQL may change the session as much as executed SQL (it was not noted before)
        statement.addBatch(a0);
    }

    @Override
    public void clearBatch() throws SQLException {
        statement.clearBatch();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        guard();
        return statement.executeBatch();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection;
    }

    @Override
    public boolean getMoreResults(int a0) throws SQLException {
        return statement.getMoreResults(a0);
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        return GuardedResultSet.of(statement.getGeneratedKeys(), this);
    }

    @Override
    public int executeUpdate(String a0, int a1) throws SQLException {
        guard(a0);
        return statement.executeUpdate(a0, a1);
    }

    @Override
    public int executeUpdate(String a0, int[] a1) throws SQLException {
        guard(a0);
        return statement.executeUpdate(a0, a1);
    }

    @Override
    public int executeUpdate(String a0, String[] a1) throws SQLException {
        guard(a0);
        return statement.executeUpdate(a0, a1);
    }

    @Override
    public boolean execute(String a0, int a1) throws SQLException {
        guard(a0);
        return statement.execute(a0, a1);
    }

    @Override
    public boolean execute(String a0, int[] a1) throws SQLException {
        guard(a0);
        return statement.execute(a0, a1);
    }

    @Override
    public boolean execute(String a0, String[] a1) throws SQLException {
        guard(a0);
        return statement.execute(a0, a1);
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return statement.getResultSetHoldability();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return statement.isClosed();
    }

    @Override
    public void setPoolable(boolean a0) throws SQLException {
        statement.setPoolable(a0);
    }

    @Override
    public boolean isPoolable() throws SQLException {
        return statement.isPoolable();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        statement.closeOnCompletion();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        return statement.isCloseOnCompletion();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return statement.getLargeUpdateCount();
    }

    @Override
    public void setLargeMaxRows(long a0) throws SQLException {
        statement.setLargeMaxRows(a0);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return statement.getLargeMaxRows();
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        guard();
        return statement.executeLargeBatch();
    }

    @Override
    public long executeLargeUpdate(String a0) throws SQLException {
        guard(a0);
        return statement.executeLargeUpdate(a0);
    }

    @Override
    public long executeLargeUpdate(String a0, int a1) throws SQLException {
        guard(a0);
        return statement.executeLargeUpdate(a0, a1);
    }

    @Override
    public long executeLargeUpdate(String a0, int[] a1) throws SQLException {
        guard(a0);
        return statement.executeLargeUpdate(a0, a1);
    }

    @Override
    public long executeLargeUpdate(String a0, String[] a1) throws SQLException {
        guard(a0);
        return statement.executeLargeUpdate(a0, a1);
    }

    @Override
    public String enquoteLiteral(String a0) throws SQLException {
        return statement.enquoteLiteral(a0);
    }

    @Override
    public String enquoteIdentifier(String a0, boolean a1) throws SQLException {
        return statement.enquoteIdentifier(a0, a1);
    }

    @Override
    public boolean isSimpleIdentifier(String a0) throws SQLException {
        return statement.isSimpleIdentifier(a0);
    }

    @Override
    public String enquoteNCharLiteral(String a0) throws SQLException {
        return statement.enquoteNCharLiteral(a0);
    }
}
