package com.enterprisehub.geo.platform;

import static com.enterprisehub.geo.isolation.PostgresFixture.exec;
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
import com.enterprisehub.geo.core.spi.Cloud;
import com.enterprisehub.geo.core.spi.CloudProvider;
import com.enterprisehub.geo.core.spi.Providers;
import com.enterprisehub.geo.core.spi.StoredObject;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.Credentials;
import com.enterprisehub.geo.isolation.DedicatedServer;
import com.enterprisehub.geo.isolation.PostgresFixture;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.platform.compliance.ComplianceConfiguration;
import com.enterprisehub.geo.platform.compliance.Contact;
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
                .open(Map.of("directory", cloudDir.toString()));
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
        dataSource = PostgresFixture.builder(tenants, PostgresFixture.endpoint("us", DeploymentRegion.US_WEST,
                        databases.get(0)))
                .endpoint(PostgresFixture.endpoint("ca", DeploymentRegion.CANADA, databases.get(1)))
                .endpoint(PostgresFixture.endpoint("eu", DeploymentRegion.EUROPE, databases.get(2)))
                .endpoint(PostgresFixture.endpoint("au", DeploymentRegion.ASIA_PACIFIC, databases.get(3)))
                .dedicatedServer(new DedicatedServer("lone-star-db", TenantId.of("lone-star"), DeploymentRegion.US_CENTRAL,
                        PostgresFixture.jdbcUrl(dedicated), new Credentials("postgres", "postgres")))
                .protectTable("listings")
                .migrations(SchemaMigrations.of(List.of(new Migration(1, "listings",
                        "CREATE TABLE listings (id bigserial PRIMARY KEY, title text NOT NULL)"))))
                .keyManagement(Flaky.keyCreations(cloud.requireRegion(DeploymentRegion.US_EAST).keys(), KEY_FAILURES))
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
        MARKETS.markets().forEach(m -> platform.configure(m.id(), complete(m)));
        return platform;
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
    @Order(1)
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

        // A new process: a new platform over the same control plane and cloud directory.
        Cloud reopened = Providers.fromClassPath().select(CloudProvider.class, "local")
                .open(Map.of("directory", cloudDir.toString()));
        Platform resumed = configured(reopened);
        Deployment deployment = resumed.deploy(fl, OPS);
        assertThat(deployment.state()).isEqualTo(MarketState.LIVE);
        assertThat(deployment.steps()).extracting(StepRecord::step).containsExactly("REGION", "DATABASE_ENDPOINT",
                "KEY_MATERIAL", "LOCALIZATION_BUNDLES", "COMPLIANCE_PROFILE", "MLS_INTEGRATIONS", "GO_LIVE");
        assertThat(deployment.steps()).allMatch(s -> s.status() == StepStatus.DONE && s.duration().isPresent());
        assertThat(deployment.steps()).extracting(StepRecord::attempts).containsExactly(1, 1, 1, 2, 1, 1, 1);
        assertThat(files("us_east/keys")).extracting(p -> p.getFileName().toString()).containsExactly("market-us-fl.key");
        assertThat(reopened.requireRegion(DeploymentRegion.US_EAST).objects().list("markets/us-fl/"))
                .extracting(StoredObject::key).containsExactly("markets/us-fl/compliance/report.json",
                        "markets/us-fl/l10n/coverage.json", "markets/us-fl/l10n/messages_en.properties",
                        "markets/us-fl/mls/miami-mls.json", "markets/us-fl/mls/stellar-mls.json");

        // Deploying a live market again changes nothing.
        assertThat(resumed.deploy(fl, OPS).steps()).isEqualTo(deployment.steps());
        assertThat(resumed.auditTrail(fl)).extracting(AuditEntry::actor).containsOnly(OPS);
    }

    @Test
    @Order(2)
    void aBlockedMarketShowsItsBlockersAndProvisionsNothing() throws Exception {
        Platform platform = platform(cloud);
        MarketId ca = MarketId.of("ca");
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
                .brokerageName("Example Realty").redressScheme("n/a").build());
        assertThat(platform.assess(ca).blockers()).extracting(Finding::code)
                .containsExactly("compliance.ca-qc.transfer-assessment");
        platform.configure(ca, almost);
        assertThat(platform.deploy(ca, OPS).state()).isEqualTo(MarketState.LIVE);
        assertThat(platform.auditTrail(ca)).extracting(AuditEntry::detail).first().asString().startsWith("FAILED: blocked");
    }

    @Test
    @Order(3)
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
        cloud.requireRegion(DeploymentRegion.US_WEST).secrets().put("mls/crmls/credentials", "client-id:secret");
        Checklist after = platform.goLiveChecklist(ca);
        assertThat(after.complete()).as(after.items().toString()).isTrue();
        assertThat(after.steps()).hasSize(7).allMatch(s -> s.duration().isPresent());
        assertThat(platform.assess(ca).recommendations()).extracting(Finding::code).doesNotContain("mls.credentials");

        // Evidence is what was found: deleting a published bundle unchecks that item.
        cloud.requireRegion(DeploymentRegion.US_WEST).objects().delete("markets/us-ca/l10n/messages_en.properties");
        assertThat(platform.goLiveChecklist(ca).items()).filteredOn(i -> !i.checked()).singleElement()
                .extracting(ChecklistItem::evidence).asString().contains("missing or stale: [en]");
    }

    @Test
    @Order(4)
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
        assertThat(EVENTS).filteredOn(e -> e instanceof PlatformStepEvent s && s.subject().equals("tenant:acme")
                && s.status() == StepStatus.DONE).extracting(e -> ((PlatformStepEvent) e).step())
                .containsExactly("CATALOG", "ISOLATION", "DATA_KEY", "ACTIVATE", "provision", "provision");
    }

    static Tenant tenant(String id, String market, IsolationLevel level) {
        return Tenant.builder(id).market(market).organization("Org " + id).isolationLevel(level)
                .feature("ai.lead-scoring", true).config("agents", 12).build();
    }

    @Test
    @Order(5)
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
    @Order(6)
    void aProvisioningThatDiesHalfWayResumes() throws Exception {
        Platform platform = configured(cloud);
        Tenant phoenix = tenant("phoenix", "us-az", IsolationLevel.ENHANCED);
        int keysBefore = files("us_east/keys").size();
        KEY_FAILURES.set(1);
        assertThatThrownBy(() -> platform.provision(phoenix, OPS)).isInstanceOf(PlatformException.class)
                .hasMessageContaining("ISOLATION");
        assertThat(tenants.require(phoenix.id()).state()).isEqualTo(TenantState.PROVISIONING);
        assertThat(dataSource.placement(phoenix.id())).isEmpty();

        Tenant done = configured(cloud).provision(phoenix, OPS);
        assertThat(done.state()).isEqualTo(TenantState.ACTIVE);
        assertThat(platform.journal(phoenix.id())).extracting(StepRecord::attempts).containsExactly(1, 2, 1, 1);
        assertThat(files("us_east/keys")).hasSize(keysBefore + 1);
    }

    @Test
    @Order(7)
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

        StoredObject export = platform.offboard(acme.id(), OPS);
        assertThat(tenants.require(acme.id()).state()).isEqualTo(TenantState.DELETED);
        String jsonl = new String(cloud.requireRegion(DeploymentRegion.US_WEST).objects().get(export.key()).orElseThrow(),
                StandardCharsets.UTF_8);
        assertThat(jsonl.lines()).hasSize(3).allMatch(l -> l.contains("public.listings") && l.contains("\"tenant_id\":\"acme\""));
        assertThat(jsonl).contains("Loft on 5th", "Bungalow", "Cottage");
        assertThat(dataSource.placement(acme.id())).isEmpty();
        assertThat(files("us_east/keys")).extracting(p -> p.getFileName().toString()).doesNotContain("tenant-acme.key");
        assertThat(platform.offboard(acme.id(), OPS)).as("resumable and idempotent").isEqualTo(export);

        assertThatThrownBy(() -> platform.suspend(acme.id(), OPS)).isInstanceOf(IllegalStateTransitionException.class);
        assertThat(platform.auditTrail(acme.id())).extracting(AuditEntry::actor)
                .contains("support@example.com", OPS);
        assertThat(platform.auditTrail(acme.id())).extracting(AuditEntry::action)
                .contains("tenant.suspend", "tenant.resume", "step.EXPORT", "step.ERASE", "tenant.offboard");
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
