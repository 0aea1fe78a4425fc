package com.enterprisehub.geo.platform.internal;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.platform.AuditEntry;
import com.enterprisehub.geo.platform.MarketState;
import com.enterprisehub.geo.platform.PlatformException;
import com.enterprisehub.geo.platform.StepRecord;
import com.enterprisehub.geo.platform.StepStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's step journal, market states and audit trail ({@code geo_platform.steps},
 * {@code .markets}, {@code .audit}), the stored compliance configurations and the per-subject operation locks.
 * Each call is one transaction. Thread-safe. Not part of the API.
 */
public final class Journal {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    /** Advisory lock key space of the platform's subjects ("geop" in ASCII), beside each subject's hash. */
    private static final int LOCK_SPACE = 0x67656f70;

    private final DataSource dataSource;

    /** The journal of a control plane; creates its schema if missing. */
    public Journal(DataSource dataSource) {
        this(dataSource, true);
    }

    private Journal(DataSource dataSource, boolean createSchema) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        if (createSchema) {
            Jdbc.createSchema(dataSource);
        }
    }

    /** A journal that only reads a control plane the platform created; touches nothing until asked. */
    public static Journal reader(DataSource dataSource) {
        return new Journal(dataSource, false);
    }

    /** The journal of {@code subject}, in step order. */
    public List<StepRecord> steps(String subject) {
        return query("Reading the journal of " + subject, "SELECT subject, step, ordinal, status, attempts, started_at,"
                + " finished_at, duration_micros, evidence, error FROM geo_platform.steps WHERE subject = ?"
                + " ORDER BY ordinal", rs -> {
                    long micros = rs.getLong(8);
                    boolean hasDuration = !rs.wasNull();
                    Timestamp finished = rs.getTimestamp(7);
                    return new StepRecord(rs.getString(1), rs.getString(2), rs.getInt(3),
                            StepStatus.valueOf(rs.getString(4)), rs.getInt(5), rs.getTimestamp(6).toInstant(),
                            Optional.ofNullable(finished).map(Timestamp::toInstant),
                            hasDuration ? Optional.of(Duration.ofNanos(micros * 1000)) : Optional.empty(),
                            Objects.requireNonNullElse(rs.getString(9), ""), Optional.ofNullable(rs.getString(10)));
                }, subject);
    }

    /**
     * Records that a step starts (again): status STARTED, one more attempt. A step already journaled keeps the
     * ordinal it was first stored with.
     *
     * @return the attempt this is, 1 for the first
     */
    public int start(String subject, String step, int ordinal, Instant at) {
        return one("Journaling the start of " + step + " for " + subject, "INSERT INTO geo_platform.steps (subject,"
                + " step, ordinal, status, attempts, started_at) VALUES (?, ?, ?, 'STARTED', 1, ?) ON CONFLICT (subject,"
                + " step) DO UPDATE SET status = 'STARTED', attempts = geo_platform.steps.attempts + 1, started_at ="
                + " excluded.started_at, finished_at = NULL, duration_micros = NULL, error = NULL RETURNING attempts",
                rs -> rs.getInt(1), subject, step, ordinal, Timestamp.from(at)).orElseThrow();
    }

    /** Records that a step finished. */
    public void finish(String subject, String step, Instant at, Duration took, String evidence) {
        update("Journaling the end of " + step + " for " + subject, "UPDATE geo_platform.steps SET status = 'DONE',"
                + " finished_at = ?, duration_micros = ?, evidence = ?, error = NULL WHERE subject = ? AND step = ?",
                Timestamp.from(at), took.toNanos() / 1000, evidence, subject, step);
    }

    /** Records that a step failed. */
    public void fail(String subject, String step, Instant at, Duration took, String error) {
        update("Journaling the failure of " + step + " for " + subject, "UPDATE geo_platform.steps SET status ="
                + " 'FAILED', finished_at = ?, duration_micros = ?, error = ? WHERE subject = ? AND step = ?",
                Timestamp.from(at), took.toNanos() / 1000, error, subject, step);
    }

    /** The state of a market ({@link MarketState#NOT_DEPLOYED} if it was never assessed). */
    public MarketState marketState(String market) {
        return one("Reading the state of market " + market, "SELECT state FROM geo_platform.markets WHERE market = ?",
                rs -> MarketState.valueOf(rs.getString(1)), market).orElse(MarketState.NOT_DEPLOYED);
    }

    /** The markets in {@code state}, ordered by id. */
    public List<String> marketsIn(MarketState state) {
        return query("Listing markets in state " + state, "SELECT market FROM geo_platform.markets WHERE state = ?"
                + " ORDER BY market", rs -> rs.getString(1), state.name());
    }

    /** Sets a market's state, with the readiness assessment it came from (JSON). */
    public void marketState(String market, MarketState state, Instant at, String readinessJson) {
        update("Recording market " + market + " as " + state, "INSERT INTO geo_platform.markets (market, state,"
                + " updated_at, readiness) VALUES (?, ?, ?, ?::jsonb) ON CONFLICT (market) DO UPDATE SET state ="
                + " excluded.state, updated_at = excluded.updated_at, readiness = excluded.readiness",
                market, state.name(), Timestamp.from(at), readinessJson);
    }

    /** The region a market was deployed to, if its REGION step recorded one. */
    public Optional<DeploymentRegion> marketRegion(String market) {
        return one("Reading the region of market " + market, "SELECT region FROM geo_platform.markets WHERE market = ?"
                + " AND region IS NOT NULL", rs -> DeploymentRegion.valueOf(rs.getString(1)), market);
    }

    /** Records the region a market is deployed to (its state row exists: it is DEPLOYING). */
    public void marketRegion(String market, DeploymentRegion region) {
        update("Recording the region of market " + market, "UPDATE geo_platform.markets SET region = ? WHERE market = ?",
                region.name(), market);
    }

    /** Appends to the audit trail. */
    public void audit(Instant at, String actor, String action, String subject, String detail) {
        update("Writing the audit trail", "INSERT INTO geo_platform.audit (at, actor, action, subject, detail)"
                + " VALUES (?, ?, ?, ?, ?)", Timestamp.from(at), actor, action, subject, detail);
    }

    /** The audit trail of {@code subject}, oldest first. */
    public List<AuditEntry> auditTrail(String subject) {
        return query("Reading the audit trail of " + subject, "SELECT seq, at, actor, action, subject, detail FROM"
                + " geo_platform.audit WHERE subject = ? ORDER BY seq", rs -> new AuditEntry(rs.getLong(1),
                rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)),
                subject);
    }

    /** An export as the control plane recorded it. */
    public record ExportRow(String exportKeyId, String recordJson, boolean deleted) {
    }

    /** Records (replaces) the export of {@code tenant}: its key id and its description (JSON). */
    public void export(String tenant, String exportKeyId, String recordJson) {
        update("Recording the export of tenant " + tenant, "INSERT INTO geo_platform.exports (tenant, export_key_id,"
                + " record) VALUES (?, ?, ?::jsonb) ON CONFLICT (tenant) DO UPDATE SET export_key_id ="
                + " excluded.export_key_id, record = excluded.record, deleted_at = NULL", tenant, exportKeyId,
                recordJson);
    }

    /** The export recorded for {@code tenant}, if any (also once deleted). */
    public Optional<ExportRow> export(String tenant) {
        return one("Reading the export of tenant " + tenant, "SELECT export_key_id, record::text, deleted_at IS NOT NULL"
                + " FROM geo_platform.exports WHERE tenant = ?", rs -> new ExportRow(rs.getString(1), rs.getString(2),
                rs.getBoolean(3)), tenant);
    }

    /** Marks the export of {@code tenant} deleted. */
    public void exportDeleted(String tenant, Instant at) {
        update("Recording the deletion of the export of tenant " + tenant, "UPDATE geo_platform.exports SET"
                + " deleted_at = ? WHERE tenant = ?", Timestamp.from(at), tenant);
    }

    /** The compliance configuration stored for {@code subject} (JSON), if any. */
    public Optional<String> compliance(String subject) {
        return one("Reading the compliance configuration of " + subject, "SELECT configuration::text FROM"
                + " geo_platform.compliance WHERE subject = ?", rs -> rs.getString(1), subject);
    }

    /** Stores (replaces) the compliance configuration of {@code subject}. */
    public void compliance(String subject, String json, Instant at, String actor) {
        update("Storing the compliance configuration of " + subject, "INSERT INTO geo_platform.compliance (subject,"
                + " configuration, updated_at, updated_by) VALUES (?, ?::jsonb, ?, ?) ON CONFLICT (subject) DO UPDATE"
                + " SET configuration = excluded.configuration, updated_at = excluded.updated_at, updated_by ="
                + " excluded.updated_by", subject, json, Timestamp.from(at), actor);
    }

    /**
     * Holds the lock of {@code subject} until the returned handle is closed, so one operation on a market or
     * tenant runs at a time across every process sharing the control plane: a transaction-scoped advisory lock
     * on a connection of its own, released when that transaction ends (also if the process dies). While
     * another operation holds it, this one polls ({@code pg_try_advisory_xact_lock}) and holds no connection
     * between tries, so waiters do not drain the pool; the holder keeps one connection for the lock and uses
     * one more at a time for its journal writes.
     *
     * @throws PlatformException if another operation holds it longer than {@code wait}
     */
    public SubjectLock lock(String subject, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = 10;
        while (true) {
            Optional<SubjectLock> taken = tryLock(subject);
            if (taken.isPresent()) {
                return taken.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new PlatformException("Another operation on " + subject + " is running (it has held its lock"
                        + " for more than " + wait.toMillis() + " ms); wait for it to finish and run this one again, or"
                        + " raise Platform.Builder.operationLockTimeout.");
            }
            try {
                Thread.sleep(Math.min(pause, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("Interrupted while waiting for the lock of " + subject + ".", e);
            }
            pause = Math.min(pause * 2, 250);
        }
    }

    private Optional<SubjectLock> tryLock(String subject) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw Jdbc.failed("Locking " + subject, e);
        }
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // The lock lives as long as this transaction, which stays idle while the operation runs.
                s.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(" + LOCK_SPACE
                    + ", hashtext(?))")) {
                ps.setString(1, subject);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return Optional.of(new SubjectLock(c));
                    }
                }
            }
            release(c);
            return Optional.empty();
        } catch (SQLException e) {
            release(c);
            throw Jdbc.failed("Locking " + subject, e);
        }
    }

    /** Ends the lock's transaction (releasing the lock) and gives the connection back. */
    private static void release(Connection c) {
        try (Connection closing = c) {
            closing.rollback();
            closing.setAutoCommit(true);
        } catch (SQLException e) {
            // Closing a broken connection ends its session, and with it the transaction and its lock.
            LOG.debug("Releasing a subject lock: {}", e.toString());
        }
    }

    /** The lock {@link #lock} took; closing it ends its transaction, which releases it. */
    public static final class SubjectLock implements AutoCloseable {
        private final Connection connection;

        private SubjectLock(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() {
            release(connection);
        }
    }

    private <T> List<T> query(String doing, String sql, Jdbc.Row<T> row, Object... parameters) {
        return Jdbc.query(dataSource, doing, sql, row, parameters);
    }

    /** The first row {@code sql} selects, if any. */
    private <T> Optional<T> one(String doing, String sql, Jdbc.Row<T> row, Object... parameters) {
        return query(doing, sql, row, parameters).stream().findFirst();
    }

    private void update(String doing, String sql, Object... parameters) {
        Jdbc.update(dataSource, doing, sql, parameters);
    }

}
