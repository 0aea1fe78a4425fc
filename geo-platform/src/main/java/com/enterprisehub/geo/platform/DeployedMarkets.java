package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.platform.internal.Journal;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the control plane knows of the markets' deployments — their states, the region each deployment recorded
 * — and the rule every job follows for where a market lives: the recorded region once there is one (the
 * platform never moves a market), before that the one it would be deployed to. Thread-safe.
 */
final class DeployedMarkets {
    private final MarketCatalog markets;
    private final Cloud cloud;
    private final Journal journal;

    DeployedMarkets(MarketCatalog markets, Cloud cloud, Journal journal) {
        this.markets = markets;
        this.cloud = cloud;
        this.journal = journal;
    }

    MarketState state(MarketId market) {
        return journal.marketState(markets.require(market).id().value());
    }

    List<MarketId> live() {
        return journal.marketsIn(MarketState.LIVE).stream().map(MarketId::of).toList();
    }

    /** The region the market's deployment recorded (its REGION step), if it got that far. */
    Optional<DeploymentRegion> recorded(Market market) {
        return journal.marketRegion(market.id().value());
    }

    /** The region the market would be deployed to now (see {@link #chosen(Market, Cloud)}). */
    Optional<DeploymentRegion> chosen(Market market) {
        return chosen(market, cloud);
    }

    /** The region the market was deployed to; before that, the one it would be deployed to. */
    Optional<DeploymentRegion> deployed(Market market) {
        return recorded(market).or(() -> chosen(market));
    }

    /**
     * Why the region a market's deployment recorded can no longer serve it (its residency rule no longer
     * allows it, or the cloud does not offer it), if it cannot; empty before the region is recorded.
     */
    Optional<String> recordedProblem(Market market) {
        return recorded(market).flatMap(at -> problem(market, at, cloud));
    }

    /** Why {@code at}, where the market was deployed, can no longer serve it, if it cannot. */
    static Optional<String> problem(Market market, DeploymentRegion at, Cloud cloud) {
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

    /** The market's own region if the cloud offers it and its residency rule allows it, else an allowed one. */
    static Optional<DeploymentRegion> chosen(Market market, Cloud cloud) {
        if (market.dataResidency().permits(market.region()) && cloud.region(market.region()).isPresent()) {
            return Optional.of(market.region());
        }
        return cloud.regions().stream().filter(market.dataResidency()::permits).findFirst();
    }

    /** See {@link Platform#regionalKeys}. */
    static Function<Tenant, KeyManagement> keys(Cloud cloud, MarketCatalog markets, Journal journal) {
        return tenant -> {
            Market market = markets.require(tenant.market());
            Optional<DeploymentRegion> recorded = journal.marketRegion(market.id().value());
            if (recorded.isPresent()) {
                problem(market, recorded.get(), cloud).ifPresent(problem -> {
                    throw new PlatformException(problem + " Tenant '" + tenant.id() + "' gets no key elsewhere.");
                });
                return cloud.requireRegion(recorded.get()).keys();
            }
            return cloud.requireRegion(chosen(market, cloud).orElseThrow(() -> new PlatformException("Cloud '"
                    + cloud.name() + "' offers no region market '" + market.id() + "' allows (" + market
                    .dataResidency().allowedRegions() + "), so tenant '" + tenant.id() + "' cannot have a key there.")))
                    .keys();
        };
    }
}
