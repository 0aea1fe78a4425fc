package com.enterprisehub.geo.isolation.internal;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
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
 * A result set of a {@link TenantBoundConnection}: {@link #getStatement()} is the tenant connection's statement
 * (whose connection is the tenant connection), and it does not unwrap to the driver's class, whose statement
 * leads to the driver's connection: that one outlives the borrow and serves other tenants next. A cursor
 * read as a value ({@code getObject} of a {@code refcursor}) comes back wrapped the same way. Everything else
 * is handed to the driver's result set. Generated delegation; not part of the API.
 */
final class GuardedResultSet implements ResultSet {
    private final ResultSet resultSet;
    private final Statement statement;

    /**
     * @param statement what {@link #getStatement()} answers: the guarded statement that produced the rows, or
     *     {@code null} for metadata result sets (as JDBC specifies)
     */
    private GuardedResultSet(ResultSet resultSet, Statement statement) {
        this.resultSet = resultSet;
        this.statement = statement;
    }

    /** {@code resultSet} wrapped, or {@code null} if it is {@code null}. */
    static ResultSet of(ResultSet resultSet, Statement statement) {
        return resultSet == null ? null : new GuardedResultSet(resultSet, statement);
    }

    /**
     * {@code value}, wrapped if it is a driver's result set (a cursor read as a value) or array. Asked for as a driver
     * class ({@code getObject(1, PgResultSet.class)}), the caller's cast fails: the driver's result set is
     * never handed out.
     */
    @SuppressWarnings("unchecked")
    static <T> T cursor(T value, Statement statement) {
        if (value instanceof ResultSet cursor && !(value instanceof GuardedResultSet)) {
            return (T) new GuardedResultSet(cursor, statement);
        }
        if (value instanceof Array array) {
            return (T) GuardedArray.of(array);
        }
        return value;
    }

    private <T> T guarded(T value) {
        return cursor(value, statement);
    }

    @Override
    public Statement getStatement() {
        return statement;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("A tenant connection's result set does not unwrap to " + iface.getName() + ": the"
                + " driver's connection behind it serves other tenants after this one is returned.",
                TenantBoundConnection.SQLSTATE_WRONG_TENANT);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public boolean absolute(int a0) throws SQLException {
        return resultSet.absolute(a0);
    }

    @Override
    public void afterLast() throws SQLException {
        resultSet.afterLast();
    }

    @Override
    public void beforeFirst() throws SQLException {
        resultSet.beforeFirst();
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        resultSet.cancelRowUpdates();
    }

    @Override
    public void clearWarnings() throws SQLException {
        resultSet.clearWarnings();
    }

    @Override
    public void close() throws SQLException {
        resultSet.close();
    }

    @Override
    public void deleteRow() throws SQLException {
        resultSet.deleteRow();
    }

    @Override
    public int findColumn(String a0) throws SQLException {
        return resultSet.findColumn(a0);
    }

    @Override
    public boolean first() throws SQLException {
        return resultSet.first();
    }

    @Override
    public Array getArray(String a0) throws SQLException {
        return GuardedArray.of(resultSet.getArray(a0));
    }

    @Override
    public Array getArray(int a0) throws SQLException {
        return GuardedArray.of(resultSet.getArray(a0));
    }

    @Override
    public InputStream getAsciiStream(String a0) throws SQLException {
        return resultSet.getAsciiStream(a0);
    }

    @Override
    public InputStream getAsciiStream(int a0) throws SQLException {
        return resultSet.getAsciiStream(a0);
    }

    @Override
    public BigDecimal getBigDecimal(String a0, int a1) throws SQLException {
        return resultSet.getBigDecimal(a0, a1);
    }

    @Override
    public BigDecimal getBigDecimal(String a0) throws SQLException {
        return resultSet.getBigDecimal(a0);
    }

    @Override
    public BigDecimal getBigDecimal(int a0, int a1) throws SQLException {
        return resultSet.getBigDecimal(a0, a1);
    }

    @Override
    public BigDecimal getBigDecimal(int a0) throws SQLException {
        return resultSet.getBigDecimal(a0);
    }

    @Override
    public InputStream getBinaryStream(String a0) throws SQLException {
        return resultSet.getBinaryStream(a0);
    }

    @Override
    public InputStream getBinaryStream(int a0) throws SQLException {
        return resultSet.getBinaryStream(a0);
    }

    @Override
    public Blob getBlob(String a0) throws SQLException {
        return resultSet.getBlob(a0);
    }

    @Override
    public Blob getBlob(int a0) throws SQLException {
        return resultSet.getBlob(a0);
    }

    @Override
    public boolean getBoolean(String a0) throws SQLException {
        return resultSet.getBoolean(a0);
    }

    @Override
    public boolean getBoolean(int a0) throws SQLException {
        return resultSet.getBoolean(a0);
    }

    @Override
    public byte getByte(String a0) throws SQLException {
        return resultSet.getByte(a0);
    }

    @Override
    public byte getByte(int a0) throws SQLException {
        return resultSet.getByte(a0);
    }

    @Override
    public byte[] getBytes(String a0) throws SQLException {
        return resultSet.getBytes(a0);
    }

    @Override
    public byte[] getBytes(int a0) throws SQLException {
        return resultSet.getBytes(a0);
    }

    @Override
    public Reader getCharacterStream(String a0) throws SQLException {
        return resultSet.getCharacterStream(a0);
    }

    @Override
    public Reader getCharacterStream(int a0) throws SQLException {
        return resultSet.getCharacterStream(a0);
    }

    @Override
    public Clob getClob(String a0) throws SQLException {
        return resultSet.getClob(a0);
    }

    @Override
    public Clob getClob(int a0) throws SQLException {
        return resultSet.getClob(a0);
    }

    @Override
    public int getConcurrency() throws SQLException {
        return resultSet.getConcurrency();
    }

    @Override
    public String getCursorName() throws SQLException {
        return resultSet.getCursorName();
    }

    @Override
    public Date getDate(String a0, Calendar a1) throws SQLException {
        return resultSet.getDate(a0, a1);
    }

    @Override
    public Date getDate(String a0) throws SQLException {
        return resultSet.getDate(a0);
    }

    @Override
    public Date getDate(int a0, Calendar a1) throws SQLException {
        return resultSet.getDate(a0, a1);
    }

    @Override
    public Date getDate(int a0) throws SQLException {
        return resultSet.getDate(a0);
    }

    @Override
    public double getDouble(String a0) throws SQLException {
        return resultSet.getDouble(a0);
    }

    @Override
    public double getDouble(int a0) throws SQLException {
        return resultSet.getDouble(a0);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return resultSet.getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return resultSet.getFetchSize();
    }

    @Override
    public float getFloat(String a0) throws SQLException {
        return resultSet.getFloat(a0);
    }

    @Override
    public float getFloat(int a0) throws SQLException {
        return resultSet.getFloat(a0);
    }

    @Override
    public int getHoldability() throws SQLException {
        return resultSet.getHoldability();
    }

    @Override
    public int getInt(String a0) throws SQLException {
        return resultSet.getInt(a0);
    }

    @Override
    public int getInt(int a0) throws SQLException {
        return resultSet.getInt(a0);
    }

    @Override
    public long getLong(String a0) throws SQLException {
        return resultSet.getLong(a0);
    }

    @Override
    public long getLong(int a0) throws SQLException {
        return resultSet.getLong(a0);
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return resultSet.getMetaData();
    }

    @Override
    public Reader getNCharacterStream(String a0) throws SQLException {
        return resultSet.getNCharacterStream(a0);
    }

    @Override
    public Reader getNCharacterStream(int a0) throws SQLException {
        return resultSet.getNCharacterStream(a0);
    }

    @Override
    public NClob getNClob(String a0) throws SQLException {
        return resultSet.getNClob(a0);
    }

    @Override
    public NClob getNClob(int a0) throws SQLException {
        return resultSet.getNClob(a0);
    }

    @Override
    public String getNString(String a0) throws SQLException {
        return resultSet.getNString(a0);
    }

    @Override
    public String getNString(int a0) throws SQLException {
        return resultSet.getNString(a0);
    }

    @Override
    public <T> T getObject(String a0, Class<T> a1) throws SQLException {
        return guarded(resultSet.getObject(a0, a1));
    }

    @Override
    public Object getObject(String a0, Map<String, Class<?>> a1) throws SQLException {
        return guarded(resultSet.getObject(a0, a1));
    }

    @Override
    public Object getObject(String a0) throws SQLException {
        return guarded(resultSet.getObject(a0));
    }

    @Override
    public <T> T getObject(int a0, Class<T> a1) throws SQLException {
        return guarded(resultSet.getObject(a0, a1));
    }

    @Override
    public Object getObject(int a0, Map<String, Class<?>> a1) throws SQLException {
        return guarded(resultSet.getObject(a0, a1));
    }

    @Override
    public Object getObject(int a0) throws SQLException {
        return guarded(resultSet.getObject(a0));
    }

    @Override
    public Ref getRef(String a0) throws SQLException {
        return resultSet.getRef(a0);
    }

    @Override
    public Ref getRef(int a0) throws SQLException {
        return resultSet.getRef(a0);
    }

    @Override
    public int getRow() throws SQLException {
        return resultSet.getRow();
    }

    @Override
    public RowId getRowId(String a0) throws SQLException {
        return resultSet.getRowId(a0);
    }

    @Override
    public RowId getRowId(int a0) throws SQLException {
        return resultSet.getRowId(a0);
    }

    @Override
    public SQLXML getSQLXML(String a0) throws SQLException {
        return resultSet.getSQLXML(a0);
    }

    @Override
    public SQLXML getSQLXML(int a0) throws SQLException {
        return resultSet.getSQLXML(a0);
    }

    @Override
    public short getShort(String a0) throws SQLException {
        return resultSet.getShort(a0);
    }

    @Override
    public short getShort(int a0) throws SQLException {
        return resultSet.getShort(a0);
    }

    @Override
    public String getString(String a0) throws SQLException {
        return resultSet.getString(a0);
    }

    @Override
    public String getString(int a0) throws SQLException {
        return resultSet.getString(a0);
    }

    @Override
    public Time getTime(String a0, Calendar a1) throws SQLException {
        return resultSet.getTime(a0, a1);
    }

    @Override
    public Time getTime(String a0) throws SQLException {
        return resultSet.getTime(a0);
    }

    @Override
    public Time getTime(int a0, Calendar a1) throws SQLException {
        return resultSet.getTime(a0, a1);
    }

    @Override
    public Time getTime(int a0) throws SQLException {
        return resultSet.getTime(a0);
    }

    @Override
    public Timestamp getTimestamp(String a0, Calendar a1) throws SQLException {
        return resultSet.getTimestamp(a0, a1);
    }

    @Override
    public Timestamp getTimestamp(String a0) throws SQLException {
        return resultSet.getTimestamp(a0);
    }

    @Override
    public Timestamp getTimestamp(int a0, Calendar a1) throws SQLException {
        return resultSet.getTimestamp(a0, a1);
    }

    @Override
    public Timestamp getTimestamp(int a0) throws SQLException {
        return resultSet.getTimestamp(a0);
    }

    @Override
    public int getType() throws SQLException {
        return resultSet.getType();
    }

    @Override
    public URL getURL(String a0) throws SQLException {
        return resultSet.getURL(a0);
    }

    @Override
    public URL getURL(int a0) throws SQLException {
        return resultSet.getURL(a0);
    }

    @Override
    public InputStream getUnicodeStream(String a0) throws SQLException {
        return resultSet.getUnicodeStream(a0);
    }

    @Override
    public InputStream getUnicodeStream(int a0) throws SQLException {
        return resultSet.getUnicodeStream(a0);
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return resultSet.getWarnings();
    }

    @Override
    public void insertRow() throws SQLException {
        resultSet.insertRow();
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        return resultSet.isAfterLast();
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        return resultSet.isBeforeFirst();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return resultSet.isClosed();
    }

    @Override
    public boolean isFirst() throws SQLException {
        return resultSet.isFirst();
    }

    @Override
    public boolean isLast() throws SQLException {
        return resultSet.isLast();
    }

    @Override
    public boolean last() throws SQLException {
        return resultSet.last();
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        resultSet.moveToCurrentRow();
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        resultSet.moveToInsertRow();
    }

    @Override
    public boolean next() throws SQLException {
        return resultSet.next();
    }

    @Override
    public boolean previous() throws SQLException {
        return resultSet.previous();
    }

    @Override
    public void refreshRow() throws SQLException {
        resultSet.refreshRow();
    }

    @Override
    public boolean relative(int a0) throws SQLException {
        return resultSet.relative(a0);
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        return resultSet.rowDeleted();
    }

    @Override
    public boolean rowInserted() throws SQLException {
        return resultSet.rowInserted();
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        return resultSet.rowUpdated();
    }

    @Override
    public void setFetchDirection(int a0) throws SQLException {
        resultSet.setFetchDirection(a0);
    }

    @Override
    public void setFetchSize(int a0) throws SQLException {
        resultSet.setFetchSize(a0);
    }

    @Override
    public void updateArray(String a0, Array a1) throws SQLException {
        resultSet.updateArray(a0, GuardedArray.driver(a1));
    }

    @Override
    public void updateArray(int a0, Array a1) throws SQLException {
        resultSet.updateArray(a0, GuardedArray.driver(a1));
    }

    @Override
    public void updateAsciiStream(String a0, InputStream a1, int a2) throws SQLException {
        resultSet.updateAsciiStream(a0, a1, a2);
    }

    @Override
    public void updateAsciiStream(String a0, InputStream a1, long a2) throws SQLException {
        resultSet.updateAsciiStream(a0, a1, a2);
    }

    @Override
    public void updateAsciiStream(String a0, InputStream a1) throws SQLException {
        resultSet.updateAsciiStream(a0, a1);
    }

    @Override
    public void updateAsciiStream(int a0, InputStream a1, int a2) throws SQLException {
        resultSet.updateAsciiStream(a0, a1, a2);
    }

    @Override
    public void updateAsciiStream(int a0, InputStream a1, long a2) throws SQLException {
        resultSet.updateAsciiStream(a0, a1, a2);
    }

    @Override
    public void updateAsciiStream(int a0, InputStream a1) throws SQLException {
        resultSet.updateAsciiStream(a0, a1);
    }

    @Override
    public void updateBigDecimal(String a0, BigDecimal a1) throws SQLException {
        resultSet.updateBigDecimal(a0, a1);
    }

    @Override
    public void updateBigDecimal(int a0, BigDecimal a1) throws SQLException {
        resultSet.updateBigDecimal(a0, a1);
    }

    @Override
    public void updateBinaryStream(String a0, InputStream a1, int a2) throws SQLException {
        resultSet.updateBinaryStream(a0, a1, a2);
    }

    @Override
    public void updateBinaryStream(String a0, InputStream a1, long a2) throws SQLException {
        resultSet.updateBinaryStream(a0, a1, a2);
    }

    @Override
    public void updateBinaryStream(String a0, InputStream a1) throws SQLException {
        resultSet.updateBinaryStream(a0, a1);
    }

    @Override
    public void updateBinaryStream(int a0, InputStream a1, int a2) throws SQLException {
        resultSet.updateBinaryStream(a0, a1, a2);
    }

    @Override
    public void updateBinaryStream(int a0, InputStream a1, long a2) throws SQLException {
        resultSet.updateBinaryStream(a0, a1, a2);
    }

    @Override
    public void updateBinaryStream(int a0, InputStream a1) throws SQLException {
        resultSet.updateBinaryStream(a0, a1);
    }

    @Override
    public void updateBlob(String a0, InputStream a1, long a2) throws SQLException {
        resultSet.updateBlob(a0, a1, a2);
    }

    @Override
    public void updateBlob(String a0, InputStream a1) throws SQLException {
        resultSet.updateBlob(a0, a1);
    }

    @Override
    public void updateBlob(String a0, Blob a1) throws SQLException {
        resultSet.updateBlob(a0, a1);
    }

    @Override
    public void updateBlob(int a0, InputStream a1, long a2) throws SQLException {
        resultSet.updateBlob(a0, a1, a2);
    }

    @Override
    public void updateBlob(int a0, InputStream a1) throws SQLException {
        resultSet.updateBlob(a0, a1);
    }

    @Override
    public void updateBlob(int a0, Blob a1) throws SQLException {
        resultSet.updateBlob(a0, a1);
    }

    @Override
    public void updateBoolean(String a0, boolean a1) throws SQLException {
        resultSet.updateBoolean(a0, a1);
    }

    @Override
    public void updateBoolean(int a0, boolean a1) throws SQLException {
        resultSet.updateBoolean(a0, a1);
    }

    @Override
    public void updateByte(String a0, byte a1) throws SQLException {
        resultSet.updateByte(a0, a1);
    }

    @Override
    public void updateByte(int a0, byte a1) throws SQLException {
        resultSet.updateByte(a0, a1);
    }

    @Override
    public void updateBytes(String a0, byte[] a1) throws SQLException {
        resultSet.updateBytes(a0, a1);
    }

    @Override
    public void updateBytes(int a0, byte[] a1) throws SQLException {
        resultSet.updateBytes(a0, a1);
    }

    @Override
    public void updateCharacterStream(String a0, Reader a1, int a2) throws SQLException {
        resultSet.updateCharacterStream(a0, a1, a2);
    }

    @Override
    public void updateCharacterStream(String a0, Reader a1, long a2) throws SQLException {
        resultSet.updateCharacterStream(a0, a1, a2);
    }

    @Override
    public void updateCharacterStream(String a0, Reader a1) throws SQLException {
        resultSet.updateCharacterStream(a0, a1);
    }

    @Override
    public void updateCharacterStream(int a0, Reader a1, int a2) throws SQLException {
        resultSet.updateCharacterStream(a0, a1, a2);
    }

    @Override
    public void updateCharacterStream(int a0, Reader a1, long a2) throws SQLException {
        resultSet.updateCharacterStream(a0, a1, a2);
    }

    @Override
    public void updateCharacterStream(int a0, Reader a1) throws SQLException {
        resultSet.updateCharacterStream(a0, a1);
    }

    @Override
    public void updateClob(String a0, Reader a1, long a2) throws SQLException {
        resultSet.updateClob(a0, a1, a2);
    }

    @Override
    public void updateClob(String a0, Reader a1) throws SQLException {
        resultSet.updateClob(a0, a1);
    }

    @Override
    public void updateClob(String a0, Clob a1) throws SQLException {
        resultSet.updateClob(a0, a1);
    }

    @Override
    public void updateClob(int a0, Reader a1, long a2) throws SQLException {
        resultSet.updateClob(a0, a1, a2);
    }

    @Override
    public void updateClob(int a0, Reader a1) throws SQLException {
        resultSet.updateClob(a0, a1);
    }

    @Override
    public void updateClob(int a0, Clob a1) throws SQLException {
        resultSet.updateClob(a0, a1);
    }

    @Override
    public void updateDate(String a0, Date a1) throws SQLException {
        resultSet.updateDate(a0, a1);
    }

    @Override
    public void updateDate(int a0, Date a1) throws SQLException {
        resultSet.updateDate(a0, a1);
    }

    @Override
    public void updateDouble(String a0, double a1) throws SQLException {
        resultSet.updateDouble(a0, a1);
    }

    @Override
    public void updateDouble(int a0, double a1) throws SQLException {
        resultSet.updateDouble(a0, a1);
    }

    @Override
    public void updateFloat(String a0, float a1) throws SQLException {
        resultSet.updateFloat(a0, a1);
    }

    @Override
    public void updateFloat(int a0, float a1) throws SQLException {
        resultSet.updateFloat(a0, a1);
    }

    @Override
    public void updateInt(String a0, int a1) throws SQLException {
        resultSet.updateInt(a0, a1);
    }

    @Override
    public void updateInt(int a0, int a1) throws SQLException {
        resultSet.updateInt(a0, a1);
    }

    @Override
    public void updateLong(String a0, long a1) throws SQLException {
        resultSet.updateLong(a0, a1);
    }

    @Override
    public void updateLong(int a0, long a1) throws SQLException {
        resultSet.updateLong(a0, a1);
    }

    @Override
    public void updateNCharacterStream(String a0, Reader a1, long a2) throws SQLException {
        resultSet.updateNCharacterStream(a0, a1, a2);
    }

    @Override
    public void updateNCharacterStream(String a0, Reader a1) throws SQLException {
        resultSet.updateNCharacterStream(a0, a1);
    }

    @Override
    public void updateNCharacterStream(int a0, Reader a1, long a2) throws SQLException {
        resultSet.updateNCharacterStream(a0, a1, a2);
    }

    @Override
    public void updateNCharacterStream(int a0, Reader a1) throws SQLException {
        resultSet.updateNCharacterStream(a0, a1);
    }

    @Override
    public void updateNClob(String a0, Reader a1, long a2) throws SQLException {
        resultSet.updateNClob(a0, a1, a2);
    }

    @Override
    public void updateNClob(String a0, Reader a1) throws SQLException {
        resultSet.updateNClob(a0, a1);
    }

    @Override
    public void updateNClob(String a0, NClob a1) throws SQLException {
        resultSet.updateNClob(a0, a1);
    }

    @Override
    public void updateNClob(int a0, Reader a1, long a2) throws SQLException {
        resultSet.updateNClob(a0, a1, a2);
    }

    @Override
    public void updateNClob(int a0, Reader a1) throws SQLException {
        resultSet.updateNClob(a0, a1);
    }

    @Override
    public void updateNClob(int a0, NClob a1) throws SQLException {
        resultSet.updateNClob(a0, a1);
    }

    @Override
    public void updateNString(String a0, String a1) throws SQLException {
        resultSet.updateNString(a0, a1);
    }

    @Override
    public void updateNString(int a0, String a1) throws SQLException {
        resultSet.updateNString(a0, a1);
    }

    @Override
    public void updateNull(String a0) throws SQLException {
        resultSet.updateNull(a0);
    }

    @Override
    public void updateNull(int a0) throws SQLException {
        resultSet.updateNull(a0);
    }

    @Override
    public void updateObject(String a0, Object a1, int a2) throws SQLException {
        resultSet.updateObject(a0, GuardedArray.driver(a1), a2);
    }

    @Override
    public void updateObject(String a0, Object a1, SQLType a2, int a3) throws SQLException {
        resultSet.updateObject(a0, GuardedArray.driver(a1), a2, a3);
    }

    @Override
    public void updateObject(String a0, Object a1, SQLType a2) throws SQLException {
        resultSet.updateObject(a0, GuardedArray.driver(a1), a2);
    }

    @Override
    public void updateObject(String a0, Object a1) throws SQLException {
        resultSet.updateObject(a0, GuardedArray.driver(a1));
    }

    @Override
    public void updateObject(int a0, Object a1, int a2) throws SQLException {
        resultSet.updateObject(a0, GuardedArray.driver(a1), a2);
    }

    @Override
    public void updateObject(int a0, Object a1, SQLType a2, int a3) throws SQLException {
        resultSet.updateObject(a0, GuardedArray.driver(a1), a2, a3);
    }

    @Override
    public void updateObject(int a0, Object a1, SQLType a2) throws SQLException {
        resultSet.updateObject(a0, GuardedArray.driver(a1), a2);
    }

    @Override
    public void updateObject(int a0, Object a1) throws SQLException {
        resultSet.updateObject(a0, GuardedArray.driver(a1));
    }

    @Override
    public void updateRef(String a0, Ref a1) throws SQLException {
        resultSet.updateRef(a0, a1);
    }

    @Override
    public void updateRef(int a0, Ref a1) throws SQLException {
        resultSet.updateRef(a0, a1);
    }

    @Override
    public void updateRow() throws SQLException {
        resultSet.updateRow();
    }

    @Override
    public void updateRowId(String a0, RowId a1) throws SQLException {
        resultSet.updateRowId(a0, a1);
    }

    @Override
    public void updateRowId(int a0, RowId a1) throws SQLException {
        resultSet.updateRowId(a0, a1);
    }

    @Override
    public void updateSQLXML(String a0, SQLXML a1) throws SQLException {
        resultSet.updateSQLXML(a0, a1);
    }

    @Override
    public void updateSQLXML(int a0, SQLXML a1) throws SQLException {
        resultSet.updateSQLXML(a0, a1);
    }

    @Override
    public void updateShort(String a0, short a1) throws SQLException {
        resultSet.updateShort(a0, a1);
    }

    @Override
    public void updateShort(int a0, short a1) throws SQLException {
        resultSet.updateShort(a0, a1);
    }

    @Override
    public void updateString(String a0, String a1) throws SQLException {
        resultSet.updateString(a0, a1);
    }

    @Override
    public void updateString(int a0, String a1) throws SQLException {
        resultSet.updateString(a0, a1);
    }

    @Override
    public void updateTime(String a0, Time a1) throws SQLException {
        resultSet.updateTime(a0, a1);
    }

    @Override
    public void updateTime(int a0, Time a1) throws SQLException {
        resultSet.updateTime(a0, a1);
    }

    @Override
    public void updateTimestamp(String a0, Timestamp a1) throws SQLException {
        resultSet.updateTimestamp(a0, a1);
    }

    @Override
    public void updateTimestamp(int a0, Timestamp a1) throws SQLException {
        resultSet.updateTimestamp(a0, a1);
    }

    @Override
    public boolean wasNull() throws SQLException {
        return resultSet.wasNull();
    }
}
