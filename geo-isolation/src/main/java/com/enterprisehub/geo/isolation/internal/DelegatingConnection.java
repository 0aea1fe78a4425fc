package com.enterprisehub.geo.isolation.internal;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A {@link Connection} that hands every call to another one. Subclasses override what they guard;
 * {@link #beforeStatement()} runs before any statement is created, {@link #beforeSql(String)} before one is
 * prepared, and the statements the delegate creates pass through {@link #statement(Statement)},
 * {@link #prepared(PreparedStatement)} and {@link #call(CallableStatement)}. Not part of the API.
 */
abstract class DelegatingConnection implements Connection {
    protected final Connection delegate;

    DelegatingConnection(Connection delegate) {
        this.delegate = delegate;
    }

    /**
     * The connection calls go to: the delegate; a subclass may refuse (throw) once it is closed. Not used by
     * {@code setClientInfo}, whose signature allows no {@code SQLException}.
     */
    protected Connection target() throws SQLException {
        return delegate;
    }

    /** Called before a statement is created; throw to refuse. */
    protected void beforeStatement() throws SQLException {
    }

    /** Called with the SQL text of a statement about to be prepared, after {@link #beforeStatement()}. */
    protected void beforeSql(String sql) throws SQLException {
    }

    /** What the caller gets for a statement the delegate created; this one by default. */
    protected Statement statement(Statement created) throws SQLException {
        return created;
    }

    /** What the caller gets for a prepared statement the delegate created; this one by default. */
    protected PreparedStatement prepared(PreparedStatement created) throws SQLException {
        return created;
    }

    /** What the caller gets for a callable statement the delegate created; this one by default. */
    protected CallableStatement call(CallableStatement created) throws SQLException {
        return created;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : target().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target().isWrapperFor(iface);
    }

    @Override
    public Statement createStatement() throws SQLException {
        beforeStatement();
        return statement(target().createStatement());
    }

    @Override
    public PreparedStatement prepareStatement(String a0) throws SQLException {
        beforeStatement();
        beforeSql(a0);
        return prepared(target().prepareStatement(a0));
    }

    @Override
    public CallableStatement prepareCall(String a0) throws SQLException {
        beforeStatement();
        beforeSql(a0);
        return call(target().prepareCall(a0));
    }

    @Override
    public String nativeSQL(String a0) throws SQLException {
        return target().nativeSQL(a0);
    }

    @Override
    public void setAutoCommit(boolean a0) throws SQLException {
        target().setAutoCommit(a0);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return target().getAutoCommit();
    }

    @Override
    public void commit() throws SQLException {
        target().commit();
    }

    @Override
    public void rollback() throws SQLException {
        target().rollback();
    }

    @Override
    public void close() throws SQLException {
        target().close();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return target().isClosed();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return target().getMetaData();
    }

    @Override
    public void setReadOnly(boolean a0) throws SQLException {
        target().setReadOnly(a0);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return target().isReadOnly();
    }

    @Override
    public void setCatalog(String a0) throws SQLException {
        target().setCatalog(a0);
    }

    @Override
    public String getCatalog() throws SQLException {
        return target().getCatalog();
    }

    @Override
    public void setTransactionIsolation(int a0) throws SQLException {
        target().setTransactionIsolation(a0);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return target().getTransactionIsolation();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return target().getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        target().clearWarnings();
    }

    @Override
    public Statement createStatement(int a0, int a1) throws SQLException {
        beforeStatement();
        return statement(target().createStatement(a0, a1));
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1, int a2) throws SQLException {
        beforeStatement();
        beforeSql(a0);
        return prepared(target().prepareStatement(a0, a1, a2));
    }

    @Override
    public CallableStatement prepareCall(String a0, int a1, int a2) throws SQLException {
        beforeStatement();
        beforeSql(a0);
        return call(target().prepareCall(a0, a1, a2));
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return target().getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> a0) throws SQLException {
        target().setTypeMap(a0);
    }

    @Override
    public void setHoldability(int a0) throws SQLException {
        target().setHoldability(a0);
    }

    @Override
    public int getHoldability() throws SQLException {
        return target().getHoldability();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return target().setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String a0) throws SQLException {
        return target().setSavepoint(a0);
    }

    @Override
    public void rollback(Savepoint a0) throws SQLException {
        target().rollback(a0);
    }

    @Override
    public void releaseSavepoint(Savepoint a0) throws SQLException {
        target().releaseSavepoint(a0);
    }

    @Override
    public Statement createStatement(int a0, int a1, int a2) throws SQLException {
        beforeStatement();
        return statement(target().createStatement(a0, a1, a2));
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) throws SQLException {
        beforeStatement();
        beforeSql(a0);
        return prepared(target().prepareStatement(a0, a1, a2, a3));
    }

    @Override
    public CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws SQLException {
        beforeStatement();
        beforeSql(a0);
        return call(target().prepareCall(a0, a1, a2, a3));
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int a1) throws SQLException {
        beforeStatement();
        beforeSql(a0);
        return prepared(target().prepareStatement(a0, a1));
    }

    @Override
    public PreparedStatement prepareStatement(String a0, int[] a1) throws SQLException {
        beforeStatement();
        beforeSql(a0);
        return prepared(target().prepareStatement(a0, a1));
    }

    @Override
    public PreparedStatement prepareStatement(String a0, String[] a1) throws SQLException {
        beforeStatement();
        beforeSql(a0);
        return prepared(target().prepareStatement(a0, a1));
    }

    @Override
    public Clob createClob() throws SQLException {
        return target().createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return target().createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return target().createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return target().createSQLXML();
    }

    @Override
    public boolean isValid(int a0) throws SQLException {
        return target().isValid(a0);
    }

    @Override
    public void setClientInfo(String a0, String a1) throws SQLClientInfoException {
        delegate.setClientInfo(a0, a1);
    }

    @Override
    public void setClientInfo(Properties a0) throws SQLClientInfoException {
        delegate.setClientInfo(a0);
    }

    @Override
    public String getClientInfo(String a0) throws SQLException {
        return target().getClientInfo(a0);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return target().getClientInfo();
    }

    @Override
    public Array createArrayOf(String a0, Object[] a1) throws SQLException {
        return target().createArrayOf(a0, a1);
    }

    @Override
    public Struct createStruct(String a0, Object[] a1) throws SQLException {
        return target().createStruct(a0, a1);
    }

    @Override
    public void setSchema(String a0) throws SQLException {
        target().setSchema(a0);
    }

    @Override
    public String getSchema() throws SQLException {
        return target().getSchema();
    }

    @Override
    public void abort(Executor a0) throws SQLException {
        target().abort(a0);
    }

    @Override
    public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
        target().setNetworkTimeout(a0, a1);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return target().getNetworkTimeout();
    }

    @Override
    public void beginRequest() throws SQLException {
        target().beginRequest();
    }

    @Override
    public void endRequest() throws SQLException {
        target().endRequest();
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey a0, ShardingKey a1, int a2) throws SQLException {
        return target().setShardingKeyIfValid(a0, a1, a2);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey a0, int a1) throws SQLException {
        return target().setShardingKeyIfValid(a0, a1);
    }

    @Override
    public void setShardingKey(ShardingKey a0, ShardingKey a1) throws SQLException {
        target().setShardingKey(a0, a1);
    }

    @Override
    public void setShardingKey(ShardingKey a0) throws SQLException {
        target().setShardingKey(a0);
    }
}
