package com.enterprisehub.geo.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.test.PostgresFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journals written before steps became {@code Step} lists resume after it. Each test writes, row for row, what
 * the previous {@code Platform} (commit 5b578c6, its steps run from the public step enums) stored when a
 * deployment died at LOCALIZATION_BUNDLES, a provisioning at ISOLATION and an offboarding at EXPORT — the rows
 * were read from a control plane that version had written — together with the resources its done steps had
 * made; then today's platform resumes each operation from that journal: the done steps are not run again (same
 * attempt, same start time, same evidence), the failed one is attempted a second time, the others run once, and
 * the journal keeps its order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JournalCompatibilityTest {
    static final MarketCatalog MARKETS = MarketCatalog.defaults();
    static final MarketId CA = MarketId.of("us-ca");
    static final String OPS = "ops@example.com";
    /** When the old process ran its steps. */
    static final Instant THEN = Instant.parse("2026-12-03T05:18:08.080274Z");

    @TempDir
    static Path cloudDir;
    static Cloud cloud;
    static String controlDb;
    static DataSource controlPlane;
    static JdbcTenantCatalog tenants;
    static TenantDataSource dataSource;

    @BeforeAll
    static void start() {
        cloud = Providers.fromClassPath().select(CloudProvider.class, "local")
                .open(ProviderContext.of(Map.of("directory", cloudDir.toString())));
        controlDb = PostgresFixture.newDatabase("compat");
        controlPlane = JdbcTenantCatalogTest.controlPlane(controlDb);
        tenants = JdbcTenantCatalog.open(controlPlane, PlatformEvents.create(), Clock.systemUTC());
        dataSource = Endpoints.builder(tenants, Endpoints.endpoint("us", DeploymentRegion.US_WEST,
                        PostgresFixture.newDatabase("compat_us")))
                .keyManagement(Platform.regionalKeys(cloud, MARKETS, controlPlane)).build();
    }

    @AfterAll
    static void stop() {
        dataSource.close();
    }

    static Platform platform() {
        return Platform.builder().markets(MARKETS).tenants(tenants).dataSource(dataSource).controlPlane(controlPlane)
                .cloud(cloud).build();
    }

    /** A row of geo_platform.steps as the old version wrote it (duration and times as it recorded them). */
    static void oldStep(String subject, String step, int ordinal, String status, String evidence, String error)
            throws SQLException {
        try (Connection c = PostgresFixture.admin(controlDb); PreparedStatement ps = c.prepareStatement("INSERT INTO"
                + " geo_platform.steps (subject, step, ordinal, status, attempts, started_at, finished_at,"
                + " duration_micros, evidence, error) VALUES (?, ?, ?, ?, 1, ?, ?, 12544, ?, ?)")) {
            ps.setString(1, subject);
            ps.setString(2, step);
            ps.setInt(3, ordinal);
            ps.setString(4, status);
            ps.setTimestamp(5, Timestamp.from(THEN));
            ps.setTimestamp(6, Timestamp.from(THEN.plusMillis(40)));
            ps.setString(7, evidence);
            ps.setString(8, error);
            ps.executeUpdate();
        }
    }

    static List<String> keys() throws IOException {
        Path dir = cloudDir.resolve("us_west/keys");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @Order(1)
    void aDeploymentTheOldVersionLeftHalfWayResumes() throws Exception {
        Platform platform = platform();
        platform.configure(CA, PlatformTest.complete(MARKETS.require(CA)), OPS);
        // What the old version's REGION, DATABASE_ENDPOINT and KEY_MATERIAL had done before LOCALIZATION_BUNDLES
        // failed: the market DEPLOYING in US_WEST, its master key created there, and its journal.
        String keyId = cloud.requireRegion(DeploymentRegion.US_WEST).keys().createKey("market-us-ca");
        try (Connection c = PostgresFixture.admin(controlDb); PreparedStatement ps = c.prepareStatement("INSERT INTO"
                + " geo_platform.markets (market, state, updated_at, readiness, region) VALUES ('us-ca', 'DEPLOYING',"
                + " ?, '{\"ready\": true, \"market\": \"us-ca\", \"region\": \"US_WEST\", \"blockers\": []}', 'US_WEST')")) {
            ps.setTimestamp(1, Timestamp.from(THEN));
            ps.executeUpdate();
        }
        oldStep("market:us-ca", "REGION", 0, "DONE", "US_WEST at " + cloudDir.resolve("us_west"), null);
        oldStep("market:us-ca", "DATABASE_ENDPOINT", 1, "DONE", "'us' in US_WEST: PostgreSQL 17.11", null);
        oldStep("market:us-ca", "KEY_MATERIAL", 2, "DONE", keyId, null);
        oldStep("market:us-ca", "LOCALIZATION_BUNDLES", 3, "FAILED", null,
                "GeoException: injected failure: object storage unavailable");
        assertThat(platform.state(CA)).isEqualTo(MarketState.DEPLOYING);

        Deployment deployment = platform.deploy(CA, OPS);

        assertThat(deployment.state()).isEqualTo(MarketState.LIVE);
        assertThat(deployment.steps()).extracting(StepRecord::step).containsExactly("REGION", "DATABASE_ENDPOINT",
                "KEY_MATERIAL", "LOCALIZATION_BUNDLES", "COMPLIANCE_PROFILE", "MLS_INTEGRATIONS", "GO_LIVE");
        assertThat(deployment.steps()).extracting(StepRecord::ordinal).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(deployment.steps()).extracting(StepRecord::attempts).containsExactly(1, 1, 1, 2, 1, 1, 1);
        assertThat(deployment.steps()).allMatch(s -> s.status() == StepStatus.DONE);
        // The old done steps were skipped, not run again: as the old version left them.
        assertThat(deployment.steps().subList(0, 3)).allMatch(s -> s.startedAt().equals(THEN))
                .extracting(StepRecord::evidence).containsExactly("US_WEST at " + cloudDir.resolve("us_west"),
                        "'us' in US_WEST: PostgreSQL 17.11", keyId);
        assertThat(deployment.steps().subList(3, 7)).noneMatch(s -> s.startedAt().equals(THEN));
        assertThat(keys()).containsExactly("market-us-ca.key");
        // The key the old journal recorded is the one the checklist proves.
        assertThat(platform.goLiveChecklist(CA).items()).filteredOn(i -> i.item().equals("Market master key usable"))
                .singleElement().satisfies(i -> assertThat(i.checked()).isTrue())
                .extracting(ChecklistItem::evidence).asString().startsWith(keyId);
    }

    @Test
    @Order(2)
    void aProvisioningAndAnOffboardingTheOldVersionLeftHalfWayResume() throws Exception {
        Tenant requested = Tenant.builder("acme").market("us-ca").organization("Acme")
                .isolationLevel(IsolationLevel.ENHANCED).build();
        // The old CATALOG step had stored the tenant; ISOLATION failed.
        tenants.create(requested);
        oldStep("tenant:acme", "CATALOG", 0, "DONE", "created in JdbcTenantCatalog(geo_platform.tenants)", null);
        oldStep("tenant:acme", "ISOLATION", 1, "FAILED", null,
                "GeoException: injected failure: key management unavailable");

        Platform platform = platform();
        assertThat(platform.provision(requested, OPS).state()).isEqualTo(TenantState.ACTIVE);
        assertThat(platform.journal(requested.id())).extracting(StepRecord::step, StepRecord::attempts,
                StepRecord::evidence).first().isEqualTo(org.assertj.core.groups.Tuple.tuple("CATALOG", 1,
                "created in JdbcTenantCatalog(geo_platform.tenants)"));
        assertThat(platform.journal(requested.id())).extracting(StepRecord::step).containsExactly("CATALOG",
                "ISOLATION", "DATA_KEY", "ACTIVATE");
        assertThat(platform.journal(requested.id())).extracting(StepRecord::attempts).containsExactly(1, 2, 1, 1);

        // The old OFFBOARD step had moved it to OFFBOARDING; EXPORT had created the export key, then failed.
        tenants.transition(requested.id(), TenantState.OFFBOARDING);
        cloud.requireRegion(DeploymentRegion.US_WEST).keys().createKey("export-acme");
        oldStep("tenant:acme", "OFFBOARD", 100, "DONE", "OFFBOARDING", null);
        oldStep("tenant:acme", "EXPORT", 101, "FAILED", null, "GeoException: injected failure: object storage"
                + " unavailable");

        TenantExport export = platform.offboard(requested.id(), OPS);

        assertThat(tenants.require(requested.id()).state()).isEqualTo(TenantState.DELETED);
        assertThat(export.tenant()).isEqualTo(requested.id());
        List<StepRecord> journal = platform.journal(requested.id());
        assertThat(journal).extracting(StepRecord::step).containsExactly("CATALOG", "ISOLATION", "DATA_KEY",
                "ACTIVATE", "OFFBOARD", "EXPORT", "ERASE", "DELETE");
        assertThat(journal).extracting(StepRecord::ordinal).containsExactly(0, 1, 2, 3, 100, 101, 102, 103);
        assertThat(journal).extracting(StepRecord::attempts).containsExactly(1, 2, 1, 1, 1, 2, 1, 1);
        assertThat(journal).allMatch(s -> s.status() == StepStatus.DONE);
        assertThat(journal.get(4).startedAt()).as("OFFBOARD not run again").isEqualTo(THEN);
        assertThat(keys()).as("the tenant's key destroyed, the export's created once")
                .containsExactly("export-acme.key", "market-us-ca.key");
    }
}
