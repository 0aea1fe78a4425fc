package com.enterprisehub.geo.isolation.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * An SQL array handed out by a tenant connection: its rows as a result set ({@link #getResultSet()}) lead to no
 * statement and do not unwrap to the driver's class (the driver builds them on its physical connection, which
 * serves other tenants after the borrow). Given back to a statement, it is handed to the driver as the
 * driver's own array ({@link #driver(Object)}). Not part of the API.
 */
final class GuardedArray implements Array {
    private final Array array;

    private GuardedArray(Array array) {
        this.array = array;
    }

    /** {@code array} wrapped, or {@code null} if it is {@code null}. */
    static Array of(Array array) {
        return array == null || array instanceof GuardedArray ? array : new GuardedArray(array);
    }

    /** What the driver should get for a value the host passes in: the driver's own array for one of ours. */
    static Object driver(Object value) {
        return value instanceof GuardedArray guarded ? guarded.array : value;
    }

    /** The same, typed. */
    static Array driver(Array value) {
        return value instanceof GuardedArray guarded ? guarded.array : value;
    }

    @Override
    public String getBaseTypeName() throws SQLException {
        return array.getBaseTypeName();
    }

    @Override
    public int getBaseType() throws SQLException {
        return array.getBaseType();
    }

    @Override
    public Object getArray() throws SQLException {
        return array.getArray();
    }

    @Override
    public Object getArray(Map<String, Class<?>> map) throws SQLException {
        return array.getArray(map);
    }

    @Override
    public Object getArray(long index, int count) throws SQLException {
        return array.getArray(index, count);
    }

    @Override
    public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException {
        return array.getArray(index, count, map);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return GuardedResultSet.of(array.getResultSet(), null);
    }

    @Override
    public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
        return GuardedResultSet.of(array.getResultSet(map), null);
    }

    @Override
    public ResultSet getResultSet(long index, int count) throws SQLException {
        return GuardedResultSet.of(array.getResultSet(index, count), null);
    }

    @Override
    public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
        return GuardedResultSet.of(array.getResultSet(index, count, map), null);
    }

    @Override
    public void free() throws SQLException {
        array.free();
    }

    /** The driver's text of the array (an array literal, which drivers accept back). */
    @Override
    public String toString() {
        return array.toString();
    }
}
