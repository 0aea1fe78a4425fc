package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.isolation.MoveResult;
import com.enterprisehub.geo.isolation.TenantCipher;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.isolation.TenantPlacement;
import com.enterprisehub.geo.platform.Platform.OffboardingStep;
import com.enterprisehub.geo.platform.Platform.ProvisioningStep;
import com.enterprisehub.geo.platform.compliance.ComplianceReport;
import com.enterprisehub.geo.platform.compliance.Status;
import com.enterprisehub.geo.platform.internal.Exports;
import com.enterprisehub.geo.platform.internal.Journal;
import com.enterprisehub.geo.platform.internal.Reports;
import com.enterprisehub.geo.platform.internal.Step;
import com.enterprisehub.geo.platform.internal.StepList;
import com.enterprisehub.geo.platform.internal.StepRunner;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link Platform}'s tenant lifecycle job: provisioning and offboarding as the lists of {@link ProvisioningStep}s
 * and {@link OffboardingStep}s the {@link StepRunner} runs (both journaled under the tenant, offboarding from
 * ordinal 100), suspension and resumption, and the onboarding checklist. Thread-safe; provisioning and
 * offboarding hold the tenant's lock.
 */
final class TenantLifecycle {
    /** The journal ordinal of the first offboarding step: after the provisioning steps of the same tenant. */
    static final int FIRST_OFFBOARDING_ORDINAL = 100;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What each offboarding step acts on: the tenant as it was before, its market, where its export goes. */
    private record Offboarding(Tenant tenant, Market market, CloudRegion services) {
    }

    private final MarketCatalog markets;
    private final TenantCatalog tenants;
    private final TenantDataSource dataSource;
    private final TenantSchema schema;
    private final Cloud cloud;
    private final Optional<Path> exportStaging;
    private final ComplianceConfigurations compliance;
    private final DeployedMarkets deployed;
    private final ExportAccess exports;
    private final Journal journal;
    private final StepRunner runner;
    private final Clock clock;
    private final StepList<Tenant> provisioning;
    private final StepList<Offboarding> offboarding;

    TenantLifecycle(MarketCatalog markets, TenantCatalog tenants, TenantDataSource dataSource, TenantSchema schema,
            Cloud cloud, Optional<Path> exportStaging, ComplianceConfigurations compliance, DeployedMarkets deployed,
            ExportAccess exports, Journal journal, StepRunner runner, Clock clock) {
        this.markets = markets;
        this.tenants = tenants;
        this.dataSource = dataSource;
        this.schema = schema;
        this.cloud = cloud;
        this.exportStaging = exportStaging;
        this.compliance = compliance;
        this.deployed = deployed;
        this.exports = exports;
        this.journal = journal;
        this.runner = runner;
        this.clock = clock;
        this.provisioning = new StepList<>(0, List.of(
                Step.<Tenant>of(ProvisioningStep.CATALOG.name(),
                        (t, attempt) -> tenants.find(t.id()).map(found -> "found in " + tenants), this::store),
                Step.<Tenant>of(ProvisioningStep.ISOLATION.name(), t -> place(t.id())),
                Step.<Tenant>of(ProvisioningStep.DATA_KEY.name(), t -> proveDataKey(tenants.require(t.id()))),
                Step.<Tenant>of(ProvisioningStep.ACTIVATE.name(), t -> moveTo(t.id(), TenantState.ACTIVE))))
                .named(Arrays.stream(ProvisioningStep.values()).map(Enum::name).toList());
        this.offboarding = new StepList<>(FIRST_OFFBOARDING_ORDINAL, List.of(
                Step.<Offboarding>of(OffboardingStep.OFFBOARD.name(),
                        o -> moveTo(o.tenant().id(), TenantState.OFFBOARDING)),
                Step.<Offboarding>of(OffboardingStep.EXPORT.name(), this::export),
                Step.<Offboarding>of(OffboardingStep.ERASE.name(), this::erasedBefore, o -> erase(o.tenant().id())),
                Step.<Offboarding>of(OffboardingStep.DELETE.name(), o -> moveTo(o.tenant().id(), TenantState.DELETED))))
                .named(Arrays.stream(OffboardingStep.values()).map(Enum::name).toList());
    }


