package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.MoveResult;
import com.enterprisehub.geo.isolation.TenantCipher;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.localization.Localization;
import com.enterprisehub.geo.localization.tax.TransferTaxes;
import com.enterprisehub.geo.platform.compliance.ComplianceConfiguration;
import com.enterprisehub.geo.platform.compliance.ComplianceProfiles;
import com.enterprisehub.geo.platform.compliance.ComplianceReport;
import com.enterprisehub.geo.platform.internal.Journal;
import com.enterprisehub.geo.platform.internal.StepRunner;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

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
 *
 * <p>A façade: it checks its arguments and hands each call to the package-private class doing that job —
 * compliance configurations, readiness, market deployment, the tenant lifecycle, export access — whose
 * journaled operations are lists of steps run by one step runner (journal, lock, audit trail, events).
 */
public final class Platform {
    /** The coverage a market locale's messages must reach, in percent. */
    public static final double MINIMUM_COVERAGE_PERCENT = 95.0;

    /** The steps of a market deployment, in order. Their names are stored in the journal: they never change. */
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

    /** The steps of provisioning a tenant, in order. Their names are stored in the journal: they never change. */
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

    /**
     * The steps of offboarding a tenant, in order (journaled after the provisioning steps). Their names are stored
     * in the journal: they never change.
     */
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

    private final Journal journal;
    private final DeployedMarkets deployed;
    private final ComplianceConfigurations compliance;
    private final Readiness readiness;
    private final MarketDeployment deployment;
    private final TenantLifecycle lifecycle;
    private final ExportAccess exports;

    private Platform(Builder b) {
        journal = new Journal(b.controlPlane);
        StepRunner runner = new StepRunner(journal, b.events, b.clock, b.lockTimeout);
        deployed = new DeployedMarkets(b.markets, b.cloud, journal);
        compliance = new ComplianceConfigurations(b.markets, b.tenants, b.dataSource, b.compliance, deployed, journal,
                runner, b.clock);
        MlsReadiness mls = new MlsReadiness(b.tenants, b.mlsFeeds, b.clock);
        readiness = new Readiness(b.markets, b.cloud, b.dataSource, b.localization, b.taxes, compliance, deployed,
                mls, b.clock);
        deployment = new MarketDeployment(b.markets, b.cloud, b.dataSource, b.localization, readiness, compliance,
                deployed, mls, journal, runner, b.clock);
        exports = new ExportAccess(b.tenants, b.cloud, journal, runner, b.clock);
        lifecycle = new TenantLifecycle(b.markets, b.tenants, b.dataSource, b.schema, b.cloud,
                Optional.ofNullable(b.exportStaging), compliance, deployed, exports, journal, runner, b.clock);
    }

    /** A builder; see {@link Builder} for what is required. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ compliance configurations

    /**
     * Sets (replaces) a market's compliance configuration, stored in the control plane: every instance
     * evaluates the same one, and a restart keeps it. Recorded in the market's audit trail.
     */
    public void configure(MarketId market, ComplianceConfiguration configuration, String actor) {
        checkActor(actor);
        compliance.configure(market, configuration, actor);
    }

    /** A market's compliance configuration ({@link ComplianceConfiguration#none()} if never set). */
    public ComplianceConfiguration configuration(MarketId market) {
        return compliance.configuration(market);
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
        compliance.configure(tenant, configuration, actor);
    }

    /** A tenant's own compliance configuration, without its market's ({@code none()} if never set). */
    public ComplianceConfiguration configuration(TenantId tenant) {
        return compliance.configuration(tenant);
    }

    /**
     * A tenant's compliance: its own configuration over its market's, evaluated against the profiles of its
     * market's jurisdictions, with its data where it is placed (its market's region if not placed yet), on
     * today's date in its market.
     */
    public ComplianceReport compliance(TenantId id) {
        return compliance.evaluate(id);
    }

    // ------------------------------------------------------------------ markets

