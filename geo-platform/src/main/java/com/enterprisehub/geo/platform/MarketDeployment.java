package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.market.MlsIntegration;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.localization.CompletenessReport;
import com.enterprisehub.geo.localization.Localization;
import com.enterprisehub.geo.platform.Platform.DeploymentStep;
import com.enterprisehub.geo.platform.compliance.ComplianceReport;
import com.enterprisehub.geo.platform.internal.Journal;
import com.enterprisehub.geo.platform.internal.Reports;
import com.enterprisehub.geo.platform.internal.Step;
import com.enterprisehub.geo.platform.internal.StepList;
import com.enterprisehub.geo.platform.internal.StepRunner;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@link Platform}'s market deployment job: {@link Platform#deploy} as the list of {@link DeploymentStep}s the
 * {@link StepRunner} runs, and the go-live checklist that checks what they left. Thread-safe; a deployment holds
 * its market's lock.
 */
final class MarketDeployment {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What each deployment step acts on: the market, its assessment and the region it is deployed to. */
    private record Deploying(Market market, ReadinessReport readiness, DeploymentRegion region, CloudRegion services) {
    }

    private final MarketCatalog markets;
    private final Cloud cloud;
    private final TenantDataSource dataSource;
    private final Localization localization;
    private final Readiness readiness;
    private final ComplianceConfigurations compliance;
    private final DeployedMarkets deployed;
    private final Journal journal;
    private final StepRunner runner;
    private final MlsReadiness mls;
    private final Clock clock;
    private final StepList<Deploying> steps;

    MarketDeployment(MarketCatalog markets, Cloud cloud, TenantDataSource dataSource, Localization localization,
            Readiness readiness, ComplianceConfigurations compliance, DeployedMarkets deployed, MlsReadiness mls,
            Journal journal, StepRunner runner, Clock clock) {
        this.markets = markets;
        this.cloud = cloud;
        this.dataSource = dataSource;
        this.localization = localization;
        this.readiness = readiness;
        this.compliance = compliance;
        this.deployed = deployed;
        this.journal = journal;
        this.runner = runner;
        this.mls = mls;
        this.clock = clock;
        this.steps = new StepList<>(0, List.of(
                Step.<Deploying>of(DeploymentStep.REGION.name(), this::recordRegion),
                Step.<Deploying>of(DeploymentStep.DATABASE_ENDPOINT.name(), d -> reachEndpoints(d.market())),
                Step.<Deploying>of(DeploymentStep.KEY_MATERIAL.name(), d -> keyMaterial(d.market(), d.services())),
                Step.<Deploying>of(DeploymentStep.LOCALIZATION_BUNDLES.name(),
                        d -> publishBundles(d.market(), d.services())),
                Step.<Deploying>of(DeploymentStep.COMPLIANCE_PROFILE.name(), MarketDeployment::publishCompliance),
                Step.<Deploying>of(DeploymentStep.MLS_INTEGRATIONS.name(), d -> publishFeeds(d.market(), d.services())),
                Step.<Deploying>of(DeploymentStep.GO_LIVE.name(), this::goLive)))
                .named(Arrays.stream(DeploymentStep.values()).map(Enum::name).toList());
    }


    Deployment deploy(MarketId id, String actor) {
        Market market = markets.require(id);
        String subject = Subjects.of(id);
        try (Journal.SubjectLock lock = runner.lock(subject)) {
            return deployLocked(market, subject, actor);
        }
    }

    private Deployment deployLocked(Market market, String subject, String actor) {
        MarketId id = market.id();
        ReadinessReport assessed = readiness.assess(id);
        MarketState state = journal.marketState(id.value());
        if (!assessed.ready()) {
            if (state == MarketState.NOT_DEPLOYED || state == MarketState.BLOCKED) {
                journal.marketState(id.value(), MarketState.BLOCKED, clock.instant(), Reports.json(assessed));
                state = MarketState.BLOCKED;
            }
            String codes = assessed.blockers().stream().map(Finding::code).distinct().toList().toString();
            runner.record(subject, "market.deploy", StepStatus.FAILED, actor, "blocked: " + codes);
            return new Deployment(id, state, assessed, journal.steps(subject));
        }
        if (state != MarketState.LIVE) {
            journal.marketState(id.value(), MarketState.DEPLOYING, clock.instant(), Reports.json(assessed));
        }
        // The region REGION recorded, once it has run, else the one chosen now (assess checks it either way).
        DeploymentRegion region = assessed.region().orElseThrow();
        CloudRegion services = cloud.requireRegion(region);
        runner.record(subject, "market.deploy", StepStatus.STARTED, actor, "ready; region " + region);
        runner.run(subject, actor, steps, new Deploying(market, assessed, region, services));
        runner.record(subject, "market.deploy", StepStatus.DONE, actor, "LIVE");
        return new Deployment(id, MarketState.LIVE, assessed, journal.steps(subject));
    }

