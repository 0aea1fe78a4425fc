package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.market.MarketTier;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Revenue from the catalog's market figures and a plan: stated totals checked against the sum of their
 * parts, and ARR projected from penetration targets.
 */
public final class RevenueProjection {
    private RevenueProjection() {
    }

    /**
     * Each of the plan's stated totals against the sum of the revenue ranges of the markets it covers (its
     * tier, or all markets).
     *
     * @throws AnalyticsException if a market's revenue range is in another currency than the plan's
     */
    public static List<TotalCheck> check(Collection<Market> markets, RevenuePlan plan) {
        Objects.requireNonNull(markets, "markets");
        Objects.requireNonNull(plan, "plan");
        List<TotalCheck> out = new ArrayList<>();
        for (StatedTotal total : plan.totals()) {
            List<MarketId> ids = new ArrayList<>();
            BigDecimal low = BigDecimal.ZERO;
            BigDecimal high = BigDecimal.ZERO;
            for (Market m : markets) {
                if (total.tier().isPresent() && total.tier().get() != m.tier()) {
                    continue;
                }
                if (!m.revenueRange().currency().equals(total.currency())) {
                    throw new AnalyticsException("Market " + m.id() + " gives its revenue in "
                            + m.revenueRange().currency() + ", the plan in " + total.currency() + "; use one currency.");
                }
                ids.add(m.id());
                low = low.add(m.revenueRange().low());
                high = high.add(m.revenueRange().high());
            }
            out.add(new TotalCheck(total, ids, low, high));
        }
        return out;
    }

    /**
     * Projects each market's ARR as {@code targetCustomers x penetration x revenuePerCustomer}, at the
     * tier's low and high penetration, and the revenue per customer its own revenue range implies.
     *
     * @param revenuePerCustomer the yearly revenue one customer brings, which the host supplies (the seed
     *     states none)
     */
    public static List<MarketProjection> project(Collection<Market> markets, RevenuePlan plan,
            BigDecimal revenuePerCustomer, Currency currency) {
        Objects.requireNonNull(revenuePerCustomer, "revenuePerCustomer");
        Objects.requireNonNull(currency, "currency");
        if (revenuePerCustomer.signum() <= 0) {
            throw new AnalyticsException("Revenue per customer must be positive; got " + revenuePerCustomer + ".");
        }
        List<MarketProjection> out = new ArrayList<>();
        for (Market m : markets) {
            MarketTier tier = m.tier();
            Optional<PenetrationTarget> target = plan.penetration(tier);
            if (m.targetCustomers().isEmpty() || target.isEmpty()) {
                String why = m.targetCustomers().isEmpty() ? "the catalog gives no target customers for " + m.id()
                        : "the plan gives no penetration target for " + tier;
                out.add(new MarketProjection(m.id(), tier, Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.of(why)));
                continue;
            }
            if (!m.revenueRange().currency().equals(currency)) {
                throw new AnalyticsException("Market " + m.id() + " gives its revenue in " + m.revenueRange().currency()
                        + ", the revenue per customer is in " + currency + "; use one currency.");
            }
            BigDecimal customers = BigDecimal.valueOf(m.targetCustomers().get());
            BigDecimal low = BigDecimal.valueOf(target.get().low());
            BigDecimal high = BigDecimal.valueOf(target.get().high());
            BigDecimal wonLow = customers.multiply(low);
            BigDecimal wonHigh = customers.multiply(high);
            int digits = Math.max(0, currency.getDefaultFractionDigits());
            out.add(new MarketProjection(m.id(), tier,
                    Optional.of(wonLow.multiply(revenuePerCustomer).setScale(digits, RoundingMode.HALF_EVEN)),
                    Optional.of(wonHigh.multiply(revenuePerCustomer).setScale(digits, RoundingMode.HALF_EVEN)),
                    implied(m.revenueRange().low(), wonLow, digits), implied(m.revenueRange().high(), wonHigh, digits),
                    Optional.empty()));
        }
        return out;
    }

    private static Optional<BigDecimal> implied(BigDecimal revenue, BigDecimal customersWon, int digits) {
        return customersWon.signum() == 0 ? Optional.empty()
                : Optional.of(revenue.divide(customersWon, digits, RoundingMode.HALF_EVEN));
    }
}