    /**
     * Whether {@code market} can be deployed now. Blockers: no cloud region both offered and allowed by the
     * market's residency rule; once the market's region is recorded (its first deployment step), that region no
     * longer offered or allowed; no database endpoint in such a region; a locale whose messages are covered
     * below {@value #MINIMUM_COVERAGE_PERCENT}%; a jurisdiction with no transfer-tax calculator; a compliance
     * requirement of a jurisdiction not met by the configuration. Recommendations: the market's own region
     * not offered (another allowed one used), transfer taxes not computable for today's date, an MLS feed without
     * a provider of its protocol, a tenant of the market whose credentials for a feed are missing or unusable
     * (its own, else the feed's shared ones; named with the secrets to store, never a value), and, for a feed whose
     * settings were given ({@link Builder#mlsFeed}), a feed that does not open or serve its first page.
     */
    public ReadinessReport assess(MarketId id) {
        return readiness.assess(id);
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
        return DeployedMarkets.keys(cloud, markets, Journal.reader(Objects.requireNonNull(controlPlane,
                "controlPlane")));
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
        return deployment.deploy(id, actor);
    }

    /** The market's state. */
    public MarketState state(MarketId market) {
        return deployed.state(market);
    }

    /** The LIVE markets, ordered by id. */
    public List<MarketId> liveMarkets() {
        return deployed.live();
    }

    /** The journal of a market's deployment, in step order. */
    public List<StepRecord> journal(MarketId market) {
        return journal.steps(Subjects.of(market));
    }

    /** The journal of a tenant's provisioning and offboarding, in step order. */
    public List<StepRecord> journal(TenantId tenant) {
        return journal.steps(Subjects.of(tenant));
    }

    /** The audit trail of a market, oldest first. */
    public List<AuditEntry> auditTrail(MarketId market) {
        return journal.auditTrail(Subjects.of(market));
    }

    /** The audit trail of a tenant, oldest first. */
    public List<AuditEntry> auditTrail(TenantId tenant) {
        return journal.auditTrail(Subjects.of(tenant));
    }

    /**
     * The go-live checklist of a market, each item checked against the state found now (endpoints reached,
     * the master key used, stored objects compared with the current bundles, compliance evaluated again).
     */
    public Checklist goLiveChecklist(MarketId id) {
        return deployment.goLiveChecklist(id);
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
        return lifecycle.provision(tenant, actor);
    }

    /** The onboarding checklist of a tenant, each item checked against the state found now. */
    public Checklist onboardingChecklist(TenantId id) {
        return lifecycle.onboardingChecklist(id);
    }

    /** Suspends a tenant: its connections are refused until {@link #resume}. */
    public Tenant suspend(TenantId id, String actor) {
        checkActor(actor);
        return lifecycle.transition(id, TenantState.SUSPENDED, "tenant.suspend", actor);
    }

    /** Resumes a suspended tenant. */
    public Tenant resume(TenantId id, String actor) {
        checkActor(actor);
        return lifecycle.transition(id, TenantState.ACTIVE, "tenant.resume", actor);
    }

