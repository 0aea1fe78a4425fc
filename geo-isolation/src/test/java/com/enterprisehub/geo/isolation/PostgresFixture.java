package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.market.DeploymentRegion;
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
 * database per test class. The application role {@code geo_app} is an ordinary login role. Shipped in
 * geo-isolation's test-jar for the modules built on it.
 */
public final class PostgresFixture {
    public static final String APP_ROLE = "geo_app";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private PostgresFixture() {
    }

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
            started = EmbeddedPostgres.builder().start();
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

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + server().getPort() + "/" + database;
    }

    public static Connection admin(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "postgres");
    }

    public static DatabaseEndpoint endpoint(String name, DeploymentRegion region, String database) {
        return new DatabaseEndpoint(name, region, jdbcUrl(database), new Credentials("postgres", "postgres"),
                new Credentials(APP_ROLE, "app"));
    }

    /** The binding key of the tests (32 bytes); production keys come from a secret store. */
    public static final byte[] TEST_KEY = "geo-isolation-test-binding-key-32b".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** A data-source builder over {@code tenants}, the default markets and the test key, on {@code endpoint}. */
    public static TenantDataSource.Builder builder(com.enterprisehub.geo.core.spi.TenantCatalog tenants,
            DatabaseEndpoint endpoint) {
        return TenantDataSource.builder().tenants(tenants)
                .markets(com.enterprisehub.geo.core.market.MarketCatalog.defaults()).bindingKey(TEST_KEY)
                .endpoint(endpoint);
    }

    public static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
