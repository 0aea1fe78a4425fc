package com.enterprisehub.geo.examples;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.Credentials;
import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.isolation.DedicatedServer;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.platform.ChecklistItem;
import com.enterprisehub.geo.platform.Deployment;
import com.enterprisehub.geo.platform.Finding;
import com.enterprisehub.geo.platform.JdbcTenantCatalog;
import com.enterprisehub.geo.platform.Platform;
import com.enterprisehub.geo.platform.StepRecord;
import com.enterprisehub.geo.platform.compliance.ComplianceConfiguration;
import com.enterprisehub.geo.platform.compliance.Contact;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalogProvider;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The platform on the embedded defaults: a control plane and four regional endpoints on one embedded
 * PostgreSQL (separate databases standing in for regional servers), and the cloud {@code memory}, selected by
 * name among the cloud providers on the class path: a provider written outside the SDK
 * ({@code examples/outside-provider}, built against geo-spi alone), which keeps keys, secrets and objects in this
 * JVM's memory. The demo needs nothing to outlive it, so no directory is written. Deploys the 12 seed markets (two
 * blocked until their configuration is completed), prints the readiness report and one go-live checklist, then
 * provisions a tenant at each isolation level.
 */
final class PlatformDemo {
    private PlatformDemo() {
    }

    /**
     * The cloud the platform runs on, selected by name: {@code -Dgeo.cloud=<name>}, by default {@code memory}, the
     * provider written outside the SDK. {@code -Dgeo.cloud=aws} selects geo-spi-aws, with its settings given as
     * {@code -Dgeo.cloud.<setting>=<value>} (endpoint overrides, credentials profile: see docs/aws.md).
     */
    static final String CLOUD = System.getProperty("geo.cloud", "memory");

