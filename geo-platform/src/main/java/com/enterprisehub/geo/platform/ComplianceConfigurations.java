package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.isolation.TenantPlacement;
import com.enterprisehub.geo.platform.compliance.ComplianceConfiguration;
import com.enterprisehub.geo.platform.compliance.ComplianceProfiles;
import com.enterprisehub.geo.platform.compliance.ComplianceReport;
import com.enterprisehub.geo.platform.internal.ComplianceJson;
import com.enterprisehub.geo.platform.internal.Journal;
import com.enterprisehub.geo.platform.internal.StepRunner;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Objects;

/**
 * {@link Platform}'s compliance job: the compliance configurations of markets and tenants, stored in the
 * control plane ({@code geo_platform.compliance}) and audited, and their evaluation against the profiles of a
 * market's jurisdictions. Thread-safe.
 */
final class ComplianceConfigurations {
    private final MarketCatalog markets;
    private final TenantCatalog tenants;
    private final TenantDataSource dataSource;
    private final ComplianceProfiles profiles;
    private final DeployedMarkets deployed;
    private final Journal journal;
    private final StepRunner runner;
    private final Clock clock;

    ComplianceConfigurations(MarketCatalog markets, TenantCatalog tenants, TenantDataSource dataSource,
            ComplianceProfiles profiles, DeployedMarkets deployed, Journal journal, StepRunner runner, Clock clock) {
        this.markets = markets;
        this.tenants = tenants;
        this.dataSource = dataSource;
        this.profiles = profiles;
        this.deployed = deployed;
        this.journal = journal;
        this.runner = runner;
        this.clock = clock;
    }

    void configure(MarketId market, ComplianceConfiguration configuration, String actor) {
        markets.require(market);
        store(Subjects.of(market), configuration, actor);
    }

    ComplianceConfiguration configuration(MarketId market) {
        return stored(Subjects.of(markets.require(market).id()));
    }

    void configure(TenantId tenant, ComplianceConfiguration configuration, String actor) {
        if (tenants.require(tenant).state() == TenantState.DELETED) {
            throw new PlatformException("Tenant '" + tenant + "' is DELETED; it has no compliance to configure.");
        }
        store(Subjects.of(tenant), configuration, actor);
    }

    ComplianceConfiguration configuration(TenantId tenant) {
        return stored(Subjects.of(Objects.requireNonNull(tenant, "tenant")));
    }

    /** The market's own configuration evaluated with its data in {@code dataRegion} on {@code today}. */
    ComplianceReport evaluate(Market market, DeploymentRegion dataRegion, LocalDate today) {
        return profiles.evaluate(market, configuration(market.id()), dataRegion, today);
    }

    /** A tenant's configuration over its market's, with its data where it is placed, on today's date there. */
    ComplianceReport evaluate(TenantId id) {
        Tenant tenant = tenants.require(id);
        Market market = markets.require(tenant.market());
        DeploymentRegion dataRegion = dataSource.placement(id).map(TenantPlacement::region)
                .orElse(deployed.deployed(market).orElse(market.region()));
        ComplianceReport report = profiles.evaluate(market, configuration(id).over(configuration(market.id())),
                dataRegion, LocalDate.now(clock.withZone(market.timeZone())));
        return new ComplianceReport("tenant " + id, report.results());
    }

    private void store(String subject, ComplianceConfiguration configuration, String actor) {
        Objects.requireNonNull(configuration, "configuration");
        journal.compliance(subject, ComplianceJson.write(configuration), clock.instant(), actor);
        runner.record(subject, "compliance.configure", StepStatus.DONE, actor, "configuration stored");
    }

    private ComplianceConfiguration stored(String subject) {
        return journal.compliance(subject).map(json -> ComplianceJson.read(json, subject))
                .orElse(ComplianceConfiguration.none());
    }
}
