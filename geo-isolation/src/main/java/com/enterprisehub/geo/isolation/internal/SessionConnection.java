package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.core.tenant.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
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
    /** The shape of the tables the statements the driver has prepared on this session were planned for. */
    private String preparedShape;
    /** Whether a borrower ran SQL that may have changed this session's settings. */
    private boolean dirty;
    /** Whether this session may be running as another role than its login role (an ENHANCED tenant's). */
    private boolean roleTaken;
    /**
     * The last SQL text noted on this session that cannot change it. Hosts prepare the same {@code String}
     * (a constant) again and again, so an identity check spares scanning it each time; a string is
     * immutable, so the same object is the same text. Only ever set to a harmless text, so a stale read by
     * a host sharing a connection between threads still never misses an alarm.
     */
    private String lastHarmlessSql;

    SessionConnection(Connection physical) throws SQLException {
        super(physical);
        this.pg = physical.unwrap(BaseConnection.class);
    }

    /**
     * Makes this session serve {@code tenant}: rolls back a transaction a previous borrower left open,
     * and binds the tenant unless it is bound already (then no SQL is sent).
     *
     * @param shape the shape of the tables the tenant's statements see ({@code "basic"} for the shared
     *     tables, a digest of its schema for ENHANCED); when it differs from the shape the driver's prepared
     *     statements were planned for, they are deallocated in the same round trip as the switch, so that no
     *     statement runs with a plan whose result type changed
     * @return whether the session was switched (false: it was bound to the tenant already and no SQL was sent)
     */
    boolean prepareFor(TenantId tenant, long statementTimeoutMillis, BindingTokens tokens, String shape,
            String endpoint, SecurityReporter security) throws SQLException {
        rollbackLeftOpen();
        if (!dirty && tenant.equals(boundTenant) && statementTimeoutMillis == boundTimeoutMillis
                && shape.equals(preparedShape)) {
            return false;
        }
        if (dirty && boundTenant != null) {
            // Reported once per borrow that did it, at the hand-over: never on the statement path.
            security.report("session-reset", boundTenant.value(), "a borrower of tenant " + boundTenant
                    + " ran SQL that may change its session (SET, set_config, DO, CALL, EXECUTE, DISCARD,"
                    + " setSchema, ...) on endpoint '" + endpoint + "'; the session was reset before it was handed"
                    + " over again");
        }
        TenantId previous = boundTenant;
        boundTenant = null;
        if (nonce == null) {
            nonce = openSession();
        }
        // Statements planned for other tables, or under settings a borrower changed, are dropped.
        boolean deallocate = dirty || (preparedShape != null && !shape.equals(preparedShape));
        boolean resetRole = dirty || roleTaken;
        roleTaken = true; // unknown until the switch succeeds
        String found;
        try {
            found = bind(tenant, statementTimeoutMillis, tokens, resetRole, deallocate, dirty);
        } catch (SQLException e) {
            if (!SQLSTATE_BINDING_REFUSED.equals(e.getSQLState())) {
                throw e;
            }
            // The session's row is not the one we opened (SQL on it reset it): open it again once; if the
            // server refuses that too, the caller evicts the connection.
            security.report("binding-refused", tenant.value(), "the session's binding on endpoint '" + endpoint
                    + "' no longer verified (SQL run on it by an earlier borrower reset it); it was opened again");
            nonce = openSession();
            found = bind(tenant, statementTimeoutMillis, tokens, true, deallocate, dirty);
        }
        if (found != null && previous != null) {
            // State the scanner cannot see (a cursor is not a setting): found by the switch on the server.
            security.report("session-state", previous.value(), "the hand-over on endpoint '" + endpoint + "' found"
                    + found + " left by a borrower of tenant " + previous + "; closed before the session was handed"
                    + " to another tenant");
        }
        roleTaken = !EndpointPool.SHARED_TABLES_SHAPE.equals(shape);
        boundTenant = tenant;
        boundTimeoutMillis = statementTimeoutMillis;
        preparedShape = shape;
        dirty = false;
        return true;
    }

    /** The PostgreSQL backend serving this session. */
    int backendPid() {
        return pg.getBackendPID();
    }

    /** Marks the session as possibly changed by its borrower: it is reset before it is handed over again. */
    void markDirty() {
        dirty = true;
    }

    /** Notes SQL about to run: if it may change the session's settings, the session is reset before reuse. */
    void noteSql(String sql) {
        if (sql == lastHarmlessSql) {
            return;
        }
        if (SessionSql.mayChangeSession(sql)) {
            dirty = true;
        } else {
            lastHarmlessSql = sql;
        }
    }

    /**
     * Makes a session of a tenant's own database (MAXIMUM, REGULATORY) ready for the next borrower, who is
     * of the same tenant: rolls back a transaction left open, undoes settings a borrower may have changed,
     * and sets the statement timeout if it changed.
     */
    void prepareDedicated(long statementTimeoutMillis) throws SQLException {
        rollbackLeftOpen();
        if (dirty || statementTimeoutMillis != boundTimeoutMillis) {
            try (PreparedStatement ps = delegate.prepareStatement((dirty ? "RESET ALL; DEALLOCATE ALL; " : "")
                    + "SELECT pg_catalog.set_config('statement_timeout', ?, false)")) {
                ps.setString(1, Long.toString(statementTimeoutMillis));
                ps.execute();
            }
            boundTimeoutMillis = statementTimeoutMillis;
            dirty = false;
        }
    }

    /**
     * Rolls back a transaction the borrower left open without the pool knowing (a SQL-level BEGIN), so
     * that an idle pooled connection never holds locks. pgjdbc tracks the state locally: no round trip
     * unless there is something to roll back.
     */
    void rollbackLeftoverTransaction() throws SQLException {
        if (pg.getTransactionState() != TransactionState.IDLE && delegate.getAutoCommit()) {
            Sql.execute(delegate, "ROLLBACK");
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
     * One round trip: {@code geo_control.switch_to} undoes session changes a previous borrower may have made
     * (settings such as search_path, a role), sets the tenant's statement timeout (0: none), binds, and for
     * an ENHANCED tenant takes its role and schema.
     *
     * <p>With {@code resetRole}, a {@code RESET ROLE} statement goes first: the right to call switch_to is
     * checked as the current role, which may be an ENHANCED tenant's role (dropped since, if the tenant was
     * erased) or one SQL took. It is left out, saving a statement, when the previous switch took no role and
     * no borrower ran SQL that may have changed the session: should SQL have changed the role unnoticed
     * anyway, switch_to still resets it first, or fails if that role may not call it, and the pool discards
     * the connection. With {@code deallocate}, {@code DEALLOCATE ALL} follows in the same round trip (pgjdbc
     * sees its command tag and forgets its prepared statements). With {@code resetAll} (a borrower ran SQL that may
     * have changed the session), {@code RESET ALL} and {@code RESET ROLE} go first and {@code DEALLOCATE ALL} follows,
     * so that the switch runs under no statement timeout the borrower set.
     */
    /**
     * Switches the session to {@code tenant}; returns what the switch found left on the session by the previous
     * borrower (open cursors, LISTEN registrations), or null when it found nothing.
     */
    private String bind(TenantId tenant, long statementTimeoutMillis, BindingTokens tokens, boolean resetRole,
            boolean deallocate, boolean resetAll) throws SQLException {
        try (PreparedStatement ps = delegate.prepareStatement(resetAll ? SWITCH_AFTER_RESET_ALL
                : SWITCH[(resetRole ? 2 : 0) + (deallocate ? 1 : 0)])) {
            ps.setString(1, tenant.value());
            ps.setString(2, nonce);
            ps.setString(3, tokens.token(tenant.value(), nonce));
            ps.setString(4, Long.toString(statementTimeoutMillis));
            ps.execute();
            for (SQLWarning w = ps.getWarnings(); w != null; w = w.getNextWarning()) {
                String message = w.getMessage();
                if (message != null && message.startsWith(FOUND_PREFIX)) {
                    return message.substring(FOUND_PREFIX.length());
                }
            }
            return null;
        }
    }

    /** How {@code geo_control.switch_to} tells what it found left on the session (a WARNING). */
    private static final String FOUND_PREFIX = "geo-session-state:";

    /**
     * The switch of a session whose borrower ran SQL that may have changed it: {@code RESET ALL} first, as a statement of
     * its own, because PostgreSQL arms a statement's timeout when the statement starts, with the session's value of
     * that moment. A borrower's {@code SET statement_timeout = 1} would otherwise cancel the next tenant's switch
     * (switch_to's own reset comes too late for its own statement) whenever it waits (a move's placement lock) or
     * the server is busy.
     */
    private static final String SWITCH_AFTER_RESET_ALL =
        "RESET ALL; RESET ROLE; SELECT geo_control.switch_to(?, ?, ?, ?); DEALLOCATE ALL";

    /** The switch, without and with RESET ROLE before it, without and with DEALLOCATE ALL after it. */
    private static final String[] SWITCH = {
        "SELECT geo_control.switch_to(?, ?, ?, ?)",
        "SELECT geo_control.switch_to(?, ?, ?, ?); DEALLOCATE ALL",
        "RESET ROLE; SELECT geo_control.switch_to(?, ?, ?, ?)",
        "RESET ROLE; SELECT geo_control.switch_to(?, ?, ?, ?); DEALLOCATE ALL",
    };

    /** Rolls back a transaction a previous borrower left open. */
    private void rollbackLeftOpen() throws SQLException {
        if (pg.getTransactionState() != TransactionState.IDLE) {
            Sql.execute(delegate, "ROLLBACK");
        }
    }
}
