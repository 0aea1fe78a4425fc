package com.enterprisehub.geo.examples;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.isolation.Credentials;
import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.isolation.DedicatedServer;
import com.enterprisehub.geo.isolation.IsolationException;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.isolation.TenantPlacement;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The quickstart's isolation part: an embedded PostgreSQL (and a second one standing for a dedicated
 * server in London), a tenant-routing {@link TenantDataSource}, one tenant per isolation level provisioned
 * in its market's region, and each tenant seeing only its own listings.
 */
final class IsolationDemo {
    private IsolationDemo() {
    }

    static void run(TenantCatalog tenants, PrintStream out) throws Exception {
        out.println();
        out.println("== Tenant isolation on an embedded PostgreSQL ==");
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
                EmbeddedPostgres london = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start()) {
            String us = database(server, "listings_us");
            String ca = database(server, "listings_ca");
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key); // in production: the same key from your secret store on every instance
            TenantDataSource.Builder builder = TenantDataSource.builder().tenants(tenants)
                    .markets(MarketCatalog.defaults()).bindingKey(key)
                    .endpoint(endpoint(server, "us-west-local", DeploymentRegion.US_WEST, us))
                    .endpoint(endpoint(server, "canada-local", DeploymentRegion.CANADA, ca))
                    .protectTable("listings") // BASIC: the shared table, under row-level security
                    // ENHANCED, MAXIMUM, REGULATORY: each tenant's own schema or database gets this table
                    .migrations(SchemaMigrations.of(List.of(new Migration(1, "listings",
                            "CREATE TABLE listings (id bigserial PRIMARY KEY, title text NOT NULL)"))));
            for (Tenant t : tenants.list()) {
                if (t.isolationLevel() == IsolationLevel.REGULATORY && t.market().value().equals("gb")) {
                    builder.dedicatedServer(new DedicatedServer(t.id().value() + "-london", t.id(),
                            DeploymentRegion.EUROPE, "jdbc:postgresql://localhost:" + london.getPort() + "/postgres",
                            new Credentials("postgres", "")));
                }
            }
            try (TenantDataSource dataSource = builder.build()) {
                for (Tenant t : tenants.list()) {
                    try {
                        TenantPlacement p = dataSource.provision(t.id());
                        out.printf("  provision %-20s %-10s -> endpoint %s%s%n", t.id(), t.isolationLevel(),
                                p.endpoint(), p.location().isEmpty() ? ", shared tables"
                                        : (t.isolationLevel() == IsolationLevel.ENHANCED ? ", schema " : ", database ")
                                                + p.location());
                    } catch (IsolationException e) {
                        out.printf("  provision %-20s %-10s -> refused: %s%n", t.id(), t.isolationLevel(),
                                e.getMessage().split("\\. ")[0]);
                    }
                }
                List<Tenant> serving = new ArrayList<>();
                for (Tenant t : tenants.list()) {
                    if (t.isActive() && dataSource.placement(t.id()).isPresent()) {
                        serving.add(t);
                    }
                }
                for (Tenant t : serving) {
                    TenantContext.run(t, () -> insert(dataSource, t.organization() + " listing", 2));
                }
                for (Tenant t : serving) {
                    List<String> seen = TenantContext.call(t, () -> owners(dataSource));
                    out.printf("  %-20s sees listings of %s%n", t.id(), seen);
                }
                try {
                    dataSource.getConnection();
                } catch (SQLException e) {
                    out.println("  with no tenant bound: refused (" + e.getCause().getClass().getSimpleName() + ")");
                }
            }
        }
    }

    /** A new database with the application role, TEMP revoked, and a shared {@code listings} table. */
    static String database(EmbeddedPostgres server, String name) throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geo_app') THEN"
                    + " CREATE ROLE geo_app LOGIN PASSWORD 'app'; END IF; END $$");
            s.execute("CREATE DATABASE " + name);
            s.execute("REVOKE TEMPORARY ON DATABASE " + name + " FROM PUBLIC");
        }
        try (Connection c = DriverManager.getConnection(server.getJdbcUrl("postgres", name));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)");
        }
        return name;
    }

    private static DatabaseEndpoint endpoint(EmbeddedPostgres server, String name, DeploymentRegion region,
            String database) {
        return new DatabaseEndpoint(name, region, "jdbc:postgresql://localhost:" + server.getPort() + "/" + database,
                new Credentials("postgres", ""), new Credentials("geo_app", "app"));
    }

    private static void insert(TenantDataSource dataSource, String title, int count) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO listings (title) VALUES (?)")) {
            for (int i = 1; i <= count; i++) {
                ps.setString(1, title + " #" + i);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> owners(TenantDataSource dataSource) {
        List<String> owners = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT split_part(title, ' listing #', 1) FROM listings"
                        + " ORDER BY 1")) {
            while (rs.next()) {
                owners.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return owners;
    }
}