    // ------------------------------------------------------------------ the steps

    private String recordRegion(Deploying d) {
        journal.marketRegion(d.market().id().value(), d.region());
        return d.region() + " at " + d.services().location();
    }

    private String reachEndpoints(Market market) {
        List<String> reached = new ArrayList<>();
        for (Map.Entry<String, DeploymentRegion> e : readiness.endpoints(market).entrySet()) {
            try (Connection c = dataSource.controlPlaneConnection(e.getKey()); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_setting('server_version')")) {
                rs.next();
                reached.add("'" + e.getKey() + "' in " + e.getValue() + ": PostgreSQL " + rs.getString(1));
            } catch (SQLException ex) {
                throw new PlatformException("Database endpoint '" + e.getKey() + "' cannot be reached: "
                        + ex.getMessage(), ex);
            }
        }
        if (reached.isEmpty()) {
            throw new PlatformException("No database endpoint in a region market '" + market.id() + "' allows.");
        }
        return String.join("; ", reached);
    }

    private static String keyMaterial(Market market, CloudRegion services) {
        String keyId = services.keys().createKey(MarketLayout.keyAlias(market.id()));
        proveKey(services, keyId, MarketLayout.keyContext(market.id()));
        return keyId;
    }

    /** Wraps and unwraps a random key under {@code keyId}; throws if that does not give it back. */
    private static void proveKey(CloudRegion services, String keyId, String context) {
        byte[] probe = new byte[32];
        RANDOM.nextBytes(probe);
        byte[] back = services.keys().unwrap(keyId, services.keys().wrap(keyId, probe, context), context);
        if (!Arrays.equals(probe, back)) {
            throw new PlatformException("Master key " + keyId + " did not give back what it wrapped.");
        }
    }

    /**
     * The message bundles the market's locales read (en_CA, fr_CA, fr, en), by name, as the JSON documents
     * published for them: their texts sorted by key, so the same texts always give the same bytes.
     */
    private Map<String, byte[]> bundles(Market market) {
        Map<String, byte[]> bundles = new LinkedHashMap<>();
        for (Locale locale : market.locales()) {
            localization.messageBundles(locale).forEach((name, texts) -> bundles.computeIfAbsent(name, n ->
                    Reports.json(new TreeMap<String, Object>(texts)).getBytes(StandardCharsets.UTF_8)));
        }
        return bundles;
    }

    private String publishBundles(Market market, CloudRegion services) {
        Map<String, byte[]> bundles = bundles(market);
        bundles.forEach((name, content) -> services.objects().put(MarketLayout.bundle(market.id(), name), content));
        List<String> stored = List.copyOf(bundles.keySet());
        StoredObject coverage = services.objects().put(MarketLayout.coverage(market.id()),
                Reports.json(localization.completeness(market)).getBytes(StandardCharsets.UTF_8));
        return stored.size() + " bundles (" + String.join(", ", stored) + "); " + coverage.key();
    }

    private static String publishCompliance(Deploying d) {
        ComplianceReport report = d.readiness().compliance();
        StoredObject stored = d.services().objects().put(MarketLayout.complianceReport(d.market().id()),
                Reports.json(report).getBytes(StandardCharsets.UTF_8));
        return Reports.describe(report) + "; " + stored.key() + " sha256 " + stored.sha256().substring(0, 12);
    }

