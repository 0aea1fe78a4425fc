package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.Credentials;
import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.isolation.DedicatedServer;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One environment for the tests of this JVM: a tenant data source on the fixture's PostgreSQL with the listing tables
 * (shared and protected for BASIC, migrated for the others), one tenant per level plus a second BASIC tenant, a
 * dedicated server for the REGULATORY one, and a control-plane database with the checkpoint table. Feed ids are made
 * unique per test with {@link #feedId(String)}, so tests share the tables without seeing each other's rows.
 */
final class MlsFixture {
    static final byte[] KEY = "geo-mls-test-binding-key-of-32-bytes".getBytes(StandardCharsets.UTF_8);
    private static final AtomicInteger FEEDS = new AtomicInteger();
    private static MlsFixture instance;

    final TenantCatalog tenants = InMemoryTenantCatalog.create();
    final Map<IsolationLevel, Tenant> byLevel = new EnumMap<>(IsolationLevel.class);
    final Tenant otherBasic;
    final TenantDataSource dataSource;
    final PGSimpleDataSource controlPlane;
    final FeedCheckpointStore checkpoints;
    private final EmbeddedPostgres dedicated;

    private MlsFixture() throws SQLException {
        String db = PostgresFixture.newDatabase("mls");
        try (Connection c = PostgresFixture.admin(db)) {
            PostgresFixture.exec(c, ListingTables.sharedSql());
        }
        String control = PostgresFixture.newDatabase("mls_control");
        controlPlane = new PGSimpleDataSource();
        controlPlane.setURL(PostgresFixture.jdbcUrl(control));
        controlPlane.setUser("postgres");
        controlPlane.setPassword("postgres");
        checkpoints = FeedCheckpointStore.create(controlPlane, Clock.systemUTC());
        for (IsolationLevel level : IsolationLevel.values()) {
            byLevel.put(level, tenants.create(Tenant.builder(level.name().toLowerCase() + "-co").market("us-ca")
                    .organization("Org " + level).isolationLevel(level).state(TenantState.ACTIVE).build()));
        }
        otherBasic = tenants.create(Tenant.builder("other-co").market("us-ca").organization("Other")
                .isolationLevel(IsolationLevel.BASIC).state(TenantState.ACTIVE).build());
        dedicated = PostgresFixture.start();
        Credentials admin = new Credentials("postgres", "postgres");
        TenantDataSource.Builder builder = TenantDataSource.builder().tenants(tenants).markets(MarketCatalog.defaults())
                .bindingKey(KEY).endpoint(new DatabaseEndpoint("us-shared", DeploymentRegion.US_WEST,
                        PostgresFixture.jdbcUrl(db), admin, new Credentials(PostgresFixture.APP_ROLE, "app")))
                .dedicatedServer(new DedicatedServer("reg-us", byLevel.get(IsolationLevel.REGULATORY).id(),
                        DeploymentRegion.US_WEST, "jdbc:postgresql://localhost:" + dedicated.getPort() + "/postgres",
                        admin))
                .migrations(SchemaMigrations.of(List.of(ListingTables.migration(1)))).maximumPoolSize(4);
        ListingTables.TABLES.forEach(builder::protectTable);
        dataSource = builder.build();
        for (Tenant t : tenants.list()) {
            dataSource.provision(t.id());
        }
    }

    static synchronized MlsFixture get() throws SQLException {
        if (instance == null) {
            instance = new MlsFixture();
        }
        return instance;
    }

    static String feedId(String prefix) {
        return prefix + "-" + FEEDS.incrementAndGet();
    }

    Tenant tenant(IsolationLevel level) {
        return byLevel.get(level);
    }

    /** Runs {@code work} as {@code tenant} on one of its connections. */
    <T> T as(Tenant tenant, SqlWork<T> work) throws Exception {
        try (TenantContext.Scope scope = TenantContext.open(tenant); Connection c = dataSource.getConnection()) {
            return work.apply(c);
        }
    }

    /** The number {@code sql} returns, as {@code tenant}. */
    long count(Tenant tenant, String sql, Object... params) throws Exception {
        return as(tenant, c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The records counted by the control plane's checkpoint of a feed, -1 if none is recorded. */
    long checkpointRecords(String tenant, String feedId) throws SQLException {
        try (Connection c = controlPlane.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT records FROM " + FeedCheckpointStore.TABLE + " WHERE tenant_id = ? AND feed_id = ?")) {
            ps.setString(1, tenant);
            ps.setString(2, feedId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    ListingReplicator replicator(int batchSize) {
        return ListingReplicator.builder().listings(dataSource).tenants(tenants).checkpoints(checkpoints)
                .batchSize(batchSize).build();
    }

    /** SQL work on a connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T apply(Connection c) throws Exception;
    }

    /** A control plane that can be made to fail, as when its server goes away between two writes. */
    static final class Switchable extends org.postgresql.ds.PGSimpleDataSource {
        private static final long serialVersionUID = 1L;
        volatile boolean down;

        Switchable(PGSimpleDataSource of) {
            setURL(of.getURL());
            setUser(of.getUser());
            setPassword(of.getPassword());
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (down) {
                throw new SQLException("connection refused (control plane down)", "08001");
            }
            return super.getConnection();
        }
    }

    static void execAdmin(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