    // ------------------------------------------------------------------ provisioning

    Tenant provision(Tenant tenant, String actor) {
        Market market = markets.require(tenant.market());
        MarketState state = journal.marketState(tenant.market().value());
        if (state != MarketState.LIVE) {
            throw new MarketNotLiveException(tenant.market(), state, deployed.live());
        }
        deployed.recordedProblem(market).ifPresent(problem -> {
            throw new PlatformException(problem + " No tenant is provisioned in it until that is resolved.");
        });
        schema.validate(tenant);
        if (tenant.state() != TenantState.PROVISIONING) {
            throw new GeoValidationException("A tenant to provision starts in PROVISIONING; '" + tenant.id() + "' is "
                    + tenant.state() + ".");
        }
        try (Journal.SubjectLock lock = runner.lock(Subjects.of(tenant.id()))) {
            return provisionLocked(tenant, actor);
        }
    }

    private Tenant provisionLocked(Tenant tenant, String actor) {
        String subject = Subjects.of(tenant.id());
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
        runner.record(subject, "tenant.provision", StepStatus.STARTED, actor, tenant.isolationLevel() + " in market "
                + tenant.market());
        runner.run(subject, actor, provisioning, tenant);
        runner.record(subject, "tenant.provision", StepStatus.DONE, actor, "provisioned");
        return tenants.require(id);
    }

    private String store(Tenant tenant) {
        tenants.create(tenant);
        return "created in " + tenants;
    }

