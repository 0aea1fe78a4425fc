package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Moves to and from REGULATORY: a tenant whose market's rules now require a server of its own is moved online from the
 * shared endpoint to its dedicated server (a second PostgreSQL server), and back to MAXIMUM on the shared endpoint,
 * under a writer that inserts, updates, deletes and changes keys.
 */
class RegulatoryMoveTest {
    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "listings",
            "CREATE TABLE listings (id bigint PRIMARY KEY, title text NOT NULL, price numeric(12,2))"));

    private static EmbeddedPostgres dedicated;
    private static String db;
    private static TenantCatalog tenants;
    private static Tenant rising;
    private static Tenant bystander;
    private static TenantDataSource ds;

    @BeforeAll
    static void start() throws Exception {
        dedicated = PostgresFixture.start();
        db = PostgresFixture.newDatabase("regmove");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (tenant_id text NOT NULL, id bigint NOT NULL, title text NOT NULL,"
                    + " price numeric(12,2), PRIMARY KEY (tenant_id, id))");
        }
        tenants = InMemoryTenantCatalog.create();
        rising = TenantWork.active(tenants, "rising", "us-ca", IsolationLevel.BASIC);
        bystander = TenantWork.active(tenants, "bystander", "us-ca", IsolationLevel.BASIC);
        String url = "jdbc:postgresql://localhost:" + dedicated.getPort() + "/postgres";
        ds = IsolationFixture.builder(tenants, IsolationFixture.endpoint("main", DeploymentRegion.US_WEST, db))
                .dedicatedServer(new DedicatedServer("rising-west", rising.id(), DeploymentRegion.US_WEST, url,
                        new Credentials("postgres", "postgres")))
                .migrations(SchemaMigrations.of(MIGRATIONS)).protectTable("listings").maximumPoolSize(4)
                .connectionTimeout(java.time.Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        ds.close();
        dedicated.close();
    }

    @Test
    void aTenantMovesOnlineToItsDedicatedServerAndBackWithEveryAcknowledgedChange() throws Exception {
        ds.provision(rising.id(), "main");
        ds.provision(bystander.id(), "main");
        Churner moving = new Churner(ds, rising, 5);
        Churner other = new Churner(ds, bystander, 6);
        moving.seed(200);
        other.seed(40);
        assertThatThrownBy(() -> ds.move(bystander.id(), IsolationLevel.REGULATORY, "rising-west"))
                .as("a server dedicated to another tenant").isInstanceOf(IsolationException.class)
                .hasMessageContaining("dedicated to REGULATORY tenant 'rising'");
        assertThatThrownBy(() -> ds.move(rising.id(), IsolationLevel.REGULATORY, "main"))
                .as("REGULATORY on a shared endpoint").isInstanceOf(IsolationException.class)
                .hasMessageContaining("DedicatedServer");
        for (String[] hop : new String[][] {{"rising-west", "REGULATORY"}, {"main", "MAXIMUM"}}) {
            IsolationLevel to = IsolationLevel.valueOf(hop[1]);
            moving.start();
            other.start();
            Thread.sleep(80);
            MoveResult result = ds.move(rising.id(), to, hop[0]);
            Thread.sleep(80);
            moving.stop();
            other.stop();
            System.out.printf("move -> %s on %s: %d operations during it, caught up %d, pause %d ms, verified by %s%n",
                    to, hop[0], moving.operations, result.caughtUp(), result.writePause().toMillis(),
                    ds.moveJournal().lastVerification());
            assertThat(moving.failures).isEmpty();
            assertThat(other.failures).isEmpty();
            TenantPlacement now = ds.placement(rising.id()).orElseThrow();
            assertThat(now.level()).isEqualTo(to);
            assertThat(now.endpoint()).isEqualTo(hop[0]);
            assertThat(tenants.require(rising.id()).isolationLevel()).isEqualTo(to);
            assertThat(ds.moveJournal().lastVerification()).isEqualTo("changes");
            moving.assertExactlyItsRows();
            other.assertExactlyItsRows();
            String database = now.location();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + dedicated.getPort()
                    + "/postgres", "postgres", "postgres")) {
                assertThat(first(c, "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'"))
                        .as("the tenant's database is on the dedicated server exactly while it is REGULATORY")
                        .isEqualTo(to == IsolationLevel.REGULATORY ? "1" : "0");
            }
            try (Connection admin = ds.controlPlaneConnection("main")) {
                assertThat(first(admin, "SELECT count(*) FROM listings WHERE tenant_id = 'rising'"))
                        .as("no row of the tenant is left in the shared tables").isEqualTo("0");
            }
        }
        // a second instance finds the tenant where it is
        try (TenantDataSource second = IsolationFixture.builder(tenants,
                IsolationFixture.endpoint("main", DeploymentRegion.US_WEST, db))
                .dedicatedServer(new DedicatedServer("rising-west", rising.id(), DeploymentRegion.US_WEST,
                        "jdbc:postgresql://localhost:" + dedicated.getPort() + "/postgres",
                        new Credentials("postgres", "postgres")))
                .migrations(SchemaMigrations.of(MIGRATIONS)).protectTable("listings").build()) {
            assertThat(second.placement(rising.id()).orElseThrow().level()).isEqualTo(IsolationLevel.MAXIMUM);
            Churner seen = new Churner(second, rising, 7);
            seen.expected.putAll(moving.expected);
            seen.assertExactlyItsRows();
        }
    }
}