    /**
     * Moves a tenant to another isolation level or endpoint while it stays online ({@link TenantDataSource#move}:
     * copy, a short write freeze for that tenant only, verification, an atomic switch of its placement, then the
     * source erased), under the tenant's operation lock (no offboarding meanwhile), with the start and the outcome
     * in its audit trail. A failed or interrupted move is finished by calling {@code move} again with the same
     * target; before its switch a failure leaves the tenant on its source, untouched.
     *
     * @param id the tenant (ACTIVE or SUSPENDED)
     * @param level the isolation level to move it to
     * @param endpoint the endpoint to move it to
     * @param actor who asks
     * @return what was moved
     * @throws PlatformException if the tenant is in another state
     * @throws com.enterprisehub.geo.isolation.IsolationException if the move is refused or a step fails (the message
     *     says whether to call move again); see {@link TenantDataSource#move} for what is not supported yet
     */
    public MoveResult move(TenantId id, IsolationLevel level, String endpoint, String actor) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(endpoint, "endpoint");
        checkActor(actor);
        return lifecycle.move(id, level, endpoint, actor);
    }

    /**
     * Gives up a tenant's unfinished {@link #move move} instead of finishing it ({@link TenantDataSource#cancelMove}:
     * the tenant goes back to its source, untouched, and the target is erased), under the tenant's operation lock,
     * with the start and the outcome in its audit trail ({@code tenant.move.cancel}).
     *
     * @param id the tenant
     * @param actor who asks
     * @return true if an unfinished move was cancelled, false if the tenant had none
     * @throws com.enterprisehub.geo.isolation.IsolationException if the move already switched (call {@code move} to
     *     finish it) or is running in another process
     */
    public boolean cancelMove(TenantId id, String actor) {
        Objects.requireNonNull(id, "id");
        checkActor(actor);
        return lifecycle.cancelMove(id, actor);
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
        return lifecycle.offboard(id, actor);
    }

    // ------------------------------------------------------------------ exports

    /** The export {@link #offboard} wrote of a tenant, as the control plane recorded it, unless it was deleted. */
    public Optional<TenantExport> export(TenantId id) {
        return exports.export(id);
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
        exports.read(id, out, actor);
    }

    /**
     * The tenant's data key as its export keeps it: decrypts the values the host had encrypted with the
     * tenant's {@link TenantCipher}, which appear encrypted in the export, after the tenant's own key is gone.
     * Recorded in the tenant's audit trail.
     */
    public TenantCipher exportCipher(TenantId id, String actor) {
        checkActor(actor);
        return exports.cipher(id, actor);
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
        exports.delete(id, actor);
    }

    private static void checkActor(String actor) {
        if (actor == null || actor.isBlank() || actor.length() > 200) {
            throw new GeoValidationException("Name who performs a platform operation (1 to 200 characters, e.g."
                    + " 'ops@example.com'); it goes into the audit trail.");
        }
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
        private final Map<String, Map<String, String>> mlsFeeds = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The settings of an MLS feed's provider ({@code reso-web-api}: {@code service-url}, {@code token-url}, ...;
         * see the provider), by the feed's id (a market's {@code MlsIntegration.id()}, {@code "crmls"}), for the MLS
         * readiness step of {@link Platform#assess} and {@link Platform#goLiveChecklist}: with them, the step opens the
         * feed for the market's tenants (one check per credential place: each tenant holding its own, and one for all
         * the tenants reading the feed's) and reads its first page; without them it checks the credentials only and
         * sends nothing. The region's {@code SecretStore} and the platform's clock are added to the provider context.
         * The step opens a feed at most 5 times per assessment (the feed's credentials first, then tenants with their
         * own), and {@code reso-web-api} checks use {@code max-retries=0}, {@code max-retry-wait=PT5S},
         * {@code request-timeout=PT10S} and {@code max-pull-time=PT20S} unless these settings give them, since
         * {@code deploy} runs the step under its market's lock. Settings hold no secrets: credentials are read from the
         * secret store, and a URL with a user name or password ({@code https://user:pw@host/}) is refused. Replaces
         * earlier settings of the feed.
         *
         * @throws GeoValidationException if the id or a setting's name or value is blank, or a value is a URL holding
         *     a user name or password (an id that is no market's MLS feed, a REAXML feed — its directory is per
         *     tenant, so the step does not open it — or settings its provider refuses, are refused by {@link #build()})
         */
        public Builder mlsFeed(String feedId, Map<String, String> settings) {
            Objects.requireNonNull(settings, "settings");
            if (feedId == null || feedId.isBlank()) {
                throw new GeoValidationException("An MLS feed's id is its market's MlsIntegration.id() (\"crmls\");"
                        + " got a blank one.");
            }
            settings.forEach((name, value) -> {
                if (name == null || name.isBlank() || value == null || value.isBlank()) {
                    throw new GeoValidationException("MLS feed '" + feedId + "': setting '" + name + "' needs a name"
                            + " and a value.");
                }
            });
            MlsReadiness.refuseCredentialsIn(feedId, settings);
            mlsFeeds.put(feedId, Map.copyOf(settings));
            return this;
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
         * @throws GeoValidationException naming every missing part, or an {@link #mlsFeed} of no market or with
         *     settings its provider refuses
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
            MlsReadiness.checkFeeds(markets, mlsFeeds);
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
