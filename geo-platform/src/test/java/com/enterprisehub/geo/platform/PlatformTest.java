package com.enterprisehub.geo.platform;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.IllegalStateTransitionException;
import com.enterprisehub.geo.core.TenantSuspendedException;
import com.enterprisehub.geo.core.event.PlatformEvent;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.Credentials;
import com.enterprisehub.geo.isolation.DedicatedServer;
import com.enterprisehub.geo.isolation.MoveResult;
import com.enterprisehub.geo.isolation.TenantPlacement;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.platform.compliance.ComplianceConfiguration;
import com.enterprisehub.geo.platform.compliance.Contact;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.test.PostgresFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
 * End to end on embedded PostgreSQL and the local cloud: deploy the 12 seed markets (one blocked until its
 * configuration is complete), crash and resume a deployment and a provisioning, provision tenants at every
 * isolation level, suspend, resume and offboard one. The tests run in order on one control plane.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformTest {
    static final MarketCatalog MARKETS = MarketCatalog.defaults();
    static final String OPS = "ops@example.com";

    @TempDir
    static Path cloudDir;
    static Cloud cloud;
    static DataSource controlPlane;
    static JdbcTenantCatalog tenants;
    static TenantDataSource dataSource;
    static final AtomicInteger KEY_FAILURES = new AtomicInteger();
    static final List<PlatformEvent> EVENTS = Collections.synchronizedList(new ArrayList<>());
    static PlatformEvents events;

    @BeforeAll
    static void start() throws Exception {
        cloud = Providers.fromClassPath().select(CloudProvider.class, "local")
                .open(ProviderContext.of(Map.of("directory", cloudDir.toString())));
        controlPlane = JdbcTenantCatalogTest.controlPlane(PostgresFixture.newDatabase("control"));
        events = PlatformEvents.create();
        events.subscribe(EVENTS::add);
        tenants = JdbcTenantCatalog.open(controlPlane, events, java.time.Clock.systemUTC());
        List<String> databases = new ArrayList<>();
        for (String region : List.of("us", "ca", "eu", "au")) {
            String db = PostgresFixture.newDatabase(region);
            try (Connection c = PostgresFixture.admin(db)) {
                exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)");
            }
            databases.add(db);
        }
        String dedicated = PostgresFixture.newDatabase("dedicated");
        var regional = Platform.regionalKeys(cloud, MARKETS, controlPlane);
        dataSource = Endpoints.builder(tenants, Endpoints.endpoint("us", DeploymentRegion.US_WEST,
                        databases.get(0)))
                .endpoint(Endpoints.endpoint("ca", DeploymentRegion.CANADA, databases.get(1)))
                .endpoint(Endpoints.endpoint("eu", DeploymentRegion.EUROPE, databases.get(2)))
                .endpoint(Endpoints.endpoint("au", DeploymentRegion.ASIA_PACIFIC, databases.get(3)))
                .dedicatedServer(new DedicatedServer("lone-star-db", TenantId.of("lone-star"), DeploymentRegion.US_CENTRAL,
                        PostgresFixture.jdbcUrl(dedicated), new Credentials("postgres", "postgres")))
                .protectTable("listings")
                .migrations(SchemaMigrations.of(List.of(new Migration(1, "listings",
                        "CREATE TABLE listings (id bigserial PRIMARY KEY, title text NOT NULL)"))))
                .keyManagement(tenant -> Flaky.keyCreations(regional.apply(tenant), KEY_FAILURES))
                .events(events).build();
    }

    @AfterAll
    static void stop() {
        dataSource.close();
    }

    static Platform platform(Cloud cloud) {
        return Platform.builder().markets(MARKETS).tenants(tenants).dataSource(dataSource).controlPlane(controlPlane)
                .cloud(cloud).events(events)
                .tenantSchema(TenantSchema.builder().flag("ai.lead-scoring")
                        .setting("agents", TenantSchema.Type.INTEGER).build())
                .build();
    }

    /** A configuration meeting every requirement of the market's profile. */
    static ComplianceConfiguration complete(Market market) {
        ComplianceConfiguration.Builder b = ComplianceConfiguration.builder()
                .privacyOfficer(new Contact("Dana Reyes", "privacy@example.com"))
                .breachContact(new Contact("Security desk", "security@example.com"))
                .privacyNotice("https://example.com/privacy").optOutLink("https://example.com/opt-out")
                .electronicMarketingConsent(true).callConsent(true).brokerageName("Example Realty")
                .redressScheme("The Property Ombudsman");
        market.jurisdictions().forEach(j -> b.licenceNumber(j.code(), "LIC-" + j.code()).transferAssessment(j.code()));
        return b.build();
    }

    static Platform configured(Cloud cloud) {
        Platform platform = platform(cloud);
        MARKETS.markets().forEach(m -> platform.configure(m.id(), complete(m), OPS));
        return platform;
    }

    /** The market moved to {@code region}, with a residency rule that allows only that region. */
    static Market withResidency(Market m, DeploymentRegion region) {
        return new Market(m.id(), m.name(), m.tier(), region, m.currency(), m.locales(), m.timeZone(),
                m.jurisdictions(), m.cities(), m.size(), m.targetCustomers(), m.regulatoryComplexity(),
                m.competitionLevel(), m.revenueRange(), m.mlsIntegrations(), new com.enterprisehub.geo.core.market
                        .DataResidency(java.util.Set.of(region), m.dataResidency().restricted(),
                        m.dataResidency().basis()));
    }

    static List<Path> files(String relative) throws IOException {
        Path dir = cloudDir.resolve(relative);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    @Order(10)
    void aDeploymentThatDiesHalfWayResumesFromTheJournalWithNoDuplicate() throws Exception {
        MarketId fl = MarketId.of("us-fl");
        Platform dying = configured(Flaky.objectWrites(cloud, 1));
        assertThatThrownBy(() -> dying.deploy(fl, OPS)).isInstanceOf(PlatformException.class)
                .hasMessageContaining("LOCALIZATION_BUNDLES").hasMessageContaining("run the operation again");
        assertThat(dying.state(fl)).isEqualTo(MarketState.DEPLOYING);
        assertThat(dying.journal(fl)).extracting(StepRecord::step, StepRecord::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("REGION", StepStatus.DONE),
                org.assertj.core.groups.Tuple.tuple("DATABASE_ENDPOINT", StepStatus.DONE),
                org.assertj.core.groups.Tuple.tuple("KEY_MATERIAL", StepStatus.DONE),
                org.assertj.core.groups.Tuple.tuple("LOCALIZATION_BUNDLES", StepStatus.FAILED));
        assertThat(dying.liveMarkets()).isEmpty();

        // A process whose cloud offers another allowed region but not the recorded one: the deployment does not
        // move there half-way (no bundle or key is written in us_west).
        Cloud westOnly = com.enterprisehub.geo.cloud.local.LocalCloud.open(cloudDir,
                java.util.Set.of(DeploymentRegion.US_WEST));
        Platform elsewhere = platform(westOnly);
        Deployment refused = elsewhere.deploy(fl, OPS);
        assertThat(refused.state()).isEqualTo(MarketState.DEPLOYING);
        assertThat(refused.readiness().region()).isEmpty();
        assertThat(refused.readiness().blockers()).extracting(Finding::code).containsExactly("residency.recorded");
        assertThat(refused.readiness().blockers().get(0).message()).contains("was deployed in US_EAST");
        // Tenant keys follow the recorded region too: none is created in us_west for a Florida tenant.
        Tenant palmEarly = Tenant.builder("palm").market("us-fl").organization("Palm Realty").build();
        assertThatThrownBy(() -> Platform.regionalKeys(westOnly, MARKETS, controlPlane).apply(palmEarly))
                .isInstanceOf(PlatformException.class).hasMessageContaining("was deployed in US_EAST");
        assertThat(Platform.regionalKeys(cloud, MARKETS, controlPlane).apply(palmEarly))
                .isSameAs(cloud.requireRegion(DeploymentRegion.US_EAST).keys());
        assertThat(files("us_west")).isEmpty();
        // Nor where its residency rule no longer allows the recorded region.
        Market moved = MARKETS.require(fl);
        var onlyWest = com.enterprisehub.geo.core.market.MarketCatalog.of(MARKETS.markets().stream().map(m -> m.id()
                .equals(fl) ? withResidency(m, DeploymentRegion.US_WEST) : m).toList());
        Platform ruleChanged = Platform.builder().markets(onlyWest).tenants(tenants).dataSource(dataSource)
                .controlPlane(controlPlane).cloud(cloud).build();
        assertThat(ruleChanged.deploy(fl, OPS).readiness().blockers()).extracting(Finding::message).singleElement()
                .asString().contains("was deployed in US_EAST, which its residency rule no longer allows");
        assertThat(files("us_west")).isEmpty();
        assertThat(moved.dataResidency().permits(DeploymentRegion.US_EAST)).isTrue();

        // A new process: a new platform over the same control plane and cloud directory; the configurations
        // are read from the control plane, not supplied again.
        Cloud reopened = Providers.fromClassPath().select(CloudProvider.class, "local")
                .open(ProviderContext.of(Map.of("directory", cloudDir.toString())));
        Platform resumed = platform(reopened);
        assertThat(resumed.configuration(fl)).isEqualTo(complete(MARKETS.require(fl)));
        Deployment deployment = resumed.deploy(fl, OPS);
        assertThat(deployment.state()).isEqualTo(MarketState.LIVE);
        assertThat(deployment.steps()).extracting(StepRecord::step).containsExactly("REGION", "DATABASE_ENDPOINT",
                "KEY_MATERIAL", "LOCALIZATION_BUNDLES", "COMPLIANCE_PROFILE", "MLS_INTEGRATIONS", "GO_LIVE");
        assertThat(deployment.steps()).allMatch(s -> s.status() == StepStatus.DONE && s.duration().isPresent());
        assertThat(deployment.steps()).extracting(StepRecord::attempts).containsExactly(1, 1, 1, 2, 1, 1, 1);
        assertThat(files("us_east/keys")).extracting(p -> p.getFileName().toString()).containsExactly("market-us-fl.key");
        assertThat(reopened.requireRegion(DeploymentRegion.US_EAST).objects().list("markets/us-fl/"))
                .extracting(StoredObject::key).containsExactly("markets/us-fl/compliance/report.json",
                        "markets/us-fl/l10n/coverage.json", "markets/us-fl/l10n/messages_en.json",
                        "markets/us-fl/mls/miami-mls.json", "markets/us-fl/mls/stellar-mls.json");

        // The published bundle holds every message of the localization, as it reads them.
        var published = com.enterprisehub.geo.platform.internal.ConfigJson.readMap(new String(reopened
                .requireRegion(DeploymentRegion.US_EAST).objects().get("markets/us-fl/l10n/messages_en.json")
                .orElseThrow(), StandardCharsets.UTF_8));
        var localization = com.enterprisehub.geo.localization.Localization.defaults();
        assertThat(published).isEqualTo(localization.messageBundles(java.util.Locale.US).get("en"))
                .containsKeys(localization.keys().toArray(String[]::new));

        // Deploying a live market again changes nothing.
        assertThat(resumed.deploy(fl, OPS).steps()).isEqualTo(deployment.steps());
        // Once live, a residency rule that no longer allows its region stops new tenants and their keys.
        Platform ruleChangedLive = Platform.builder().markets(onlyWest).tenants(tenants).dataSource(dataSource)
                .controlPlane(controlPlane).cloud(cloud).build();
        Tenant palm = Tenant.builder("palm").market("us-fl").organization("Palm Realty").build();
        assertThatThrownBy(() -> ruleChangedLive.provision(palm, OPS)).isInstanceOf(PlatformException.class)
                .hasMessageContaining("no longer allows");
        assertThat(tenants.find(palm.id())).isEmpty();
        assertThatThrownBy(() -> Platform.regionalKeys(cloud, onlyWest, controlPlane).apply(palm))
                .isInstanceOf(PlatformException.class).hasMessageContaining("no longer allows");
        assertThat(ruleChangedLive.goLiveChecklist(fl).items()).filteredOn(i -> i.item().startsWith("Deployed in"))
                .singleElement().satisfies(i -> assertThat(i.checked()).isFalse())
                .extracting(ChecklistItem::evidence).asString().contains("no longer allows");
        assertThat(resumed.auditTrail(fl)).extracting(AuditEntry::actor).containsOnly(OPS);
    }

    @Test
    @Order(20)
    void aBlockedMarketShowsItsBlockersAndProvisionsNothing() throws Exception {
        Platform platform = platform(cloud);
        MarketId ca = MarketId.of("ca");
        platform.configure(ca, ComplianceConfiguration.none(), OPS);
        Deployment blocked = platform.deploy(ca, OPS);
        assertThat(blocked.state()).isEqualTo(MarketState.BLOCKED);
        assertThat(blocked.steps()).isEmpty();
        assertThat(blocked.readiness().blockers()).extracting(Finding::code)
                .contains("compliance.ca-qc.transfer-assessment")
                .allMatch(code -> code.startsWith("compliance."));
        assertThat(blocked.readiness().blockers()).filteredOn(f -> f.code().equals("compliance.ca-qc.transfer-assessment"))
                .singleElement().extracting(Finding::message).asString().contains("CA-ON");
        // Nothing configured: only what the deployment itself satisfies is met (data kept in Canada for PIPEDA).
        assertThat(blocked.readiness().compliance().with(com.enterprisehub.geo.platform.compliance.Status.MET))
                .extracting(r -> r.requirement().check().name()).containsOnly("TRANSFER_ASSESSMENT");
        assertThat(blocked.readiness().compliance().score()).hasValueSatisfying(s -> assertThat(s).isLessThan(
                java.math.BigDecimal.valueOf(0.2)));
        assertThat(files("canada")).isEmpty();

        Tenant maple = Tenant.builder("maple").market("ca").organization("Maple Homes").build();
        assertThatThrownBy(() -> platform.provision(maple, OPS)).isInstanceOf(MarketNotLiveException.class)
                .hasMessageContaining("BLOCKED").hasMessageContaining("[us-fl]");
        assertThat(tenants.find(maple.id())).isEmpty();

        // Completing the configuration (all but the Québec transfer assessment) leaves exactly that blocker.
        ComplianceConfiguration almost = complete(MARKETS.require(ca)).toBuilder().build();
        ComplianceConfiguration.Builder b = ComplianceConfiguration.builder();
        almost.licenceNumbers().forEach(b::licenceNumber);
        almost.transferAssessments().stream().filter(j -> !j.equals("CA-QC")).forEach(b::transferAssessment);
        platform.configure(ca, b.privacyOfficer(almost.privacyOfficer().orElseThrow())
                .breachContact(almost.breachContact().orElseThrow()).privacyNotice("https://example.com/privacy")
                .optOutLink("https://example.com/opt-out").electronicMarketingConsent(true).callConsent(true)
                .brokerageName("Example Realty").redressScheme("n/a").build(), OPS);
        assertThat(platform.assess(ca).blockers()).extracting(Finding::code)
                .containsExactly("compliance.ca-qc.transfer-assessment");
        platform.configure(ca, almost, OPS);
        assertThat(platform.deploy(ca, OPS).state()).isEqualTo(MarketState.LIVE);
        assertThat(platform.auditTrail(ca)).filteredOn(e -> e.action().equals("market.deploy"))
                .extracting(AuditEntry::detail).first().asString().startsWith("FAILED: blocked");
        assertThat(platform.auditTrail(ca)).extracting(AuditEntry::action).contains("compliance.configure");
    }

    @Test
    @Order(25)
    void twoProcessesDeployingOneMarketAtOnceRunEachStepOnce() throws Exception {
        MarketId ny = MarketId.of("us-ny");
        Platform slow = platform(Flaky.slowObjectWrites(cloud, 150));
        Platform impatient = Platform.builder().markets(MARKETS).tenants(tenants).dataSource(dataSource)
                .controlPlane(controlPlane).cloud(cloud).operationLockTimeout(java.time.Duration.ofMillis(50)).build();
        Platform patient = platform(cloud);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var first = pool.submit(() -> slow.deploy(ny, OPS));
            // Wait until the slow deployment is inside its steps (it holds the lock).
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (slow.journal(ny).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(slow.journal(ny)).as("the slow deployment started").isNotEmpty();
            assertThatThrownBy(() -> impatient.deploy(ny, OPS)).isInstanceOf(PlatformException.class)
                    .hasMessageContaining("Another operation on market:us-ny is running");
            var second = pool.submit(() -> patient.deploy(ny, OPS));
            assertThat(first.get(60, java.util.concurrent.TimeUnit.SECONDS).state()).isEqualTo(MarketState.LIVE);
            assertThat(second.get(60, java.util.concurrent.TimeUnit.SECONDS).state()).isEqualTo(MarketState.LIVE);
        } finally {
            pool.shutdownNow();
        }
        // The second process waited for the first and found every step done: none ran twice.
        assertThat(patient.journal(ny)).hasSize(7).extracting(StepRecord::attempts).containsOnly(1);
        assertThat(files("us_east/keys")).extracting(p -> p.getFileName().toString()).containsOnlyOnce(
                "market-us-ny.key");
    }

    /**
     * Processes waiting for a market's lock hold no control-plane connection while they wait: with a pool of
     * three (two of them the holder's) and HikariCP's shortest borrow timeout, four waiters and a reader all get
     * connections while the holder works, and every step still runs once.
     */
    @Test
    @Order(26)
    void waitersForTheLockDoNotDrainAPooledControlPlane() throws Exception {
        MarketId tx = MarketId.of("us-tx");
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setDataSource(controlPlane);
        config.setMaximumPoolSize(3);
        config.setConnectionTimeout(250);
        config.setPoolName("control-plane-test");
        var executor = java.util.concurrent.Executors.newFixedThreadPool(5);
        try (com.zaxxer.hikari.HikariDataSource pooled = new com.zaxxer.hikari.HikariDataSource(config)) {
            java.util.function.Function<Cloud, Platform> onPool = c -> Platform.builder().markets(MARKETS)
                    .tenants(tenants).dataSource(dataSource).controlPlane(pooled).cloud(c).build();
            Platform slow = onPool.apply(Flaky.slowObjectWrites(cloud, 300));
            MARKETS.markets().forEach(m -> slow.configure(m.id(), complete(m), OPS));
            var first = executor.submit(() -> slow.deploy(tx, OPS));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (slow.journal(tx).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(slow.journal(tx)).as("the slow deployment started").isNotEmpty();
            Platform patient = onPool.apply(cloud);
            List<java.util.concurrent.Future<Deployment>> waiters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiters.add(executor.submit(() -> patient.deploy(tx, OPS)));
            }
            int readsWhileHeld = 0;
            while (!first.isDone()) {
                assertThat(patient.configuration(tx)).as("a read through the pool while four processes wait")
                        .isEqualTo(complete(MARKETS.require(tx)));
                if (!first.isDone()) {
                    readsWhileHeld++;
                }
                Thread.sleep(20);
            }
            assertThat(readsWhileHeld).as("reads done while the lock was held").isGreaterThan(0);
            assertThat(first.get().state()).isEqualTo(MarketState.LIVE);
            for (var waiter : waiters) {
                assertThat(waiter.get(60, java.util.concurrent.TimeUnit.SECONDS).state()).isEqualTo(MarketState.LIVE);
            }
            assertThat(patient.journal(tx)).hasSize(7).extracting(StepRecord::attempts).containsOnly(1);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    @Order(30)
    void allTwelveSeedMarketsDeployAndGoLive() {
        Platform platform = configured(cloud);
        for (Market market : MARKETS.markets()) {
            Deployment d = platform.deploy(market.id(), OPS);
            assertThat(d.state()).as(market.id() + ": " + d.readiness().blockers()).isEqualTo(MarketState.LIVE);
        }
        assertThat(platform.liveMarkets()).hasSize(12);

        MarketId ca = MarketId.of("us-ca");
        Checklist before = platform.goLiveChecklist(ca);
        assertThat(before.items()).filteredOn(i -> !i.checked()).extracting(ChecklistItem::item)
                .containsExactly("MLS feed crmls configured with credentials");
        cloud.requireRegion(DeploymentRegion.US_WEST).secrets().put("mls/crmls/client-id", "geo-client");
        cloud.requireRegion(DeploymentRegion.US_WEST).secrets().put("mls/crmls/client-secret", "s3cret-9f2e");
        Checklist after = platform.goLiveChecklist(ca);
        assertThat(after.complete()).as(after.items().toString()).isTrue();
        assertThat(after.steps()).hasSize(7).allMatch(s -> s.duration().isPresent());
        assertThat(platform.assess(ca).recommendations()).extracting(Finding::code).doesNotContain("mls.credentials");

        // Evidence is what was found: deleting a published bundle unchecks that item.
        cloud.requireRegion(DeploymentRegion.US_WEST).objects().delete("markets/us-ca/l10n/messages_en.json");
        assertThat(platform.goLiveChecklist(ca).items()).filteredOn(i -> !i.checked()).singleElement()
                .extracting(ChecklistItem::evidence).asString().contains("missing or stale: [en]");
    }

    @Test
    @Order(40)
    void tenantsAreProvisionedAtEveryIsolationLevel() throws Exception {
        Platform platform = configured(cloud);
        Map<String, Tenant> requested = Map.of(
                "acme", tenant("acme", "us-ca", IsolationLevel.BASIC),
                "crown", tenant("crown", "gb", IsolationLevel.ENHANCED),
                "kanga", tenant("kanga", "au", IsolationLevel.MAXIMUM),
                "lone-star", tenant("lone-star", "us-tx", IsolationLevel.REGULATORY));
        for (Tenant t : requested.values()) {
            Tenant provisioned = platform.provision(t, OPS);
            assertThat(provisioned.state()).isEqualTo(TenantState.ACTIVE);
            Checklist onboarding = platform.onboardingChecklist(t.id());
            assertThat(onboarding.complete()).as(onboarding.items().toString()).isTrue();
            assertThat(platform.journal(t.id())).extracting(StepRecord::step)
                    .containsExactly("CATALOG", "ISOLATION", "DATA_KEY", "ACTIVATE");
            assertThat(dataSource.placement(t.id()).orElseThrow().level()).isEqualTo(t.isolationLevel());
            assertThat(platform.provision(t, OPS)).as("idempotent").isEqualTo(provisioned);
        }
        assertThat(dataSource.placement(TenantId.of("lone-star")).orElseThrow().endpoint()).isEqualTo("lone-star-db");
        // Each tenant's master key lives in its market's region.
        Map.of("acme", "us_west", "crown", "europe", "kanga", "asia_pacific", "lone-star", "us_central").forEach(
                (tenant, region) -> {
                    for (String r : List.of("us_west", "us_east", "us_central", "canada", "europe", "asia_pacific")) {
                        var names = unchecked(() -> files(r + "/keys")).stream().map(p -> p.getFileName().toString());
                        assertThat(names.filter(("tenant-" + tenant + ".key")::equals).count()).as(tenant + " in " + r)
                                .isEqualTo(r.equals(region) ? 1 : 0);
                    }
                });
        assertThat(EVENTS).filteredOn(e -> e instanceof PlatformStepEvent s && s.subject().equals("tenant:acme")
                && s.status() == StepStatus.DONE).extracting(e -> ((PlatformStepEvent) e).step())
                .containsExactly("CATALOG", "ISOLATION", "DATA_KEY", "ACTIVATE", "provision", "provision");
    }

    @Test
    @Order(45)
    void aTenantsOwnConfigurationCompletesItsMarketsAndIsEvaluated() {
        Platform platform = configured(cloud);
        MarketId gb = MarketId.of("gb");
        TenantId crown = TenantId.of("crown");
        ComplianceConfiguration full = complete(MARKETS.require(gb));
        ComplianceConfiguration.Builder noRedress = ComplianceConfiguration.builder()
                .privacyOfficer(full.privacyOfficer().orElseThrow()).breachContact(full.breachContact().orElseThrow())
                .privacyNotice("https://example.com/privacy").optOutLink("https://example.com/opt-out")
                .electronicMarketingConsent(true).callConsent(true).brokerageName("Example Realty");
        full.licenceNumbers().forEach(noRedress::licenceNumber);
        full.transferAssessments().forEach(noRedress::transferAssessment);
        platform.configure(gb, noRedress.build(), OPS);

        var report = platform.compliance(crown);
        assertThat(report.subject()).isEqualTo("tenant crown");
        assertThat(report.with(com.enterprisehub.geo.platform.compliance.Status.NOT_MET))
                .extracting(r -> r.requirement().id()).containsExactly("gb.redress-scheme");
        assertThat(platform.onboardingChecklist(crown).items()).filteredOn(i -> !i.checked())
                .extracting(ChecklistItem::evidence).singleElement().asString().contains("gb.redress-scheme");

        // The tenant belongs to a redress scheme itself: its configuration completes the market's.
        ComplianceConfiguration own = ComplianceConfiguration.builder().redressScheme("The Property Ombudsman")
                .licenceNumber("GB-ENG", "CROWN-1").build();
        platform.configure(crown, own, "compliance@crown.example");
        assertThat(platform.compliance(crown).compliant()).isTrue();
        assertThat(platform.onboardingChecklist(crown).complete()).isTrue();
        assertThat(platform.assess(gb).blockers()).extracting(Finding::code).containsExactly("compliance.gb.redress-scheme");
        // Stored in the control plane: another instance reads the same configuration back.
        assertThat(platform(cloud).configuration(crown)).isEqualTo(own);
        assertThat(platform.configuration(crown).over(platform.configuration(gb)).licenceNumbers())
                .containsEntry("GB-ENG", "CROWN-1").containsEntry("GB-SCT", "LIC-GB-SCT");
        assertThat(platform.auditTrail(crown)).extracting(AuditEntry::actor).contains("compliance@crown.example");
        assertThatThrownBy(() -> platform.configure(TenantId.of("nobody"), own, OPS))
                .isInstanceOf(com.enterprisehub.geo.core.UnknownTenantException.class);
        platform.configure(gb, full, OPS);
    }

    static Tenant tenant(String id, String market, IsolationLevel level) {
        return Tenant.builder(id).market(market).organization("Org " + id).isolationLevel(level)
                .feature("ai.lead-scoring", true).config("agents", 12).build();
    }

    @Test
    @Order(50)
    void aTenantOutsideTheSchemaIsRefusedWithEveryProblem() {
        Platform platform = configured(cloud);
        Tenant odd = Tenant.builder("odd").market("us-ca").organization("Odd").feature("beta.maps", true)
                .config("agents", "twelve").config("colour", "blue").build();
        assertThatThrownBy(() -> platform.provision(odd, OPS)).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("feature flag 'beta.maps' is not declared")
                .hasMessageContaining("setting 'agents' must be INTEGER")
                .hasMessageContaining("setting 'colour' is not declared");
        assertThat(tenants.find(odd.id())).isEmpty();
    }

    @Test
    @Order(60)
    void aProvisioningThatDiesHalfWayResumes() throws Exception {
        Platform platform = configured(cloud);
        Tenant phoenix = tenant("phoenix", "us-az", IsolationLevel.ENHANCED);
        int keysBefore = files("us_west/keys").size();
        KEY_FAILURES.set(1);
        assertThatThrownBy(() -> platform.provision(phoenix, OPS)).isInstanceOf(PlatformException.class)
                .hasMessageContaining("ISOLATION");
        assertThat(tenants.require(phoenix.id()).state()).isEqualTo(TenantState.PROVISIONING);
        assertThat(dataSource.placement(phoenix.id())).isEmpty();

        Tenant done = configured(cloud).provision(phoenix, OPS);
        assertThat(done.state()).isEqualTo(TenantState.ACTIVE);
        assertThat(platform.journal(phoenix.id())).extracting(StepRecord::attempts).containsExactly(1, 2, 1, 1);
        assertThat(files("us_west/keys")).hasSize(keysBefore + 1).extracting(p -> p.getFileName().toString())
                .containsOnlyOnce("tenant-phoenix.key");
    }

    @Test
    @Order(65)
    void aTenantIsMovedToItsOwnDatabaseWithItsRowsItsKeyAndAnAuditTrail() throws Exception {
        Platform platform = configured(cloud);
        Tenant crown = tenants.require(TenantId.of("crown"));
        insert(crown, "Mews house");
        insert(crown, "Flat in Leith");
        String sealed = TenantContext.call(crown, () -> dataSource.cipher().encryptText("owner: A. Smith"));
        TenantPlacement before = dataSource.placement(crown.id()).orElseThrow();
        assertThat(before.level()).isEqualTo(IsolationLevel.ENHANCED);

        MoveResult moved = platform.move(crown.id(), IsolationLevel.MAXIMUM, before.endpoint(), OPS);

        assertThat(moved.from()).isEqualTo(before);
        TenantPlacement after = dataSource.placement(crown.id()).orElseThrow();
        assertThat(after.level()).isEqualTo(IsolationLevel.MAXIMUM);
        assertThat(after.location()).isNotEqualTo(before.location());
        assertThat(tenants.require(crown.id()).isolationLevel()).as("the catalog follows").isEqualTo(IsolationLevel.MAXIMUM);
        assertThat(moved.rows()).containsEntry("listings", 2L);
        Tenant now = tenants.require(crown.id());
        assertThat(TenantContext.call(now, () -> {
            try (Connection c = dataSource.getConnection(); var s = c.createStatement();
                    var rs = s.executeQuery("SELECT string_agg(title, ',' ORDER BY title), current_database()"
                            + " FROM listings")) {
                rs.next();
                return rs.getString(1) + "@" + rs.getString(2);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        })).isEqualTo("Flat in Leith,Mews house@" + after.location());
        assertThat(TenantContext.call(now, () -> dataSource.cipher().decryptText(sealed))).as("its key followed it")
                .isEqualTo("owner: A. Smith");
        insert(now, "Written after the move");
        assertThat(platform.auditTrail(crown.id())).filteredOn(e -> e.action().equals("tenant.move"))
                .extracting(AuditEntry::actor, e -> e.detail().startsWith("DONE: ENHANCED on '" + before.endpoint()
                        + "' -> MAXIMUM"))
                .contains(org.assertj.core.groups.Tuple.tuple(OPS, true));
        MoveResult again = platform.move(crown.id(), IsolationLevel.MAXIMUM, before.endpoint(), OPS);
        assertThat(again.to()).as("moving it where it is does nothing").isEqualTo(again.from());
        // a finished move leaves nothing to cancel, and the attempt is in the audit trail
        assertThat(platform.cancelMove(crown.id(), OPS)).isFalse();
        assertThat(platform.auditTrail(crown.id())).filteredOn(e -> e.action().equals("tenant.move.cancel"))
                .extracting(AuditEntry::detail).contains("DONE: no unfinished move");
        assertThat(dataSource.placement(crown.id()).orElseThrow()).isEqualTo(after);
    }

    @Test
    @Order(70)
    void aTenantIsSuspendedResumedAndOffboarded() throws Exception {
        Platform platform = configured(cloud);
        Tenant acme = tenants.require(TenantId.of("acme"));
        insert(acme, "Loft on 5th");
        insert(acme, "Bungalow");

        platform.suspend(acme.id(), "support@example.com");
        assertThatThrownBy(() -> insert(tenants.require(acme.id()), "refused"))
                .hasRootCauseInstanceOf(TenantSuspendedException.class);
        platform.resume(acme.id(), "support@example.com");
        insert(tenants.require(acme.id()), "Cottage");

        // A value the host encrypted with the tenant's own key, as it would a sensitive column.
        String sealed = TenantContext.call(tenants.require(acme.id()), () -> dataSource.cipher()
                .encryptText("owner: J. Doe"));
        insert(tenants.require(acme.id()), sealed);

        TenantExport export = platform.offboard(acme.id(), OPS);
        assertThat(tenants.require(acme.id()).state()).isEqualTo(TenantState.DELETED);
        assertThat(export.region()).isEqualTo(DeploymentRegion.US_WEST);
        assertThat(export.tables()).containsExactly(Map.entry("public.listings", 4L));
        byte[] stored = cloud.requireRegion(DeploymentRegion.US_WEST).objects().get(export.rows().key()).orElseThrow();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("Loft on 5th", "listings", "acme");

        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        platform.readExport(acme.id(), plain, OPS);
        String jsonl = plain.toString(StandardCharsets.UTF_8);
        assertThat(jsonl.lines()).hasSize(4).allMatch(l -> l.contains("public.listings")
                && l.contains("\"tenant_id\":\"acme\""));
        assertThat(jsonl).contains("Loft on 5th", "Bungalow", "Cottage", sealed).doesNotContain("J. Doe");
        // The tenant's key is destroyed, but the export keeps a copy: its encrypted values stay readable.
        assertThat(dataSource.placement(acme.id())).isEmpty();
        assertThat(files("us_west/keys")).extracting(p -> p.getFileName().toString()).doesNotContain("tenant-acme.key");
        assertThat(platform.exportCipher(acme.id(), "dpo@example.com").decryptText(sealed)).isEqualTo("owner: J. Doe");
        assertThat(platform.offboard(acme.id(), OPS)).as("resumable and idempotent").isEqualTo(export);

        // An altered or truncated export is refused, never read as if whole.
        Path rows = cloudDir.resolve("us_west/objects/" + export.rows().key());
        Path manifest = cloudDir.resolve("us_west/objects/" + export.manifest().key());
        byte[] original = Files.readAllBytes(rows);
        byte[] altered = original.clone();
        altered[altered.length / 2] ^= 1;
        Files.write(rows, altered);
        assertThatThrownBy(() -> platform.readExport(acme.id(), java.io.OutputStream.nullOutputStream(), OPS))
                .isInstanceOf(PlatformException.class).hasMessageContaining("does not decrypt");
        Files.write(rows, java.util.Arrays.copyOf(original, original.length - 40));
        assertThatThrownBy(() -> platform.readExport(acme.id(), java.io.OutputStream.nullOutputStream(), OPS))
                .isInstanceOf(PlatformException.class).hasMessageContaining("cut short");
        Files.write(rows, original);

        // The manifest is not trusted: one altered to point elsewhere is refused, and deleting the export acts
        // on what the control plane recorded only (another tenant's key, named in a forged manifest, survives).
        byte[] manifestCopy = Files.readAllBytes(manifest);
        String forged = new String(manifestCopy, StandardCharsets.UTF_8)
                .replace("\"tenant\" : \"acme\"", "\"tenant\" : \"phoenix\"")
                .replaceAll("local/us_west/export-acme", "local/us_west/tenant-phoenix");
        assertThat(forged).isNotEqualTo(new String(manifestCopy, StandardCharsets.UTF_8));
        Files.writeString(manifest, forged);
        assertThatThrownBy(() -> platform.readExport(acme.id(), java.io.OutputStream.nullOutputStream(), OPS))
                .isInstanceOf(PlatformException.class).hasMessageContaining("was altered");
        assertThatThrownBy(() -> platform.deleteExport(TenantId.of("phoenix"), OPS))
                .isInstanceOf(PlatformException.class).hasMessageContaining("offboarding has finished");

        // Deleting the export destroys its key: a copy left behind (a backup) can no longer be read.
        assertThat(files("us_west/keys")).extracting(p -> p.getFileName().toString()).contains("export-acme.key");
        platform.deleteExport(acme.id(), OPS);
        platform.deleteExport(acme.id(), OPS);
        assertThat(platform.export(acme.id())).isEmpty();
        assertThat(files("us_west/keys")).extracting(p -> p.getFileName().toString()).contains("tenant-phoenix.key");
        assertThat(files("us_west/keys")).extracting(p -> p.getFileName().toString()).doesNotContain("export-acme.key");
        assertThat(Files.exists(rows)).isFalse();
        assertThatThrownBy(() -> platform.readExport(acme.id(), java.io.OutputStream.nullOutputStream(), OPS))
                .isInstanceOf(PlatformException.class).hasMessageContaining("has no export");
        assertThatThrownBy(() -> platform.exportCipher(acme.id(), "dpo@example.com")).isInstanceOf(PlatformException.class);
        var backup = com.enterprisehub.geo.platform.internal.ConfigJson.MAPPER.readTree(manifestCopy).path("encryption");
        for (String wrapped : List.of("contentKey", "tenantDataKey")) {
            assertThatThrownBy(() -> cloud.requireRegion(DeploymentRegion.US_WEST).keys().unwrap(
                    backup.path("exportKeyId").asText(), java.util.Base64.getDecoder().decode(backup.path(wrapped)
                            .asText()), wrapped.equals("contentKey") ? "export:acme" : "export-data-key:acme"))
                    .as("a backed-up " + wrapped).hasMessageContaining("does not exist");
        }

        assertThatThrownBy(() -> platform.suspend(acme.id(), OPS)).isInstanceOf(IllegalStateTransitionException.class);
        assertThat(platform.auditTrail(acme.id())).extracting(AuditEntry::actor)
                .contains("support@example.com", OPS);
        assertThat(platform.auditTrail(acme.id())).extracting(AuditEntry::action)
                .contains("tenant.suspend", "tenant.resume", "step.EXPORT", "step.ERASE", "tenant.offboard",
                        "tenant.export-read", "tenant.export-cipher", "tenant.export-delete");
        assertThat(platform.auditTrail(acme.id())).extracting(AuditEntry::actor).contains("dpo@example.com");
    }

    static <T> T unchecked(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void insert(Tenant tenant, String title) throws SQLException {
        TenantContext.call(tenant, () -> {
            try (Connection c = dataSource.getConnection()) {
                exec(c, "INSERT INTO listings (title) VALUES ('" + title + "')");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
    }
}