    /** The settings of the cloud provider: every system property {@code geo.cloud.<setting>}. */
    static ProviderContext cloudContext() {
        ProviderContext.Builder context = ProviderContext.builder();
        String prefix = "geo.cloud.";
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                context.setting(key.substring(prefix.length()), System.getProperty(key));
            }
        }
        return context.build();
    }

    static void run(MarketCatalog markets, PrintStream out) throws Exception {
        Providers providers = Providers.fromClassPath();
        out.println();
        out.println("== Cloud providers on the class path ==");
        for (CloudProvider found : providers.all(CloudProvider.class)) {
            out.printf("  %-8s priority %4d  %s%n", found.name(), found.priority(), found.getClass().getName());
        }
        CloudProvider provider = providers.select(CloudProvider.class, CLOUD);
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
             Cloud cloud = provider.open(cloudContext())) {
            out.println("  the platform runs on '" + cloud.name() + "', selected by name (-Dgeo.cloud): "
                    + cloud.regions().size() + " regions" + ("memory".equals(CLOUD)
                            ? " held in this JVM's memory, nothing written to disk" : ""));
            PGSimpleDataSource controlPlane = new PGSimpleDataSource();
            controlPlane.setURL("jdbc:postgresql://localhost:" + server.getPort() + "/" + IsolationDemo.database(server, "control"));
            controlPlane.setUser("postgres");
            PlatformEvents events = PlatformEvents.create();
            TenantCatalog tenants = providers.select(TenantCatalogProvider.class, "jdbc")
                    .open(ProviderContext.builder().object(DataSource.class, controlPlane).events(events).build());
            // The jdbc catalog caches, and listens for other instances' changes on a connection of its own: close it
            // before the server stops.
            try (tenants) {
                runOn(markets, out, cloud, server, controlPlane, events, tenants);
            }
        }
    }

    private static void runOn(MarketCatalog markets, PrintStream out, Cloud cloud, EmbeddedPostgres server,
            PGSimpleDataSource controlPlane, PlatformEvents events, TenantCatalog tenants) throws Exception {
        TenantDataSource.Builder isolation = TenantDataSource.builder().tenants(tenants).markets(markets)
                .bindingKey("quickstart-binding-key-of-32-bytes!".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .protectTable("listings")
                .migrations(SchemaMigrations.of(List.of(new Migration(1, "listings",
                        "CREATE TABLE listings (id bigserial PRIMARY KEY, title text NOT NULL)"))))
                .keyManagement(Platform.regionalKeys(cloud, markets, controlPlane)).events(events)
                .dedicatedServer(new DedicatedServer("lone-star-db", TenantId.of("lone-star"),
                        DeploymentRegion.US_CENTRAL, url(server, IsolationDemo.database(server, "dedicated")),
                        new Credentials("postgres", "")));
        for (DeploymentRegion region : List.of(DeploymentRegion.US_WEST, DeploymentRegion.CANADA,
                DeploymentRegion.EUROPE, DeploymentRegion.ASIA_PACIFIC)) {
            String name = region.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            String db = IsolationDemo.database(server, name.replace('-', '_'));
            isolation.endpoint(new DatabaseEndpoint(name, region, url(server, db), new Credentials("postgres", ""),
                    new Credentials("geo_app", "app")));
        }
        try (TenantDataSource dataSource = isolation.build()) {
            Platform platform = Platform.builder().markets(markets).tenants(tenants).dataSource(dataSource)
                    .controlPlane(controlPlane).cloud(cloud).events(events).build();
            demo(markets, platform, out);
        }
    }

    private static void demo(MarketCatalog markets, Platform platform, PrintStream out) {
        for (Market m : markets.markets()) {
            ComplianceConfiguration full = complete(m);
            // Two markets start incomplete: Québec's transfer assessment and the UK redress scheme are missing.
            ComplianceConfiguration start = switch (m.id().value()) {
                case "ca" -> without(full, "CA-QC");
                case "gb" -> ComplianceConfiguration.builder().privacyOfficer(full.privacyOfficer().orElseThrow())
                        .breachContact(full.breachContact().orElseThrow()).privacyNotice("https://example.com/privacy")
                        .electronicMarketingConsent(true).build();
                default -> full;
            };
            platform.configure(m.id(), start, "quickstart");
        }
        out.println();
        out.println("== Platform: deploying the 12 markets ==");
        out.printf("%-6s %-9s %-13s %8s %6s %11s %9s%n", "market", "state", "region", "blockers", "recs",
                "compliance", "deploy ms");
        for (Market m : markets.markets()) {
            long started = System.nanoTime();
            Deployment d = platform.deploy(m.id(), "quickstart");
            long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
            out.printf("%-6s %-9s %-13s %8d %6d %11s %9d%n", m.id(), d.state(), d.readiness().region().map(Enum::name)
                    .orElse("-"), d.readiness().blockers().size(), d.readiness().recommendations().size(),
                    d.readiness().compliance().score().map(s -> s.movePointRight(2).stripTrailingZeros()
                            .toPlainString() + "%").orElse("-"), ms);
        }
        for (Market m : markets.markets()) {
            List<Finding> blockers = platform.assess(m.id()).blockers();
            if (!blockers.isEmpty()) {
                out.println("  " + m.id() + " blocked by:");
                blockers.forEach(f -> out.println("    - " + f.code() + ": " + Quickstart.abbreviate(f.message(), 150)));
            }
        }
        out.println("  recommendations, e.g. au: " + platform.assess(markets.require(MarketId.of("au")).id()).recommendations()
                .stream().map(f -> f.code()).distinct().toList());
        for (String id : List.of("ca", "gb")) {
            platform.configure(MarketId.of(id), complete(markets.require(MarketId.of(id))), "quickstart");
            Deployment d = platform.deploy(markets.require(MarketId.of(id)).id(), "quickstart");
            out.println("  configuration of " + id + " completed -> " + d.state());
        }
        out.println("  live markets: " + platform.liveMarkets().size());

        out.println();
        out.println("== Go-live checklist of us-ca ==");
        var checklist = platform.goLiveChecklist(markets.require(MarketId.of("us-ca")).id());
        for (ChecklistItem item : checklist.items()) {
            out.printf("  [%s] %-58s %s%n", item.checked() ? "x" : " ", item.item(),
                    Quickstart.abbreviate(item.evidence(), 90));
        }
        for (StepRecord step : checklist.steps()) {
            out.printf("  step %-21s %-5s %6.1f ms  %s%n", step.step(), step.status(),
                    step.duration().orElse(Duration.ZERO).toNanos() / 1e6, Quickstart.abbreviate(step.evidence(), 70));
        }

        out.println();
        out.println("== Provisioning a tenant at each isolation level ==");
        List<Tenant> requested = List.of(
                Tenant.builder("sunset-homes").market("us-ca").organization("Sunset Homes").build(),
                Tenant.builder("crown-lettings").market("gb").organization("Crown Lettings")
                        .isolationLevel(IsolationLevel.ENHANCED).build(),
                Tenant.builder("harbour-view").market("au").organization("Harbour View")
                        .isolationLevel(IsolationLevel.MAXIMUM).build(),
                Tenant.builder("lone-star").market("us-tx").organization("Lone Star Realty")
                        .isolationLevel(IsolationLevel.REGULATORY).build());
        for (Tenant t : requested) {
            long started = System.nanoTime();
            Tenant provisioned = platform.provision(t, "quickstart");
            long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
            boolean onboarded = platform.onboardingChecklist(t.id()).complete();
            out.printf("  %-15s %-10s %-6s -> %s in %d ms, onboarding checklist %s%n", t.id(), t.isolationLevel(),
                    t.market(), provisioned.state(), ms, onboarded ? "complete" : "INCOMPLETE");
        }
        platform.suspend(TenantId.of("sunset-homes"), "quickstart");
        var export = platform.offboard(TenantId.of("sunset-homes"), "quickstart");
        out.println("  sunset-homes suspended; offboarded -> " + export.rowCount() + " row(s) exported, encrypted, to "
                + export.rows().key() + " in " + export.region());
    }

    static ComplianceConfiguration complete(Market market) {
        ComplianceConfiguration.Builder b = ComplianceConfiguration.builder()
                .privacyOfficer(new Contact("Privacy Office", "privacy@example.com"))
                .breachContact(new Contact("Security Desk", "security@example.com"))
                .privacyNotice("https://example.com/privacy").optOutLink("https://example.com/privacy/opt-out")
                .electronicMarketingConsent(true).callConsent(true).brokerageName("Example Realty Group")
                .redressScheme("The Property Ombudsman");
        market.jurisdictions().forEach(j -> b.licenceNumber(j.code(), "LIC-" + j.code())
                .transferAssessment(j.code()));
        return b.build();
    }

    private static ComplianceConfiguration without(ComplianceConfiguration full, String assessment) {
        ComplianceConfiguration.Builder b = ComplianceConfiguration.builder()
                .privacyOfficer(full.privacyOfficer().orElseThrow()).breachContact(full.breachContact().orElseThrow())
                .privacyNotice("https://example.com/privacy").optOutLink("https://example.com/privacy/opt-out")
                .electronicMarketingConsent(true).callConsent(true).brokerageName("Example Realty Group");
        full.licenceNumbers().forEach(b::licenceNumber);
        full.transferAssessments().stream().filter(j -> !j.equals(assessment)).forEach(b::transferAssessment);
        return b.build();
    }

    private static String url(EmbeddedPostgres server, String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }
}
