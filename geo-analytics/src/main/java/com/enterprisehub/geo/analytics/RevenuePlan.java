package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.core.market.MarketTier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a business plan states about revenue: totals for groups of markets and penetration targets per
 * tier. {@link #seed()} is the seed design document's plan, figure by figure with the line it is on.
 *
 * @param totals the stated totals
 * @param penetration the penetration targets, at most one per tier
 */
public record RevenuePlan(List<StatedTotal> totals, List<PenetrationTarget> penetration) {
    private static final String SEED = "seed-revenue-plan.json";

    public RevenuePlan {
        totals = List.copyOf(totals);
        penetration = List.copyOf(penetration);
        if (penetration.stream().map(PenetrationTarget::tier).distinct().count() != penetration.size()) {
            throw new AnalyticsException("A plan gives at most one penetration target per tier.");
        }
    }

    /** The penetration target of {@code tier}, if the plan has one. */
    public Optional<PenetrationTarget> penetration(MarketTier tier) {
        return penetration.stream().filter(p -> p.tier() == tier).findFirst();
    }

    /** The seed design document's revenue plan (geographic-scaling-architecture.md). */
    public static RevenuePlan seed() {
        try (InputStream in = RevenuePlan.class.getResourceAsStream(SEED)) {
            return load(Objects.requireNonNull(in, SEED), SEED);
        } catch (IOException e) {
            throw new AnalyticsException("Could not read the bundled " + SEED + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a plan in the JSON form of the bundled seed plan ({@code currency}, {@code statedTotals} with
     * {@code label}, optional {@code tier}, {@code low}, {@code high}, {@code where}; {@code penetration}
     * with {@code tier}, {@code low}, {@code high}, {@code where}).
     *
     * @throws AnalyticsException naming the entry and field at fault
     */
    public static RevenuePlan load(InputStream in, String name) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new AnalyticsException(name + " is not valid JSON: " + e.getMessage(), e);
        }
        Currency currency = Currency.getInstance(text(root, "currency", name));
        List<StatedTotal> totals = new ArrayList<>();
        int i = 0;
        for (JsonNode t : root.path("statedTotals")) {
            String where = name + " statedTotals[" + i++ + "]";
            Optional<MarketTier> tier = t.hasNonNull("tier") ? Optional.of(tier(t, where)) : Optional.empty();
            totals.add(new StatedTotal(text(t, "label", where), tier, number(t, "low", where), number(t, "high", where),
                    currency, text(t, "where", where)));
        }
        List<PenetrationTarget> penetration = new ArrayList<>();
        i = 0;
        for (JsonNode p : root.path("penetration")) {
            String where = name + " penetration[" + i++ + "]";
            penetration.add(new PenetrationTarget(tier(p, where), number(p, "low", where).doubleValue(),
                    number(p, "high", where).doubleValue(), text(p, "where", where)));
        }
        return new RevenuePlan(totals, penetration);
    }

    private static MarketTier tier(JsonNode node, String where) {
        String value = text(node, "tier", where);
        try {
            return MarketTier.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new AnalyticsException(where + ": tier '" + value + "' is not one of " + List.of(MarketTier.values()) + ".");
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new AnalyticsException(where + ": '" + field + "' must be a non-empty string.");
        }
        return v.asText();
    }

    private static BigDecimal number(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) {
            throw new AnalyticsException(where + ": '" + field + "' must be a number.");
        }
        return v.decimalValue();
    }
}
