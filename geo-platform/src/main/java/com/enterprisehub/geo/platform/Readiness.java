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
import com.enterprisehub.geo.localization.tax.TransferTaxes;
import com.enterprisehub.geo.platform.compliance.ComplianceReport;
import com.enterprisehub.geo.platform.compliance.RequirementResult;
import com.enterprisehub.geo.platform.compliance.Status;
import com.enterprisehub.geo.platform.internal.Reports;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.listing.ListingFeedProvider;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.javamoney.moneta.Money;

/**
 * {@link Platform#assess}: a market's blockers and recommendations, computed from the actual state (the cloud's
 * regions, the registered endpoints, the localization's coverage, the transfer-tax calculators, the compliance
 * configuration, MLS feeds: a provider of each one's protocol, and for each tenant of the market its credentials where
 * its feed reads them, checked as the feed checks them, and the feed opened at its first page when its settings are
 * configured: {@link MlsReadiness}); and the probes the go-live checklist shares with it. Thread-safe.
 */
final class Readiness {
    /** The price of the sample purchase transfer taxes are computed for. */
    static final BigDecimal SAMPLE_PRICE = new BigDecimal("500000");

    private final MarketCatalog markets;
    private final Cloud cloud;
    private final TenantDataSource dataSource;
    private final Localization localization;
    private final TransferTaxes taxes;
    private final ComplianceConfigurations compliance;
    private final DeployedMarkets deployed;
    private final MlsReadiness mls;
    private final Clock clock;

    Readiness(MarketCatalog markets, Cloud cloud, TenantDataSource dataSource, Localization localization,
            TransferTaxes taxes, ComplianceConfigurations compliance, DeployedMarkets deployed, MlsReadiness mls,
            Clock clock) {
        this.markets = markets;
        this.cloud = cloud;
        this.dataSource = dataSource;
        this.localization = localization;
        this.taxes = taxes;
        this.compliance = compliance;
        this.deployed = deployed;
        this.mls = mls;
        this.clock = clock;
    }

    ReadinessReport assess(MarketId id) {
        Market market = markets.require(id);
        List<Finding> blockers = new ArrayList<>();
        List<Finding> recommendations = new ArrayList<>();
        LocalDate today = today(market);

        Optional<DeploymentRegion> recorded = deployed.recorded(market);
        Optional<DeploymentRegion> region = recorded.isPresent() ? recorded : deployed.chosen(market);
        Optional<String> recordedProblem = recorded.flatMap(at -> DeployedMarkets.problem(market, at, cloud));
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
            if (!coverage.reaches(Platform.MINIMUM_COVERAGE_PERCENT)) {
                blockers.add(new Finding("localization.coverage", "Locale " + coverage.locale().toLanguageTag()
                        + " covers " + coverage.coveragePercent() + "% of the messages (" + coverage.translated() + " of "
                        + coverage.keys() + "), under " + Platform.MINIMUM_COVERAGE_PERCENT + "%. Missing: "
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
        ComplianceReport report = compliance.evaluate(market, region.or(() -> recorded).orElse(market.region()), today);
        for (RequirementResult r : report.with(Status.NOT_MET)) {
            blockers.add(new Finding("compliance." + r.requirement().id(), r.requirement().law().name() + " ("
                    + String.join(", ", r.jurisdictions()) + "): " + r.reason() + ". Requirement: "
                    + r.requirement().text() + " Source: " + r.requirement().source()));
        }
        for (MlsIntegration feed : market.mlsIntegrations()) {
            List<ListingFeedProvider> providers = MarketLayout.feedProviders(feed);
            if (providers.isEmpty()) {
                recommendations.add(new Finding("mls.provider", "No listing-feed provider on the class path reads "
                        + feed.protocol() + " (MLS feed '" + feed.id() + "', " + feed.name() + "); its listings will"
                        + " not sync. geo-mls provides reso-web-api and reaxml; add it, or a provider of "
                        + feed.protocol() + "."));
            }
            region.flatMap(cloud::region).ifPresent(cloudRegion -> recommendations.addAll(mls.check(market, feed,
                    cloudRegion)));
        }
        return new ReadinessReport(id, region, blockers, recommendations, report);
    }

    /** Today in the market's time zone. */
    LocalDate today(Market market) {
        return LocalDate.now(clock.withZone(market.timeZone()));
    }

    /** The shared endpoints of the data source in a region the market allows, by name. */
    Map<String, DeploymentRegion> endpoints(Market market) {
        Map<String, DeploymentRegion> allowed = new LinkedHashMap<>();
        dataSource.sharedEndpoints().forEach((name, region) -> {
            if (market.dataResidency().permits(region)) {
                allowed.put(name, region);
            }
        });
        return allowed;
    }

    /** Why transfer taxes cannot be computed for a sample purchase today, if they cannot. */
    Optional<String> taxProblem(Market market, Jurisdiction j, LocalDate today) {
        try {
            taxes.calculate(TransferTaxRequest.builder(Money.of(SAMPLE_PRICE, market.currency().getCurrencyCode()),
                    j.code(), today).build());
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("Transfer taxes of " + j.code() + " cannot be computed for a purchase on " + today
                    + ": " + e.getMessage());
        }
    }

    /** Whether {@code j} has a calculator at all. */
    boolean hasCalculator(Jurisdiction j) {
        return taxes.jurisdictions().contains(j.code());
    }
}
