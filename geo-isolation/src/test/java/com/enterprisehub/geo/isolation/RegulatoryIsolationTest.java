package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.event.PlatformEvent;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** REGULATORY: a dedicated server for the tenant, in its market's region, and nowhere else. */
class RegulatoryIsolationTest {
    private static final List<PlatformEvent> EVENTS = Collections.synchronizedList(new ArrayList<>());
    private static EmbeddedPostgres london;
    private static EmbeddedPostgres virginia;
    private static TenantCatalog tenants;
    private static TenantDataSource dataSource;
    private static Tenant crown;
    private static Tenant tower;
    private static Tenant eagle;
    private static Tenant shared;
    private static String euDb;

    @BeforeAll
    static void start() throws Exception {
        london = PostgresFixture.start();
        virginia = PostgresFixture.start();
        String db = PostgresFixture.newDatabase("regulatory");
        euDb = PostgresFixture.newDatabase("regulatory_eu");
        tenants = InMemoryTenantCatalog.create();
        crown = TenantWork.active(tenants, "crown", "gb", IsolationLevel.REGULATORY);
        tower = TenantWork.active(tenants, "tower", "gb", IsolationLevel.REGULATORY);
        eagle = TenantWork.active(tenants, "eagle", "us-ca", IsolationLevel.REGULATORY);
        shared = TenantWork.active(tenants, "shared", "us-ca", IsolationLevel.BASIC);
        PlatformEvents events = PlatformEvents.create();
        events.subscribe(EVENTS::add);
        dataSource = builder(db).events(events).build();
    }

    private static TenantDataSource.Builder builder(String db) {
        Credentials admin = new Credentials("postgres", "postgres");
        return IsolationFixture.builder(tenants, IsolationFixture.endpoint("us-shared", DeploymentRegion.US_WEST, db))
                .endpoint(IsolationFixture.endpoint("eu-shared", DeploymentRegion.EUROPE, euDb))
                .migrations(SchemaMigrations.of(List.of(MaximumIsolationTest.LISTINGS)))
                .dedicatedServer(new DedicatedServer("crown-uk", crown.id(), DeploymentRegion.EUROPE, url(london), admin))
                // misregistered on purpose: tower is a UK tenant, this server is in the US
                .dedicatedServer(new DedicatedServer("tower-us", tower.id(), DeploymentRegion.US_EAST, url(virginia),
                        admin))
                // in a region US residency allows, but not us-ca's own (US_WEST)
                .dedicatedServer(new DedicatedServer("eagle-east", eagle.id(), DeploymentRegion.US_EAST, url(virginia),
                        admin));
    }

    private static String url(EmbeddedPostgres server) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
    }

    @AfterAll
    static void stop() throws Exception {
        dataSource.close();
        london.close();
        virginia.close();
    }

    @Test
    void theTenantsDataLivesInItsOwnDatabaseOnItsDedicatedServerOnly() throws Exception {
        TenantPlacement placement = dataSource.provision(crown.id());
        assertThat(placement.endpoint()).isEqualTo("crown-uk");
        assertThat(placement.level()).isEqualTo(IsolationLevel.REGULATORY);
        as(crown, () -> {
            try (Connection c = dataSource.getConnection()) {
                exec(c, "INSERT INTO listings (title) VALUES ('Mayfair flat')");
                assertThat(first(c, "SELECT inet_server_port()")).isEqualTo(String.valueOf(london.getPort()));
            }
            return null;
        });
        try (Connection onLondon = DriverManager.getConnection(url(london).replace("/postgres", "/"
                + placement.location()), "postgres", "postgres")) {
            assertThat(first(onLondon, "SELECT count(*) FROM listings")).isEqualTo("1");
        }
        try (Connection onShared = PostgresFixture.admin("postgres")) {
            assertThat(first(onShared, "SELECT count(*) FROM pg_database WHERE datname = '" + placement.location()
                    + "'")).isEqualTo("0");
        }
        // A restarted instance finds the placement in the dedicated server's control plane.
        try (TenantDataSource restarted = builder(PostgresFixture.newDatabase("regulatory_again")).build()) {
            assertThat(restarted.placement(crown.id())).contains(placement);
            assertThat(as(crown, () -> {
                try (Connection c = restarted.getConnection()) {
                    return first(c, "SELECT title FROM listings");
                }
            })).isEqualTo("Mayfair flat");
        }
    }

    @Test
    void aDedicatedServerOutsideTheMarketsRegionsIsRefusedWithASecurityEvent() {
        EVENTS.clear();
        assertThatThrownBy(() -> dataSource.provision(tower.id())).isInstanceOf(ResidencyViolationException.class)
                .hasMessageContaining("tower-us").hasMessageContaining("US_EAST");
        assertThat(EVENTS).singleElement().satisfies(e -> assertThat(((SecurityEvent) e).tenant()).isEqualTo("tower"));
        assertThat(dataSource.placement(tower.id())).isEmpty();
    }

    @Test
    void aDedicatedServerMustBeInTheMarketsOwnRegion() {
        assertThatThrownBy(() -> dataSource.provision(eagle.id())).isInstanceOf(IsolationException.class)
                .hasMessageContaining("US_WEST").hasMessageContaining("eagle-east");
    }

    @Test
    void aDedicatedServerHoldsNoOtherTenantAndARegulatoryTenantNoSharedEndpoint() {
        Tenant neighbour = TenantWork.active(tenants, "neighbour", "gb", IsolationLevel.MAXIMUM);
        assertThatThrownBy(() -> dataSource.provision(neighbour.id(), "crown-uk"))
                .isInstanceOf(IsolationException.class).hasMessageContaining("dedicated to REGULATORY tenant 'crown'");
        assertThatThrownBy(() -> dataSource.provision(crown.id(), "eu-shared")).isInstanceOf(IsolationException.class)
                .hasMessageContaining("DedicatedServer");
        assertThat(dataSource.provision(shared.id()).endpoint()).isEqualTo("us-shared");
    }

    @Test
    void aTenantWithoutADedicatedServerIsToldToRegisterOne() {
        Tenant lonely = TenantWork.active(tenants, "lonely", "au", IsolationLevel.REGULATORY);
        assertThatThrownBy(() -> dataSource.provision(lonely.id())).isInstanceOf(IsolationException.class)
                .hasMessageContaining("register a DedicatedServer").hasMessageContaining("ASIA_PACIFIC");
        assertThat(MarketCatalog.defaults().require(lonely.market()).region()).isEqualTo(DeploymentRegion.ASIA_PACIFIC);
    }
}
