package com.enterprisehub.geo.isolation.migration;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.isolation.internal.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Applies a versioned set of {@link Migration}s to schemas: per schema a history table
 * ({@code geo_schema_history}) records each version with its checksum; each migration runs in its own
 * transaction together with its history row, under a transaction-level advisory lock on the schema, so
 * two instances migrating at once cannot apply a version twice. A script changed after it was applied is
 * refused (its checksum differs). Immutable and thread-safe.
 */
public final class SchemaMigrations {
    private final List<Migration> migrations;

    private SchemaMigrations(List<Migration> migrations) {
        this.migrations = migrations;
    }

    /** The set; versions must be unique. They are applied in ascending order whatever the given order. */
    public static SchemaMigrations of(List<Migration> migrations) {
        Map<Integer, Migration> byVersion = new HashMap<>();
        for (Migration m : migrations) {
            if (byVersion.putIfAbsent(m.version(), m) != null) {
                throw new GeoValidationException("Two migrations have version " + m.version() + ".");
            }
        }
        List<Migration> sorted = new ArrayList<>(migrations);
        sorted.sort(Comparator.comparingInt(Migration::version));
        return new SchemaMigrations(List.copyOf(sorted));
    }

    /** The migrations, by ascending version. */
    public List<Migration> migrations() {
        return migrations;
    }

