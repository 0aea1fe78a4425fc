package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.market.MlsIntegration;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.TenantCipher;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.isolation.TenantPlacement;
import com.enterprisehub.geo.localization.CompletenessReport;
import com.enterprisehub.geo.localization.Localization;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.localization.tax.TransferTaxes;
import com.enterprisehub.geo.platform.compliance.ComplianceConfiguration;
import com.enterprisehub.geo.platform.compliance.ComplianceProfiles;
import com.enterprisehub.geo.platform.compliance.ComplianceReport;
import com.enterprisehub.geo.platform.compliance.RequirementResult;
import com.enterprisehub.geo.platform.compliance.Status;
import com.enterprisehub.geo.platform.internal.ComplianceJson;
import com.enterprisehub.geo.platform.internal.Exports;
import com.enterprisehub.geo.platform.internal.Journal;
import com.enterprisehub.geo.platform.internal.Reports;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.javamoney.moneta.Money;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform: deploys markets and provisions, suspends, resumes and offboards tenants, through the
 * providers it is built on — a {@link Cloud} (regions, keys, secrets, object storage), a
 * {@link TenantDataSource} (tenant isolation on PostgreSQL), {@link Localization} and {@link TransferTaxes}
 * — with the control plane (step journal, market states, audit trail) in PostgreSQL.
 *
 * <p>Every operation is a sequence of idempotent steps written to the journal: a step is started, then
 * finished with its evidence and timing, or failed with its error. Running an operation again skips the
 * finished steps and repeats the others, so a process that died part-way resumes without duplicating
 * anything. Every step emits a {@link PlatformStepEvent} and an {@link AuditEntry} naming the actor.
 *
 * <ul>
 *   <li>{@link #assess} computes a market's blockers and recommendations from the actual state;
 *       {@link #deploy} provisions nothing while there is a blocker.</li>
 *   <li>{@link #goLiveChecklist} and {@link #onboardingChecklist} check the deployed state now and show
 *       what they found.</li>
 *   <li>{@link #provision} needs a LIVE market; {@link #suspend} makes the tenant's connections fail;
 *       {@link #offboard} exports the tenant to its market's object storage, erases it, destroys its key and
 *       marks it DELETED.</li>
 * </ul>
 *
 * <p>Thread-safe. Deploying a market and provisioning or offboarding a tenant take a lock on that market or
 * tenant in the control plane (a PostgreSQL advisory lock), so two processes asking for the same one at once
 * run one after the other: the second finds the first's steps done. A waiting operation polls and holds no
 * connection; a running one holds one control-plane connection for its lock and uses one more at a time, so
 * the control plane's pool needs at least two connections per operation running at once.
 *
 * <p>Compliance configurations of markets and tenants are stored in the control plane
 * ({@link #configure(MarketId, ComplianceConfiguration, String)}).
 */
public final class Platform {
    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
    /** The coverage a market locale's messages must reach, in percent. */
    public static final double MINIMUM_COVERAGE_PERCENT = 95.0;
    private static final BigDecimal SAMPLE_PRICE = new BigDecimal("500000");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The steps of a market deployment, in order. */
    public enum DeploymentStep {
        /** Choose the cloud region the market's residency rule allows. */
        REGION,
        /** Reach the regional database endpoints tenants will be placed on. */
        DATABASE_ENDPOINT,
        /** Create (or find) the market's master key in the region and prove it wraps and unwraps. */
        KEY_MATERIAL,
        /** Publish the market locales' message bundles and their coverage to the region's object storage. */
        LOCALIZATION_BUNDLES,
        /** Evaluate and publish the market's compliance report. */
        COMPLIANCE_PROFILE,
        /** Publish the configuration of each MLS feed the market declares. */
        MLS_INTEGRATIONS,
        /** Mark the market LIVE. */
        GO_LIVE
    }

    /** The steps of provisioning a tenant, in order. */
    public enum ProvisioningStep {
        /** Store the tenant in the catalog (PROVISIONING). */
        CATALOG,
        /** Place it at its isolation level (role, schema, database or dedicated server). */
        ISOLATION,
        /** Prove its data key encrypts and decrypts. */
        DATA_KEY,
        /** Make it ACTIVE. */
        ACTIVATE
    }

    /** The steps of offboarding a tenant, in order (journaled after the provisioning steps). */
    public enum OffboardingStep {
        /** Move it to OFFBOARDING. */
        OFFBOARD,
        /** Export every row to its market region's object storage as JSON Lines. */
        EXPORT,
        /** Destroy its key and erase its data. */
        ERASE,
        /** Mark it DELETED. */
        DELETE
    }

    private final MarketCatalog markets;
    private final TenantCatalog tenants;
    private final TenantDataSource dataSource;
    private final Cloud cloud;
    private final Localization localization;
    private final TransferTaxes taxes;
    private final ComplianceProfiles compliance;
    private final TenantSchema schema;
    private final PlatformEvents events;
    private final Clock clock;
    private final Journal journal;
    private final Duration lockTimeout;
    private final Optional<Path> exportStaging;

    private Platform(Builder b) {
        this.markets = b.markets;
        this.tenants = b.tenants;
        this.dataSource = b.dataSource;
        this.cloud = b.cloud;
        this.localization = b.localization;
        this.taxes = b.taxes;
        this.compliance = b.compliance;
        this.schema = b.schema;
        this.events = b.events;
        this.clock = b.clock;
        this.journal = new Journal(b.controlPlane);
        this.lockTimeout = b.lockTimeout;
        this.exportStaging = Optional.ofNullable(b.exportStaging);
    }

    /** A builder; see {@link Builder} for what is required. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ markets

    /**
     * Sets (replaces) a market's compliance configuration, stored in the control plane: every instance
     * evaluates the same one, and a restart keeps it. Recorded in the market's audit trail.
     */
    public void configure(MarketId market, ComplianceConfiguration configuration, String actor) {
        checkActor(actor);
        markets.require(market);
        store(subject(market), configuration, actor);
    }

    /** A market's compliance configuration ({@link ComplianceConfiguration#none()} if never set). */
    public ComplianceConfiguration configuration(MarketId market) {
        return stored(subject(markets.require(market).id()));
    }

    /**
     * Sets (replaces) a tenant's own compliance configuration: what the tenant itself has in place (its
     * licence numbers, its privacy officer), completed by its market's configuration where it leaves something
     * unset ({@link ComplianceConfiguration#over}). Stored and audited like a market's.
     *
     * @throws com.enterprisehub.geo.core.UnknownTenantException if the tenant is not in the catalog
     */
    public void configure(TenantId tenant, ComplianceConfiguration configuration, String actor) {
        checkActor(actor);
        if (tenants.require(tenant).state() == TenantState.DELETED) {
            throw new PlatformException("Tenant '" + tenant + "' is DELETED; it has no compliance to configure.");
        }
        store(subject(tenant), configuration, actor);
    }

    /** A tenant's own compliance configuration, without its market's ({@code none()} if never set). */
    public ComplianceConfiguration configuration(TenantId tenant) {
        return stored(subject(Objects.requireNonNull(tenant, "tenant")));
    }

    /**
     * A tenant's compliance: its own configuration over its market's, evaluated against the profiles of its
     * market's jurisdictions, with its data where it is placed (its market's region if not placed yet), on
     * today's date in its market.
     */
    public ComplianceReport compliance(TenantId id) {
        Tenant tenant = tenants.require(id);
        Market market = markets.require(tenant.market());
        DeploymentRegion dataRegion = dataSource.placement(id).map(TenantPlacement::region)
                .orElse(deployedRegion(market).orElse(market.region()));
        ComplianceReport report = compliance.evaluate(market, configuration(id).over(configuration(market.id())),
                dataRegion, LocalDate.now(clock.withZone(market.timeZone())));
        return new ComplianceReport("tenant " + id, report.results());
    }

    private void store(String subject, ComplianceConfiguration configuration, String actor) {
        Objects.requireNonNull(configuration, "configuration");
        journal.compliance(subject, ComplianceJson.write(configuration), clock.instant(), actor);
        record(subject, "compliance.configure", StepStatus.DONE, actor, "configuration stored");
    }

    private ComplianceConfiguration stored(String subject) {
        return journal.compliance(subject).map(json -> ComplianceJson.read(json, subject))
                .orElse(ComplianceConfiguration.none());
    }

    /**
     * Whether {@code market} can be deployed now. Blockers: no cloud region both offered and allowed by the
     * market's residency rule; once the market's region is recorded (its first deployment step), that region no
     * longer offered or allowed; no database endpoint in such a region; a locale whose messages are covered
     * below {@value #MINIMUM_COVERAGE_PERCENT}%; a jurisdiction with no transfer-tax calculator; a compliance
     * requirement of a jurisdiction not met by the configuration. Recommendations: the market's own region
     * not offered (another allowed one used), transfer taxes not computable for today's date, MLS feeds
     * without stored credentials.
     */
    public ReadinessReport assess(MarketId id) {
        Market market = markets.require(id);
        List<Finding> blockers = new ArrayList<>();
        List<Finding> recommendations = new ArrayList<>();
        LocalDate today = LocalDate.now(clock.withZone(market.timeZone()));

        Optional<DeploymentRegion> recorded = journal.marketRegion(id.value());
        Optional<DeploymentRegion> region = recorded.isPresent() ? recorded : region(market);
        Optional<String> recordedProblem = recorded.flatMap(at -> recordedRegionProblem(market, at, cloud));
        if (recordedProblem.isPresent()) {
            blockers.add(new Finding("residency.recorded", recordedProblem.get()));
            region = Optional.empty();
        } else if (region.isEmpty()) {
            blockers.add(new Finding("residency", "No cloud region satisfies the residency rule of market '" + id
                    + "': it allows " + market.dataResidency().allowedRegions() + ", cloud '" + cloud.name()
                    + "' offers " + cloud.regions() + ". Configure the cloud for one of the allowed regions."));
        } else if (region.get() != market.region()) {
            recommendations.add(new Finding("residency.region", "Cloud '" + cloud.name() + "' does not offer the"
                    + " market's own region " + market.region() + "; deploying to " + region.get() + ", which its"
                    + " residency rule allows."));
        }
        if (endpoints(market).isEmpty()) {
            blockers.add(new Finding("database.endpoint", "No shared database endpoint is registered in a region"
                    + " market '" + id + "' allows (" + market.dataResidency().allowedRegions() + "); registered: "
                    + dataSource.sharedEndpoints() + ". Register one with TenantDataSource.Builder.endpoint(...)."));
        }
        for (CompletenessReport coverage : localization.completeness(market)) {
            if (!coverage.reaches(MINIMUM_COVERAGE_PERCENT)) {
                blockers.add(new Finding("localization.coverage", "Locale " + coverage.locale().toLanguageTag()
                        + " covers " + coverage.coveragePercent() + "% of the messages (" + coverage.translated() + " of "
                        + coverage.keys() + "), under " + MINIMUM_COVERAGE_PERCENT + "%. Missing: "
                        + Reports.abbreviate(coverage.missingKeys(), 5) + "."));
            }
        }
        Set<String> covered = taxes.jurisdictions();
        for (Jurisdiction j : market.jurisdictions()) {
            if (!covered.contains(j.code())) {
                blockers.add(new Finding("transfer-tax.calculator", "No transfer-tax calculator covers " + j.code()
                        + "; add one through the TransferTaxCalculator SPI."));
            } else {
                taxProblem(market, j, today).ifPresent(problem -> recommendations.add(new Finding(
                        "transfer-tax.current", problem)));
            }
        }
        ComplianceReport report = compliance.evaluate(market, configuration(id), region.or(() -> recorded)
                .orElse(market.region()), today);
        for (RequirementResult r : report.with(Status.NOT_MET)) {
            blockers.add(new Finding("compliance." + r.requirement().id(), r.requirement().law().name() + " ("
                    + String.join(", ", r.jurisdictions()) + "): " + r.reason() + ". Requirement: "
                    + r.requirement().text() + " Source: " + r.requirement().source()));
        }
        region.flatMap(cloud::region).ifPresent(cloudRegion -> {
            for (MlsIntegration feed : market.mlsIntegrations()) {
                if (cloudRegion.secrets().get(credentialsSecret(feed)).isEmpty()) {
                    recommendations.add(new Finding("mls.credentials", "MLS feed '" + feed.id() + "' (" + feed.name()
                            + ") has no credentials in secret '" + credentialsSecret(feed) + "' of region "
                            + cloudRegion.region() + "; listings will not sync until they are stored."));
                }
            }
        });
        return new ReadinessReport(id, region, blockers, recommendations, report);
    }

    /** Why transfer taxes cannot be computed for a sample purchase today, if they cannot. */
    private Optional<String> taxProblem(Market market, Jurisdiction j, LocalDate today) {
        try {
            taxes.calculate(TransferTaxRequest.builder(Money.of(SAMPLE_PRICE, market.currency().getCurrencyCode()),
                    j.code(), today).build());
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("Transfer taxes of " + j.code() + " cannot be computed for a purchase on " + today
                    + ": " + e.getMessage());
        }
    }

    private Optional<DeploymentRegion> region(Market market) {
        return region(market, cloud);
    }

    /** The market's own region if the cloud offers it and its residency rule allows it, else an allowed one. */
    private static Optional<DeploymentRegion> region(Market market, Cloud cloud) {
        if (market.dataResidency().permits(market.region()) && cloud.region(market.region()).isPresent()) {
            return Optional.of(market.region());
        }
        return cloud.regions().stream().filter(market.dataResidency()::permits).findFirst();
    }

    /**
     * Each tenant's key management in its market's region, for {@code TenantDataSource.Builder.keyManagement}:
     * a tenant's master key is created, used and destroyed in the region its market was deployed to (as the
     * control plane recorded it; before the market's first deployment, the region it would be deployed to), so
     * key material stays where the market's data is and its residency rule allows.
     *
     * @param controlPlane the control plane the platform uses (read when a key is needed; nothing is created in it)
     * @throws PlatformException (when a key is needed) if the market's recorded region is no longer allowed by its
     *     residency rule or offered by the cloud, if the control plane has no platform schema (not the one the
     *     platform uses), or, before a deployment, if the cloud offers no region the market allows
     */
    public static Function<Tenant, KeyManagement> regionalKeys(Cloud cloud, MarketCatalog markets,
            DataSource controlPlane) {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(markets, "markets");
        Journal journal = Journal.reader(Objects.requireNonNull(controlPlane, "controlPlane"));
        return tenant -> {
            Market market = markets.require(tenant.market());
            Optional<DeploymentRegion> recorded = journal.marketRegion(market.id().value());
            if (recorded.isPresent()) {
                recordedRegionProblem(market, recorded.get(), cloud).ifPresent(problem -> {
                    throw new PlatformException(problem + " Tenant '" + tenant.id() + "' gets no key elsewhere.");
                });
                return cloud.requireRegion(recorded.get()).keys();
            }
            return cloud.requireRegion(region(market, cloud).orElseThrow(() -> new PlatformException("Cloud '"
                    + cloud.name() + "' offers no region market '" + market.id() + "' allows (" + market
                    .dataResidency().allowedRegions() + "), so tenant '" + tenant.id() + "' cannot have a key there.")))
                    .keys();
        };
    }

    /**
     * Why the region a market's deployment recorded can no longer serve it (its residency rule no longer
     * allows it, or the cloud does not offer it), if it cannot; empty before the region is recorded.
     */
    private Optional<String> recordedRegionProblem(Market market) {
        return journal.marketRegion(market.id().value()).flatMap(at -> recordedRegionProblem(market, at, cloud));
    }

    private static Optional<String> recordedRegionProblem(Market market, DeploymentRegion at, Cloud cloud) {
        // Its data and keys are there: the platform never moves a market to another region.
        if (!market.dataResidency().permits(at)) {
            return Optional.of("Market '" + market.id() + "' was deployed in " + at + ", which its residency rule no"
                    + " longer allows (" + market.dataResidency().allowedRegions() + "). Its data and keys are there"
                    + " and the platform does not move a market between regions: restore the rule, or move the"
                    + " market's data under the new rule yourself.");
        }
        if (cloud.region(at).isEmpty()) {
            return Optional.of("Market '" + market.id() + "' was deployed in " + at + ", which cloud '" + cloud.name()
                    + "' does not offer (it offers " + cloud.regions() + "). Its data and keys are there: use a cloud"
                    + " that offers " + at + ".");
        }
        return Optional.empty();
    }

    /** The region the market was deployed to; before that, the one it would be deployed to. */
    private Optional<DeploymentRegion> deployedRegion(Market market) {
        return journal.marketRegion(market.id().value()).or(() -> region(market));
    }

    private Map<String, DeploymentRegion> endpoints(Market market) {
        Map<String, DeploymentRegion> allowed = new LinkedHashMap<>();
        dataSource.sharedEndpoints().forEach((name, region) -> {
            if (market.dataResidency().permits(region)) {
                allowed.put(name, region);
            }
        });
        return allowed;
    }

    private static String credentialsSecret(MlsIntegration feed) {
        return "mls/" + feed.id() + "/credentials";
    }

    /**
     * Deploys a market: assesses it, and if nothing blocks, runs the {@link DeploymentStep}s that are not done
     * yet. Idempotent and resumable: once LIVE, deploying again changes nothing.
     *
     * @param actor who asks (recorded in the audit trail)
     * @return LIVE with the journal, or BLOCKED with the blockers and no step run
     * @throws PlatformException if a step fails (the steps before it stay done; deploy again to resume)
     */
    public Deployment deploy(MarketId id, String actor) {
        checkActor(actor);
        Market market = markets.require(id);
        String subject = subject(id);
        try (Journal.SubjectLock lock = journal.lock(subject, lockTimeout)) {
            return deploy(market, subject, actor);
        }
    }

    private Deployment deploy(Market market, String subject, String actor) {
        MarketId id = market.id();
        ReadinessReport readiness = assess(id);
        MarketState state = journal.marketState(id.value());
        if (!readiness.ready()) {
            if (state == MarketState.NOT_DEPLOYED || state == MarketState.BLOCKED) {
                journal.marketState(id.value(), MarketState.BLOCKED, clock.instant(), Reports.json(readiness));
                state = MarketState.BLOCKED;
            }
            String codes = readiness.blockers().stream().map(Finding::code).distinct().toList().toString();
            record(subject, "market.deploy", StepStatus.FAILED, actor, "blocked: " + codes);
            return new Deployment(id, state, readiness, journal.steps(subject));
        }
        if (state != MarketState.LIVE) {
            journal.marketState(id.value(), MarketState.DEPLOYING, clock.instant(), Reports.json(readiness));
        }
        // The region REGION recorded, once it has run, else the one chosen now (assess checks it either way).
        DeploymentRegion region = readiness.region().orElseThrow();
        CloudRegion services = cloud.requireRegion(region);
        record(subject, "market.deploy", StepStatus.STARTED, actor, "ready; region " + region);
        Set<String> done = done(subject);
        step(subject, done, DeploymentStep.REGION, actor, () -> {
            journal.marketRegion(id.value(), region);
            return region + " at " + services.location();
        });
        step(subject, done, DeploymentStep.DATABASE_ENDPOINT, actor, () -> reachEndpoints(market));
        step(subject, done, DeploymentStep.KEY_MATERIAL, actor, () -> keyMaterial(market, services));
        step(subject, done, DeploymentStep.LOCALIZATION_BUNDLES, actor, () -> publishBundles(market, services));
        step(subject, done, DeploymentStep.COMPLIANCE_PROFILE, actor, () -> {
            StoredObject stored = services.objects().put(prefix(id) + "compliance/report.json",
                    Reports.json(readiness.compliance()).getBytes(StandardCharsets.UTF_8));
            return Reports.describe(readiness.compliance()) + "; " + stored.key() + " sha256 "
                    + stored.sha256().substring(0, 12);
        });
        step(subject, done, DeploymentStep.MLS_INTEGRATIONS, actor, () -> publishFeeds(market, services));
        step(subject, done, DeploymentStep.GO_LIVE, actor, () -> {
            journal.marketState(id.value(), MarketState.LIVE, clock.instant(), Reports.json(readiness));
            return "market " + id + " LIVE in " + region;
        });
        record(subject, "market.deploy", StepStatus.DONE, actor, "LIVE");
        return new Deployment(id, MarketState.LIVE, readiness, journal.steps(subject));
    }

    private String reachEndpoints(Market market) {
        List<String> reached = new ArrayList<>();
        for (Map.Entry<String, DeploymentRegion> e : endpoints(market).entrySet()) {
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

    private static String keyAlias(Market market) {
        return "market-" + market.id().value();
    }

    private static String keyMaterial(Market market, CloudRegion services) {
        String keyId = services.keys().createKey(keyAlias(market));
        proveKey(services, keyId, "market:" + market.id());
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

    private static String prefix(MarketId id) {
        return "markets/" + id.value() + "/";
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

    private static String bundleKey(MarketId market, String name) {
        return prefix(market) + "l10n/messages_" + name + ".json";
    }

    private String publishBundles(Market market, CloudRegion services) {
        Map<String, byte[]> bundles = bundles(market);
        bundles.forEach((name, content) -> services.objects().put(bundleKey(market.id(), name), content));
        List<String> stored = List.copyOf(bundles.keySet());
        StoredObject coverage = services.objects().put(prefix(market.id()) + "l10n/coverage.json",
                Reports.json(localization.completeness(market)).getBytes(StandardCharsets.UTF_8));
        return stored.size() + " bundles (" + String.join(", ", stored) + "); " + coverage.key();
    }

    private String publishFeeds(Market market, CloudRegion services) {
        List<String> feeds = new ArrayList<>();
        for (MlsIntegration feed : market.mlsIntegrations()) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("id", feed.id());
            config.put("name", feed.name());
            config.put("protocol", feed.protocol().name());
            config.put("website", feed.website().toString());
            config.put("credentialsSecret", credentialsSecret(feed));
            services.objects().put(prefix(market.id()) + "mls/" + feed.id() + ".json",
                    Reports.json(config).getBytes(StandardCharsets.UTF_8));
            feeds.add(feed.id());
        }
        return feeds.isEmpty() ? "no MLS feed declared" : feeds.size() + " feed(s): " + String.join(", ", feeds);
    }

    /** The market's state. */
    public MarketState state(MarketId market) {
        return journal.marketState(markets.require(market).id().value());
    }

    /** The LIVE markets, ordered by id. */
    public List<MarketId> liveMarkets() {
        return journal.marketsIn(MarketState.LIVE).stream().map(MarketId::of).toList();
    }

    /** The journal of a market's deployment, in step order. */
    public List<StepRecord> journal(MarketId market) {
        return journal.steps(subject(market));
    }

    /** The journal of a tenant's provisioning and offboarding, in step order. */
    public List<StepRecord> journal(TenantId tenant) {
        return journal.steps(subject(tenant));
    }

    /** The audit trail of a market, oldest first. */
    public List<AuditEntry> auditTrail(MarketId market) {
        return journal.auditTrail(subject(market));
    }

    /** The audit trail of a tenant, oldest first. */
    public List<AuditEntry> auditTrail(TenantId tenant) {
        return journal.auditTrail(subject(tenant));
    }

    /**
     * The go-live checklist of a market, each item checked against the state found now (endpoints reached,
     * the master key used, stored objects compared with the current bundles, compliance evaluated again).
     */
    public Checklist goLiveChecklist(MarketId id) {
        Market market = markets.require(id);
        String subject = subject(id);
        List<ChecklistItem> items = new ArrayList<>();
        MarketState state = journal.marketState(id.value());
        items.add(new ChecklistItem("Market is LIVE", state == MarketState.LIVE, "state " + state));
        Optional<DeploymentRegion> recorded = journal.marketRegion(id.value());
        Optional<DeploymentRegion> region = recorded.or(() -> region(market));
        Optional<String> regionProblem = recorded.flatMap(at -> recordedRegionProblem(market, at, cloud));
        items.add(new ChecklistItem("Deployed in a region its residency rule allows and the cloud offers",
                region.filter(market.dataResidency()::permits).filter(r -> cloud.region(r).isPresent()).isPresent(),
                regionProblem.orElseGet(() -> region.map(r -> r + " (" + r.primaryLocation() + "), allowed "
                        + market.dataResidency().allowedRegions()).orElse("no allowed region offered by cloud '"
                        + cloud.name() + "'"))));
        items.add(check("Database endpoints reachable", () -> reachEndpoints(market)));
        Optional<CloudRegion> services = region.flatMap(cloud::region);
        Supplier<CloudRegion> regional = () -> services.orElseThrow(() -> new PlatformException("no region allowed for"
                + " market '" + id + "' is offered by cloud '" + cloud.name() + "'"));
        List<StepRecord> steps = journal.steps(subject);
        Optional<String> keyId = steps.stream().filter(s -> s.step().equals(DeploymentStep.KEY_MATERIAL.name())
                && s.status() == StepStatus.DONE).map(StepRecord::evidence).findFirst();
        items.add(check("Market master key usable", () -> {
            proveKey(regional.get(), keyId.orElseThrow(() -> new PlatformException("no key recorded")),
                    "market:" + id);
            return keyId.get() + " wraps and unwraps";
        }));
        items.add(check("Message bundles published and current", () -> {
            Map<String, byte[]> bundles = bundles(market);
            List<String> stale = bundles.entrySet().stream().filter(e -> !regional.get().objects()
                    .get(bundleKey(id, e.getKey())).map(p -> Arrays.equals(p, e.getValue())).orElse(false))
                    .map(Map.Entry::getKey).toList();
            if (!stale.isEmpty()) {
                throw new PlatformException("missing or stale: " + stale);
            }
            return bundles.size() + " bundle(s) match the current messages";
        }));
        for (CompletenessReport coverage : localization.completeness(market)) {
            items.add(new ChecklistItem("Locale " + coverage.locale().toLanguageTag() + " covers at least "
                    + MINIMUM_COVERAGE_PERCENT + "% of messages", coverage.reaches(MINIMUM_COVERAGE_PERCENT),
                    coverage.coveragePercent() + "% (" + coverage.translated() + " of " + coverage.keys() + ")"));
        }
        LocalDate today = LocalDate.now(clock.withZone(market.timeZone()));
        ComplianceReport report = compliance.evaluate(market, configuration(id), region.orElse(market.region()), today);
        boolean published = services.flatMap(s -> s.objects().head(prefix(id) + "compliance/report.json")).isPresent();
        items.add(new ChecklistItem("Compliance requirements met and report published", report.compliant() && published,
                Reports.describe(report) + (published ? "; report published" : "; report not published")));
        for (Jurisdiction j : market.jurisdictions()) {
            Optional<String> problem = taxes.jurisdictions().contains(j.code()) ? taxProblem(market, j, today)
                    : Optional.of("no calculator");
            items.add(new ChecklistItem("Transfer taxes of " + j.code() + " computable on " + today, problem.isEmpty(),
                    problem.orElse("sample purchase of " + SAMPLE_PRICE.toPlainString() + " " + market.currency()
                            + " computed")));
        }
        for (MlsIntegration feed : market.mlsIntegrations()) {
            boolean configured = services.flatMap(s -> s.objects().head(prefix(id) + "mls/" + feed.id() + ".json"))
                    .isPresent();
            boolean credentials = services.flatMap(s -> s.secrets().get(credentialsSecret(feed))).isPresent();
            items.add(new ChecklistItem("MLS feed " + feed.id() + " configured with credentials",
                    configured && credentials, (configured ? "configuration published" : "configuration missing")
                            + "; " + (credentials ? "credentials stored" : "no secret " + credentialsSecret(feed))));
        }
        return new Checklist(subject, items, steps);
    }

    private static ChecklistItem check(String item, Supplier<String> probe) {
        try {
            return new ChecklistItem(item, true, probe.get());
        } catch (RuntimeException e) {
            return new ChecklistItem(item, false, String.valueOf(e.getMessage()));
        }
    }

    // ------------------------------------------------------------------ tenants

    /**
     * Provisions a tenant in a LIVE market: validates its flags and configuration against the
     * {@link Builder#tenantSchema schema}, stores it in the catalog, places it at its isolation level,
     * proves its data key, and makes it ACTIVE ({@link ProvisioningStep}s). Idempotent and resumable: calling
     * it again for the same tenant finishes what a failed call left and changes nothing once done.
     *
     * @param tenant the tenant as requested (state PROVISIONING)
     * @param actor who asks
     * @return the tenant as stored
     * @throws MarketNotLiveException if its market is not LIVE (the message lists the live ones)
     * @throws GeoValidationException if it does not match the schema, or a tenant with its id exists with
     *     another definition
     * @throws PlatformException if a step fails (provision again to resume)
     */
    public Tenant provision(Tenant tenant, String actor) {
        Objects.requireNonNull(tenant, "tenant");
        checkActor(actor);
        Market market = markets.require(tenant.market());
        MarketState state = journal.marketState(tenant.market().value());
        if (state != MarketState.LIVE) {
            throw new MarketNotLiveException(tenant.market(), state, liveMarkets());
        }
        recordedRegionProblem(market).ifPresent(problem -> {
            throw new PlatformException(problem + " No tenant is provisioned in it until that is resolved.");
        });
        schema.validate(tenant);
        if (tenant.state() != TenantState.PROVISIONING) {
            throw new GeoValidationException("A tenant to provision starts in PROVISIONING; '" + tenant.id() + "' is "
                    + tenant.state() + ".");
        }
        try (Journal.SubjectLock lock = journal.lock(subject(tenant.id()), lockTimeout)) {
            return provisionLocked(tenant, actor);
        }
    }

    private Tenant provisionLocked(Tenant tenant, String actor) {
        String subject = subject(tenant.id());
        TenantId id = tenant.id();
        // Checked on every call, not only in the CATALOG step: a finished journal must not hide a changed request.
        tenants.find(id).ifPresent(found -> {
            if (found.state() == TenantState.DELETED || !found.equals(new Tenant(id, tenant.market(),
                    tenant.organization(), tenant.subscriptionTier(), tenant.featureFlags(), tenant.configuration(),
                    tenant.isolationLevel(), found.state()))) {
                throw new GeoValidationException("Tenant '" + id + "' already exists with another definition or was"
                        + " deleted (" + found + "); choose another id.");
            }
        });
        record(subject, "tenant.provision", StepStatus.STARTED, actor, tenant.isolationLevel() + " in market "
                + tenant.market());
        Set<String> done = done(subject);
        step(subject, done, ProvisioningStep.CATALOG, actor, () -> {
            if (tenants.find(id).isEmpty()) {
                tenants.create(tenant);
                return "created in " + tenants;
            }
            return "found in " + tenants;
        });
        step(subject, done, ProvisioningStep.ISOLATION, actor, () -> {
            TenantPlacement p = dataSource.provision(id);
            return p.level() + " on endpoint '" + p.endpoint() + "'" + (p.location().isEmpty() ? ""
                    : " as " + p.location());
        });
        step(subject, done, ProvisioningStep.DATA_KEY, actor, () -> proveDataKey(tenants.require(id)));
        step(subject, done, ProvisioningStep.ACTIVATE, actor, () -> moveTo(id, TenantState.ACTIVE));
        record(subject, "tenant.provision", StepStatus.DONE, actor, "provisioned");
        return tenants.require(id);
    }

    /** Moves a tenant to {@code target} unless it is there already (a repeated step changes nothing). */
    private String moveTo(TenantId id, TenantState target) {
        return tenants.update(id, t -> t.state() == target ? t : t.withState(target)).state().name();
    }

    private String proveDataKey(Tenant tenant) {
        return TenantContext.call(tenant, () -> {
            TenantCipher cipher = dataSource.cipher();
            byte[] probe = new byte[16];
            RANDOM.nextBytes(probe);
            if (!Arrays.equals(cipher.decrypt(cipher.encrypt(probe)), probe)) {
                throw new PlatformException("The data key of tenant '" + tenant.id() + "' did not decrypt what it"
                        + " encrypted.");
            }
            return "AES-256-GCM data key encrypts and decrypts";
        });
    }

    /** The onboarding checklist of a tenant, each item checked against the state found now. */
    public Checklist onboardingChecklist(TenantId id) {
        String subject = subject(id);
        List<ChecklistItem> items = new ArrayList<>();
        Optional<Tenant> found = tenants.find(id);
        items.add(new ChecklistItem("Tenant is ACTIVE", found.map(Tenant::isActive).orElse(false),
                found.map(t -> "state " + t.state()).orElse("not in the catalog")));
        Optional<MarketState> marketState = found.map(t -> journal.marketState(t.market().value()));
        items.add(new ChecklistItem("Market is LIVE", marketState.orElse(null) == MarketState.LIVE,
                found.map(t -> "market " + t.market() + " " + marketState.orElseThrow()).orElse("-")));
        Supplier<Tenant> tenant = () -> found.orElseThrow(() -> new PlatformException("tenant '" + id
                + "' is not in the catalog"));
        Optional<TenantPlacement> placement = dataSource.placement(id);
        items.add(new ChecklistItem("Placed at its isolation level", placement.map(p -> p.ready()
                && found.map(t -> t.isolationLevel() == p.level()).orElse(false)).orElse(false), placement.map(p ->
                p.level() + " on '" + p.endpoint() + "'" + (p.ready() ? "" : " (not ready)")).orElse("not placed")));
        items.add(check("Data key encrypts and decrypts", () -> proveDataKey(tenant.get())));
        items.add(check("A connection bound to it works", () -> TenantContext.call(tenant.get(), () -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_user")) {
                rs.next();
                return "connected as " + rs.getString(1);
            } catch (SQLException e) {
                throw new PlatformException(e.getMessage(), e);
            }
        })));
        items.add(check("Compliance requirements met (its configuration over its market's)", () -> {
            ComplianceReport report = compliance(id);
            if (!report.compliant()) {
                throw new PlatformException(Reports.describe(report) + "; not met: " + report.with(Status.NOT_MET)
                        .stream().map(r -> r.requirement().id()).toList());
            }
            return Reports.describe(report);
        }));
        return new Checklist(subject, items, journal.steps(subject));
    }

    /** Suspends a tenant: its connections are refused until {@link #resume}. */
    public Tenant suspend(TenantId id, String actor) {
        return transition(id, TenantState.SUSPENDED, "tenant.suspend", actor);
    }

    /** Resumes a suspended tenant. */
    public Tenant resume(TenantId id, String actor) {
        return transition(id, TenantState.ACTIVE, "tenant.resume", actor);
    }

    private Tenant transition(TenantId id, TenantState target, String action, String actor) {
        checkActor(actor);
        String subject = subject(id);
        try {
            Tenant after = tenants.transition(id, target);
            record(subject, action, StepStatus.DONE, actor, "now " + after.state());
            return after;
        } catch (RuntimeException e) {
            record(subject, action, StepStatus.FAILED, actor, e.getMessage());
            throw e;
        }
    }

    /**
     * Offboards a tenant ({@link OffboardingStep}s): moves it to OFFBOARDING, exports every row, encrypted, to
     * its market region's object storage ({@link TenantExport}), destroys its key and erases its data, and
     * marks it DELETED. Resumable like {@link #provision}.
     *
     * @return the export
     * @throws com.enterprisehub.geo.core.IllegalStateTransitionException if the tenant cannot be offboarded
     *     from its state
     */
    public TenantExport offboard(TenantId id, String actor) {
        checkActor(actor);
        Tenant tenant = tenants.require(id);
        Market market = markets.require(tenant.market());
        CloudRegion services = exportRegion(market, id);
        String subject = subject(id);
        try (Journal.SubjectLock lock = journal.lock(subject, lockTimeout)) {
            record(subject, "tenant.offboard", StepStatus.STARTED, actor, "export to " + services.region());
            Set<String> done = done(subject);
            step(subject, done, OffboardingStep.OFFBOARD, actor, () -> moveTo(id, TenantState.OFFBOARDING));
            step(subject, done, OffboardingStep.EXPORT, actor, () -> {
                Exports.Written written = Exports.write(services, exportStaging, market.id(), id,
                        out -> dataSource.export(id, out), TenantContext.call(tenant, dataSource::cipher),
                        clock.instant());
                journal.export(id.value(), written.exportKeyId(), Exports.json(written.export()));
                TenantExport export = written.export();
                return export.rowCount() + " rows from " + export.tables().size() + " table(s), encrypted; "
                        + export.rows().key() + " sha256 " + export.rows().sha256();
            });
            step(subject, done, OffboardingStep.ERASE, actor, () -> {
                if (dataSource.placement(id).isEmpty()) {
                    boolean triedBefore = journal.steps(subject).stream()
                            .anyMatch(s -> s.step().equals(OffboardingStep.ERASE.name()) && s.attempts() > 1);
                    if (triedBefore) {
                        return "already erased by an earlier attempt";
                    }
                    throw new PlatformException("Tenant '" + id + "' is not placed on any endpoint this"
                            + " TenantDataSource knows; register its endpoint before offboarding it, so its data is"
                            + " really erased.");
                }
                return "erased " + dataSource.erase(id);
            });
            step(subject, done, OffboardingStep.DELETE, actor, () -> moveTo(id, TenantState.DELETED));
            record(subject, "tenant.offboard", StepStatus.DONE, actor, "DELETED");
        }
        return export(id).orElseThrow(() -> new PlatformException("The export of tenant '" + id + "' is missing from"
                + " the object storage of " + services.region() + "."));
    }

    /** The export {@link #offboard} wrote of a tenant, as the control plane recorded it, unless it was deleted. */
    public Optional<TenantExport> export(TenantId id) {
        return liveExport(id).map(row -> Exports.fromJson(row.recordJson()));
    }

    private Optional<Journal.ExportRow> liveExport(TenantId id) {
        return journal.export(Objects.requireNonNull(id, "id").value()).filter(row -> !row.deleted());
    }

    /**
     * Writes the rows of a tenant's export, decrypted, as JSON Lines to {@code out} (not closed), checking every
     * segment and the whole content's SHA-256. The export is read twice: a first pass checks all of it and
     * writes nothing, so an altered or truncated export leaves {@code out} untouched. Recorded in the tenant's
     * audit trail: it hands out all of a tenant's data.
     *
     * @throws PlatformException if there is no export, it was deleted, or it was altered or cut short; should the
     *     stored object change between the two passes, the failure comes after some bytes were written: discard
     *     them, they are not the whole export
     */
    public void readExport(TenantId id, OutputStream out, String actor) {
        Objects.requireNonNull(out, "out");
        checkActor(actor);
        Journal.ExportRow row = requireExport(id);
        TenantExport export = Exports.fromJson(row.recordJson());
        record(subject(id), "tenant.export-read", StepStatus.STARTED, actor, export.rows().key());
        Exports.read(cloud.requireRegion(export.region()), export, row.exportKeyId(), out);
        record(subject(id), "tenant.export-read", StepStatus.DONE, actor, export.rowCount() + " rows verified");
    }

    /**
     * The tenant's data key as its export keeps it: decrypts the values the host had encrypted with the
     * tenant's {@link TenantCipher}, which appear encrypted in the export, after the tenant's own key is gone.
     * Recorded in the tenant's audit trail.
     */
    public TenantCipher exportCipher(TenantId id, String actor) {
        checkActor(actor);
        Journal.ExportRow row = requireExport(id);
        TenantExport export = Exports.fromJson(row.recordJson());
        TenantCipher cipher = Exports.cipher(cloud.requireRegion(export.region()), export, row.exportKeyId());
        record(subject(id), "tenant.export-cipher", StepStatus.DONE, actor, "data key opened from the export");
        return cipher;
    }

    /**
     * Deletes a DELETED tenant's export once it has been handed over: destroys its key first (copies left in
     * backups can no longer be read), then its objects. Until then the export's copy of the data key keeps the
     * tenant's backed-up ciphertext readable: delete exports when their retention ends. Idempotent; recorded in
     * the tenant's audit trail.
     *
     * @throws PlatformException if the tenant is not DELETED yet (finish {@link #offboard} first) or has no export
     */
    public void deleteExport(TenantId id, String actor) {
        checkActor(actor);
        Tenant tenant = tenants.require(id);
        if (tenant.state() != TenantState.DELETED) {
            throw new PlatformException("Tenant '" + id + "' is " + tenant.state() + "; its export can be deleted"
                    + " only once offboarding has finished (DELETED). Run offboard first.");
        }
        String subject = subject(id);
        try (Journal.SubjectLock lock = journal.lock(subject, lockTimeout)) {
            Journal.ExportRow row = journal.export(id.value()).orElseThrow(() -> new PlatformException("Tenant '" + id
                    + "' has no export."));
            if (row.deleted()) {
                return;
            }
            TenantExport export = Exports.fromJson(row.recordJson());
            Exports.delete(cloud.requireRegion(export.region()), export, row.exportKeyId());
            journal.exportDeleted(id.value(), clock.instant());
            record(subject, "tenant.export-delete", StepStatus.DONE, actor, "export key destroyed, "
                    + export.rows().key() + " deleted");
        }
    }

    private Journal.ExportRow requireExport(TenantId id) {
        return liveExport(id).orElseThrow(() -> new PlatformException("Tenant '" + id + "' has no export: it was not"
                + " offboarded, or its export was deleted."));
    }

    /** Where a tenant's export is kept: its market's deployed region. */
    private CloudRegion exportRegion(Market market, TenantId id) {
        return cloud.requireRegion(deployedRegion(market).orElseThrow(() -> new PlatformException("No cloud region is"
                + " allowed for market '" + market.id() + "' to hold the export of tenant '" + id + "'.")));
    }

    // ------------------------------------------------------------------ journal

    private static String subject(MarketId id) {
        return "market:" + id.value();
    }

    private static String subject(TenantId id) {
        return "tenant:" + id.value();
    }

    private static void checkActor(String actor) {
        if (actor == null || actor.isBlank() || actor.length() > 200) {
            throw new GeoValidationException("Name who performs a platform operation (1 to 200 characters, e.g."
                    + " 'ops@example.com'); it goes into the audit trail.");
        }
    }

    /** The steps of {@code subject} the journal holds as done: read once per operation. */
    private Set<String> done(String subject) {
        Set<String> done = new HashSet<>();
        journal.steps(subject).stream().filter(s -> s.status() == StepStatus.DONE).forEach(s -> done.add(s.step()));
        return done;
    }

    /** Runs a journaled step unless {@code done} holds it. */
    private void step(String subject, Set<String> done, Enum<?> step, String actor, Supplier<String> work) {
        String name = step.name();
        if (done.contains(name)) {
            return;
        }
        int ordinal = (step instanceof OffboardingStep ? 100 : 0) + step.ordinal();
        journal.start(subject, name, ordinal, clock.instant());
        long started = System.nanoTime();
        String evidence;
        try {
            evidence = Objects.requireNonNull(work.get(), "evidence");
        } catch (RuntimeException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            journal.fail(subject, name, clock.instant(), took, error);
            record(subject, "step." + name, StepStatus.FAILED, actor, error);
            LOG.warn("Step {} of {} failed after {} ms: {}", name, subject, took.toMillis(), e.toString());
            throw new PlatformException("Step " + name + " of " + subject + " failed: " + e.getMessage()
                    + ". The steps before it are done; fix the cause and run the operation again to resume.", e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        journal.finish(subject, name, clock.instant(), took, evidence);
        record(subject, "step." + name, StepStatus.DONE, actor, evidence);
        LOG.debug("Step {} of {} done in {} ms", name, subject, took.toMillis());
    }

    /**
     * Writes the audit entry and publishes the event of a step ({@code step.KEY_MATERIAL}) or operation
     * ({@code market.deploy}) outcome; the event names the step or operation without its prefix.
     */
    private void record(String subject, String action, StepStatus status, String actor, String detail) {
        journal.audit(clock.instant(), actor, action, subject, status + ": " + detail);
        events.publish(new PlatformStepEvent(clock.instant(), subject, action.substring(action.indexOf('.') + 1),
                status, actor, detail));
    }

    // ------------------------------------------------------------------ builder

    /**
     * Builds a {@link Platform}. Required: {@link #markets}, {@link #tenants}, {@link #dataSource},
     * {@link #controlPlane} and {@link #cloud}. Not thread-safe.
     */
    public static final class Builder {
        private MarketCatalog markets;
        private TenantCatalog tenants;
        private TenantDataSource dataSource;
        private DataSource controlPlane;
        private Cloud cloud;
        private Localization localization;
        private TransferTaxes taxes;
        private ComplianceProfiles compliance;
        private TenantSchema schema = TenantSchema.empty();
        private PlatformEvents events = PlatformEvents.create();
        private Clock clock = Clock.systemUTC();
        private Duration lockTimeout = Duration.ofMinutes(5);
        private Path exportStaging;

        private Builder() {
        }

        public Builder markets(MarketCatalog catalog) {
            this.markets = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /** Where tenants are stored (the same catalog the data source reads). */
        public Builder tenants(TenantCatalog catalog) {
            this.tenants = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /** Tenant isolation: tenants are placed, exported and erased through it. */
        public Builder dataSource(TenantDataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** The control plane database, for the journal, market states and audit trail (schema geo_platform). */
        public Builder controlPlane(DataSource controlPlane) {
            this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
            return this;
        }

        public Builder cloud(Cloud cloud) {
            this.cloud = Objects.requireNonNull(cloud, "cloud");
            return this;
        }

        /** Default: {@link Localization#defaults()}. */
        public Builder localization(Localization localization) {
            this.localization = Objects.requireNonNull(localization, "localization");
            return this;
        }

        /** Default: {@link TransferTaxes#fromClassPath()}. */
        public Builder transferTaxes(TransferTaxes taxes) {
            this.taxes = Objects.requireNonNull(taxes, "taxes");
            return this;
        }

        /** Default: {@link ComplianceProfiles#defaults()}. */
        public Builder compliance(ComplianceProfiles profiles) {
            this.compliance = Objects.requireNonNull(profiles, "profiles");
            return this;
        }

        /** The flags and settings tenants may have; default: none. */
        public Builder tenantSchema(TenantSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /**
         * How long an operation on a market or tenant waits for another one on the same market or tenant (from
         * any process sharing the control plane) to finish; default 5 minutes, at most a day. A running operation
         * holds one control-plane connection for its lock and uses one more at a time.
         */
        public Builder operationLockTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofDays(1)) > 0) {
                throw new GeoValidationException("The operation lock timeout is more than zero and at most a day; got "
                        + timeout + ".");
            }
            this.lockTimeout = timeout;
            return this;
        }

        /**
         * The directory where an offboarding export is staged, already encrypted, before it is streamed to the
         * object storage (the file is owner-only where the file system allows, and deleted afterwards); default:
         * {@code java.io.tmpdir}. Choose a disk with room for a tenant's whole export, not a small RAM-backed
         * {@code /tmp}.
         *
         * @throws GeoValidationException if it is not an existing directory
         */
        public Builder exportStaging(Path directory) {
            if (!Files.isDirectory(Objects.requireNonNull(directory, "directory"))) {
                throw new GeoValidationException("The export staging directory " + directory + " is not an existing"
                        + " directory; create it or choose another.");
            }
            this.exportStaging = directory;
            return this;
        }

        /**
         * Where step events go; default: a dispatcher with no listeners. Events are delivered on the operation's
         * thread while it holds its market's or tenant's lock: keep listeners quick (hand slow work to an
         * executor), since other operations on the same market or tenant wait meanwhile.
         */
        public Builder events(PlatformEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The platform; creates the control plane schema if missing.
         *
         * @throws GeoValidationException naming every missing part
         */
        public Platform build() {
            List<String> missing = new ArrayList<>();
            if (markets == null) {
                missing.add("markets(MarketCatalog)");
            }
            if (tenants == null) {
                missing.add("tenants(TenantCatalog)");
            }
            if (dataSource == null) {
                missing.add("dataSource(TenantDataSource)");
            }
            if (controlPlane == null) {
                missing.add("controlPlane(DataSource)");
            }
            if (cloud == null) {
                missing.add("cloud(Cloud)");
            }
            if (!missing.isEmpty()) {
                throw new GeoValidationException("Platform.builder() is missing " + String.join(", ", missing) + ".");
            }
            if (localization == null) {
                localization = Localization.defaults();
            }
            if (taxes == null) {
                taxes = TransferTaxes.fromClassPath();
            }
            if (compliance == null) {
                compliance = ComplianceProfiles.defaults();
            }
            return new Platform(this);
        }
    }
}