    private static String publishFeeds(Market market, CloudRegion services) {
        List<String> feeds = new ArrayList<>();
        for (MlsIntegration feed : market.mlsIntegrations()) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("id", feed.id());
            config.put("name", feed.name());
            config.put("protocol", feed.protocol().name());
            config.put("website", feed.website().toString());
            List<String> names = MarketLayout.credentialNames(feed, MarketLayout.feedProviders(feed));
            config.put("credentials", names.stream().map(n -> MarketLayout.feedCredentials(feed) + "/" + n).toList());
            config.put("tenantCredentials", names.stream().map(n -> MarketLayout.feedCredentials(feed) + "/<tenant>/"
                    + n).toList());
            services.objects().put(MarketLayout.feed(market.id(), feed), Reports.json(config)
                    .getBytes(StandardCharsets.UTF_8));
            feeds.add(feed.id());
        }
        return feeds.isEmpty() ? "no MLS feed declared" : feeds.size() + " feed(s): " + String.join(", ", feeds);
    }

    private String goLive(Deploying d) {
        MarketId id = d.market().id();
        journal.marketState(id.value(), MarketState.LIVE, clock.instant(), Reports.json(d.readiness()));
        return "market " + id + " LIVE in " + d.region();
    }

    // ------------------------------------------------------------------ the go-live checklist

    Checklist goLiveChecklist(MarketId id) {
        Market market = markets.require(id);
        String subject = Subjects.of(id);
        List<ChecklistItem> items = new ArrayList<>();
        MarketState state = journal.marketState(id.value());
        items.add(new ChecklistItem("Market is LIVE", state == MarketState.LIVE, "state " + state));
        Optional<DeploymentRegion> recorded = deployed.recorded(market);
        Optional<DeploymentRegion> region = recorded.or(() -> deployed.chosen(market));
        Optional<String> regionProblem = recorded.flatMap(at -> DeployedMarkets.problem(market, at, cloud));
        items.add(new ChecklistItem("Deployed in a region its residency rule allows and the cloud offers",
                region.filter(market.dataResidency()::permits).filter(r -> cloud.region(r).isPresent()).isPresent(),
                regionProblem.orElseGet(() -> region.map(r -> r + " (" + r.primaryLocation() + "), allowed "
                        + market.dataResidency().allowedRegions()).orElse("no allowed region offered by cloud '"
                        + cloud.name() + "'"))));
        items.add(ChecklistItems.check("Database endpoints reachable", () -> reachEndpoints(market)));
        Optional<CloudRegion> services = region.flatMap(cloud::region);
        Supplier<CloudRegion> regional = () -> services.orElseThrow(() -> new PlatformException("no region allowed for"
                + " market '" + id + "' is offered by cloud '" + cloud.name() + "'"));
        List<StepRecord> journaled = journal.steps(subject);
        Optional<String> keyId = journaled.stream().filter(s -> s.step().equals(DeploymentStep.KEY_MATERIAL.name())
                && s.status() == StepStatus.DONE).map(StepRecord::evidence).findFirst();
        items.add(ChecklistItems.check("Market master key usable", () -> {
            proveKey(regional.get(), keyId.orElseThrow(() -> new PlatformException("no key recorded")),
                    MarketLayout.keyContext(id));
            return keyId.get() + " wraps and unwraps";
        }));
        items.add(ChecklistItems.check("Message bundles published and current", () -> {
            Map<String, byte[]> bundles = bundles(market);
            List<String> stale = bundles.entrySet().stream().filter(e -> !regional.get().objects()
                    .get(MarketLayout.bundle(id, e.getKey())).map(p -> Arrays.equals(p, e.getValue())).orElse(false))
                    .map(Map.Entry::getKey).toList();
            if (!stale.isEmpty()) {
                throw new PlatformException("missing or stale: " + stale);
            }
            return bundles.size() + " bundle(s) match the current messages";
        }));
        for (CompletenessReport coverage : localization.completeness(market)) {
            items.add(new ChecklistItem("Locale " + coverage.locale().toLanguageTag() + " covers at least "
                    + Platform.MINIMUM_COVERAGE_PERCENT + "% of messages",
                    coverage.reaches(Platform.MINIMUM_COVERAGE_PERCENT),
                    coverage.coveragePercent() + "% (" + coverage.translated() + " of " + coverage.keys() + ")"));
        }
        LocalDate today = readiness.today(market);
        ComplianceReport report = compliance.evaluate(market, region.orElse(market.region()), today);
        boolean published = services.flatMap(s -> s.objects().head(MarketLayout.complianceReport(id))).isPresent();
        items.add(new ChecklistItem("Compliance requirements met and report published", report.compliant() && published,
                Reports.describe(report) + (published ? "; report published" : "; report not published")));
        for (Jurisdiction j : market.jurisdictions()) {
            Optional<String> problem = readiness.hasCalculator(j) ? readiness.taxProblem(market, j, today)
                    : Optional.of("no calculator");
            items.add(new ChecklistItem("Transfer taxes of " + j.code() + " computable on " + today, problem.isEmpty(),
                    problem.orElse("sample purchase of " + Readiness.SAMPLE_PRICE.toPlainString() + " "
                            + market.currency() + " computed")));
        }
        for (MlsIntegration feed : market.mlsIntegrations()) {
            boolean configured = services.flatMap(s -> s.objects().head(MarketLayout.feed(id, feed))).isPresent();
            List<String> names = MarketLayout.credentialNames(feed, MarketLayout.feedProviders(feed));
            List<String> problems = services.map(s -> mls.check(market, feed, s).stream().map(Finding::message)
                    .toList()).orElse(List.of("no region to read secrets in"));
            String stored = (names.isEmpty() ? "no credentials read by its protocol"
                    : "credentials of every tenant of the market stored (its own under "
                    + MarketLayout.feedCredentials(feed) + "/<tenant>/, else the feed's under "
                    + MarketLayout.feedCredentials(feed) + "/) " + names)
                    + (mls.opens(feed) ? "; the feed opened and its first page read for each" : "");
            items.add(new ChecklistItem("MLS feed " + feed.id() + " configured with credentials",
                    configured && problems.isEmpty(), (configured ? "configuration published" : "configuration missing")
                            + "; " + (problems.isEmpty() ? stored : String.join("; ", problems))));
        }
        return new Checklist(subject, items, journaled);
    }
}