    /**
     * Brings one schema (created if missing) up to the latest version, over {@code connection} (left
     * open, in auto-commit mode afterwards). Returns what it applied, or why it stopped.
     */
    public MigrationResult migrate(Connection connection, String schema) {
        Objects.requireNonNull(connection, "connection");
        String quoted = Sql.quote(schema);
        List<Integer> applied = new ArrayList<>();
        Map<Integer, String> history;
        try {
            connection.setAutoCommit(false);
            try {
                lock(connection, schema);
                Sql.execute(connection, "CREATE SCHEMA IF NOT EXISTS " + quoted);
                Sql.execute(connection, "CREATE TABLE IF NOT EXISTS " + quoted + ".geo_schema_history (version"
                        + " integer PRIMARY KEY, description text NOT NULL, checksum text NOT NULL, applied_at"
                        + " timestamptz NOT NULL DEFAULT now())");
                history = recordedChecksums(connection, quoted);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            for (Migration m : migrations) {
                // Versions the history already held are checked without a round trip; only pending ones are
                // looked up again under the lock (another instance may have applied them meanwhile).
                if (history.containsKey(m.version())) {
                    Optional<MigrationResult> changed = changed(schema, applied, m, history.get(m.version()));
                    if (changed.isPresent()) {
                        return changed.get();
                    }
                    continue;
                }
                connection.setAutoCommit(false);
                try {
                    lock(connection, schema);
                    Optional<String> recorded = recordedChecksum(connection, quoted, m.version());
                    if (recorded.isPresent()) {
                        connection.rollback();
                        Optional<MigrationResult> changed = changed(schema, applied, m, recorded.get());
                        if (changed.isPresent()) {
                            return changed.get();
                        }
                        continue;
                    }
                    Sql.execute(connection, "SET LOCAL search_path = " + quoted);
                    Sql.execute(connection, m.sql());
                    try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + quoted
                            + ".geo_schema_history (version, description, checksum) VALUES (?, ?, ?)")) {
                        ps.setInt(1, m.version());
                        ps.setString(2, m.description());
                        ps.setString(3, m.checksum());
                        ps.executeUpdate();
                    }
                    connection.commit();
                    applied.add(m.version());
                } catch (SQLException e) {
                    connection.rollback();
                    return new MigrationResult(schema, applied, Optional.of("migration " + m.version() + " ("
                            + m.description() + ") failed and was rolled back: " + e.getMessage()));
                } finally {
                    connection.setAutoCommit(true);
                }
            }
            return new MigrationResult(schema, applied, Optional.empty());
        } catch (SQLException e) {
            return new MigrationResult(schema, applied, Optional.of("could not prepare schema " + schema + ": "
                    + e.getMessage()));
        }
    }

    /** Opens a connection for a target; the migrator closes it. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    /**
     * Migrates many schemas with at most {@code parallelism} at once. A failure is reported and the others
     * go on; running it again applies only what is missing, so it finishes what failed.
     *
     * @param targets schema name to where to connect for it
     * @return one result per target, in the order given
     */
    public List<MigrationResult> migrateAll(Map<String, ConnectionSource> targets, int parallelism) {
        List<Target> list = new ArrayList<>();
        targets.forEach((schema, source) -> list.add(new Target(schema, schema, source)));
        return migrateAll(list, parallelism, (name, connection) -> { });
    }

    /**
     * One schema to migrate.
     *
     * @param name what the result reports it as (a tenant id, say)
     * @param schema the schema
     * @param connection where to connect for it
     */
    public record Target(String name, String schema, ConnectionSource connection) {
        public Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(connection, "connection");
        }
    }

    /** Work done on a target's connection after it migrated successfully (granting, securing). */
    @FunctionalInterface
    public interface Finisher {
        void finish(String name, Connection connection) throws SQLException;
    }

    /**
     * Migrates many targets with at most {@code parallelism} at once, running {@code finisher} on each one
     * that migrated successfully (whether or not anything was pending). A failure, of the migration or the
     * finisher, is reported and the others go on; running it again finishes what failed.
     *
     * @return one result per target (named by {@link Target#name()}), in the order given
     */
    public List<MigrationResult> migrateAll(List<Target> targets, int parallelism, Finisher finisher) {
        if (parallelism < 1) {
            throw new GeoValidationException("parallelism must be at least 1; got " + parallelism + ".");
        }
        Objects.requireNonNull(finisher, "finisher");
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "geo-migrate-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, factory);
        try {
            List<Future<MigrationResult>> futures = new ArrayList<>();
            for (Target target : targets) {
                futures.add(pool.submit(() -> migrateOne(target, finisher)));
            }
            List<MigrationResult> results = new ArrayList<>();
            for (Future<MigrationResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while migrating schemas", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("A migration task failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private MigrationResult migrateOne(Target target, Finisher finisher) {
        try (Connection c = target.connection().open()) {
            MigrationResult result = migrate(c, target.schema());
            result = new MigrationResult(target.name(), result.applied(), result.failure());
            if (result.succeeded()) {
                try {
                    finisher.finish(target.name(), c);
                } catch (SQLException | RuntimeException e) {
                    return new MigrationResult(target.name(), result.applied(), Optional.of("migrated, but the"
                            + " step after the migration failed: " + e.getMessage()));
                }
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            return new MigrationResult(target.name(), List.of(), Optional.of("could not connect: " + e.getMessage()));
        }
    }

    /** Serializes migrations of one schema across sessions and instances, until the transaction ends. */
    private static void lock(Connection c, String schema) throws SQLException {
        // a key no tenant can compute where the control plane is (see AdminLocks)
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock("
                + com.enterprisehub.geo.isolation.internal.AdminLocks.key(c) + ")")) {
            ps.setString(1, "geo_schema_history:" + schema);
            ps.execute();
        }
    }

    /** The refusal of a migration whose script changed after it was applied, if it changed. */
    private static Optional<MigrationResult> changed(String schema, List<Integer> applied, Migration m,
            String recorded) {
        if (recorded.equals(m.checksum())) {
            return Optional.empty();
        }
        return Optional.of(new MigrationResult(schema, applied, Optional.of("migration " + m.version() + " ("
                + m.description() + ") was changed after it was applied: its checksum is " + m.checksum()
                + ", the schema recorded " + recorded + ". Never edit an applied migration; add a new version.")));
    }

    /** Every version the schema's history records, with its checksum. */
    private static Map<Integer, String> recordedChecksums(Connection c, String quotedSchema) throws SQLException {
        Map<Integer, String> recorded = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version, checksum FROM " + quotedSchema
                + ".geo_schema_history"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                recorded.put(rs.getInt(1), rs.getString(2));
            }
        }
        return recorded;
    }

    private static Optional<String> recordedChecksum(Connection c, String quotedSchema, int version)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT checksum FROM " + quotedSchema
                + ".geo_schema_history WHERE version = ?")) {
            ps.setInt(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
