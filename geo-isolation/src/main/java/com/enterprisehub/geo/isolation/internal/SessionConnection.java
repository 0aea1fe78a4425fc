package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.core.tenant.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * A physical PostgreSQL connection with what we know of its server session: its nonce and the tenant
 * it is bound to. Only one borrower uses it at a time (the pool guarantees it), so its state needs no
 * locking. Not part of the API.
 */
final class SessionConnection extends DelegatingConnection {
    static final String SQLSTATE_BINDING_REFUSED = "28000";

    private final BaseConnection pg;
    private String nonce;
    private TenantId boundTenant;
    private long boundTimeoutMillis = -1;

    SessionConnection(Connection physical) throws SQLException {
        super(physical);
        this.pg = physical.unwrap(BaseConnection.class);
    }

    /**
     * Makes this session serve {@code tenant}: rolls back a transaction a previous borrower left open,
     * and binds the tenant unless it is bound already (then no SQL is sent).
     */
    void prepareFor(TenantId tenant, long statementTimeoutMillis, BindingTokens tokens) throws SQLException {
        if (pg.getTransactionState() != TransactionState.IDLE) {
            execute("ROLLBACK");
        }
        if (tenant.equals(boundTenant) && statementTimeoutMillis == boundTimeoutMillis) {
            return;
        }
        boundTenant = null;
        if (nonce == null) {
            nonce = openSession();
        }
        try {
            bind(tenant, statementTimeoutMillis, tokens);
        } catch (SQLException e) {
            if (!SQLSTATE_BINDING_REFUSED.equals(e.getSQLState())) {
                throw e;
            }
            // The session's row is not the one we opened (SQL on it reset it): open it again once; if the
            // server refuses that too, the caller evicts the connection.
            nonce = openSession();
            bind(tenant, statementTimeoutMillis, tokens);
        }
        boundTenant = tenant;
        boundTimeoutMillis = statementTimeoutMillis;
    }

    /**
     * Rolls back a transaction the borrower left open without the pool knowing (a SQL-level BEGIN), so
     * that an idle pooled connection never holds locks. pgjdbc tracks the state locally: no round trip
     * unless there is something to roll back.
     */
    void rollbackLeftoverTransaction() throws SQLException {
        if (pg.getTransactionState() != TransactionState.IDLE && delegate.getAutoCommit()) {
            execute("ROLLBACK");
        }
    }

    private String openSession() throws SQLException {
        try (Statement s = delegate.createStatement();
                ResultSet rs = s.executeQuery("SELECT geo_control.open_session()")) {
            rs.next();
            String opened = rs.getString(1);
            if (opened == null) {
                // The server says this live session was opened already, and we do not know its nonce:
                // someone reset it. The pool evicts this connection.
                throw new SQLException("This PostgreSQL session's binding was reset by SQL run on it; the"
                        + " connection is discarded.", SQLSTATE_BINDING_REFUSED);
            }
            return opened;
        }
    }

    /**
     * One round trip, one prepared statement: {@code geo_control.switch_to} undoes session changes a
     * previous borrower may have made (settings such as search_path, a role), sets the tenant's statement
     * timeout (0: none) and the session's nonce (which the policies check), and binds.
     */
    private void bind(TenantId tenant, long statementTimeoutMillis, BindingTokens tokens) throws SQLException {
        try (PreparedStatement ps = delegate.prepareStatement("SELECT geo_control.switch_to(?, ?, ?, ?)")) {
            ps.setString(1, tenant.value());
            ps.setString(2, nonce);
            ps.setString(3, tokens.token(tenant.value(), nonce));
            ps.setString(4, Long.toString(statementTimeoutMillis));
            ps.execute();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = delegate.createStatement()) {
            s.execute(sql);
        }
    }
}