    private String place(TenantId id) {
        TenantPlacement p = dataSource.provision(id);
        return p.level() + " on endpoint '" + p.endpoint() + "'" + (p.location().isEmpty() ? "" : " as " + p.location());
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

    Checklist onboardingChecklist(TenantId id) {
        String subject = Subjects.of(id);
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
        items.add(ChecklistItems.check("Data key encrypts and decrypts", () -> proveDataKey(tenant.get())));
        items.add(ChecklistItems.check("A connection bound to it works", () -> TenantContext.call(tenant.get(), () -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_user")) {
                rs.next();
                return "connected as " + rs.getString(1);
            } catch (SQLException e) {
                throw new PlatformException(e.getMessage(), e);
            }
        })));
        items.add(ChecklistItems.check("Compliance requirements met (its configuration over its market's)", () -> {
            ComplianceReport report = compliance.evaluate(id);
            if (!report.compliant()) {
                throw new PlatformException(Reports.describe(report) + "; not met: " + report.with(Status.NOT_MET)
                        .stream().map(r -> r.requirement().id()).toList());
            }
            return Reports.describe(report);
        }));
        return new Checklist(subject, items, journal.steps(subject));
    }

    // ------------------------------------------------------------------ suspension

    /** Moves a tenant to {@code target} through the catalog's transition rules, recorded as {@code action}. */
    Tenant transition(TenantId id, TenantState target, String action, String actor) {
        String subject = Subjects.of(id);
        try {
            Tenant after = tenants.transition(id, target);
            runner.record(subject, action, StepStatus.DONE, actor, "now " + after.state());
            return after;
        } catch (RuntimeException e) {
            runner.record(subject, action, StepStatus.FAILED, actor, e.getMessage());
            throw e;
        }
    }

    // ------------------------------------------------------------------ moves

    MoveResult move(TenantId id, IsolationLevel level, String endpoint, String actor) {
        Tenant tenant = tenants.require(id);
        if (tenant.state() != TenantState.ACTIVE && tenant.state() != TenantState.SUSPENDED) {
            throw new PlatformException("Tenant '" + id + "' is " + tenant.state() + ": only an ACTIVE or SUSPENDED"
                    + " tenant can be moved (provision it first, or finish its offboarding).");
        }
        String subject = Subjects.of(id);
        try (Journal.SubjectLock lock = runner.lock(subject)) {
            runner.record(subject, "tenant.move", StepStatus.STARTED, actor, "to " + level + " on endpoint '"
                    + endpoint + "'");
            try {
                MoveResult moved = dataSource.move(id, level, endpoint);
                runner.record(subject, "tenant.move", StepStatus.DONE, actor, moved.from().level() + " on '"
                        + moved.from().endpoint() + "' -> " + moved.to().level() + " on '" + moved.to().endpoint()
                        + "'; " + moved.rows().values().stream().mapToLong(Long::longValue).sum() + " rows verified"
                        + (moved.resumed() ? " (resumed)" : "") + "; writes paused " + moved.writePause().toMillis()
                        + " ms");
                return moved;
            } catch (RuntimeException e) {
                runner.record(subject, "tenant.move", StepStatus.FAILED, actor, e.getMessage());
                throw e;
            }
        }
    }

    boolean cancelMove(TenantId id, String actor) {
        tenants.require(id);
        String subject = Subjects.of(id);
        try (Journal.SubjectLock lock = runner.lock(subject)) {
            runner.record(subject, "tenant.move.cancel", StepStatus.STARTED, actor, "give up the unfinished move");
            try {
                boolean cancelled = dataSource.cancelMove(id);
                runner.record(subject, "tenant.move.cancel", StepStatus.DONE, actor, cancelled
                        ? "back on its source; the target erased" : "no unfinished move");
                return cancelled;
            } catch (RuntimeException e) {
                runner.record(subject, "tenant.move.cancel", StepStatus.FAILED, actor, e.getMessage());
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ offboarding

    TenantExport offboard(TenantId id, String actor) {
        Tenant tenant = tenants.require(id);
        Market market = markets.require(tenant.market());
        CloudRegion services = exportRegion(market, id);
        String subject = Subjects.of(id);
        try (Journal.SubjectLock lock = runner.lock(subject)) {
            runner.record(subject, "tenant.offboard", StepStatus.STARTED, actor, "export to " + services.region());
            runner.run(subject, actor, offboarding, new Offboarding(tenant, market, services));
            runner.record(subject, "tenant.offboard", StepStatus.DONE, actor, "DELETED");
        }
        return exports.export(id).orElseThrow(() -> new PlatformException("The export of tenant '" + id + "' is missing"
                + " from the object storage of " + services.region() + "."));
    }

    /** Where a tenant's export is kept: its market's deployed region. */
    private CloudRegion exportRegion(Market market, TenantId id) {
        return cloud.requireRegion(deployed.deployed(market).orElseThrow(() -> new PlatformException("No cloud region"
                + " is allowed for market '" + market.id() + "' to hold the export of tenant '" + id + "'.")));
    }

    private String export(Offboarding o) {
        TenantId id = o.tenant().id();
        Exports.Written written = Exports.write(o.services(), exportStaging, o.market().id(), id,
                out -> dataSource.export(id, out), TenantContext.call(o.tenant(), dataSource::cipher), clock.instant());
        journal.export(id.value(), written.exportKeyId(), Exports.json(written.export()));
        TenantExport export = written.export();
        return export.rowCount() + " rows from " + export.tables().size() + " table(s), encrypted; "
                + export.rows().key() + " sha256 " + export.rows().sha256();
    }

    /**
     * An unplaced tenant after an interrupted attempt: that attempt erased it and the process died before the
     * journal said so. After a journaled failure (ERASE refused because no endpoint this data source knows holds
     * the tenant), an unplaced tenant is not evidence of erasure: the step runs again and refuses again.
     */
    private Optional<String> erasedBefore(Offboarding o, Step.Attempt attempt) {
        return attempt.interrupted() && dataSource.placement(o.tenant().id()).isEmpty()
                ? Optional.of("already erased by an earlier attempt") : Optional.empty();
    }

    private String erase(TenantId id) {
        if (dataSource.placement(id).isEmpty()) {
            throw new PlatformException("Tenant '" + id + "' is not placed on any endpoint this TenantDataSource"
                    + " knows; register its endpoint before offboarding it, so its data is really erased.");
        }
        return "erased " + dataSource.erase(id);
    }
}
