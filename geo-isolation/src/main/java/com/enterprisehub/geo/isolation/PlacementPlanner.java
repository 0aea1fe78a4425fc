package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DataResidency;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Plans tenant moves that spread load over endpoints within each tenant's residency rule: what to run after
 * registering a new endpoint, or when one fills up. Sizes and capacities are in one unit of the host's choice
 * (bytes on disk, rows, connections, requests per second); the planner only compares them.
 *
 * <pre>{@code
 * PlacementPlan plan = PlacementPlanner.builder()
 *         .endpoint("us-1", DeploymentRegion.US_EAST, 500_000_000_000L)
 *         .endpoint("us-2", DeploymentRegion.US_EAST, 500_000_000_000L)          // just added
 *         .tenant(TenantId.of("acme"), 40_000_000_000L, "us-1", market.dataResidency())
 *         // ... every tenant that may move (leave out REGULATORY tenants: their server is their own)
 *         .maxMoves(20)
 *         .build().plan();
 * for (PlacementPlan.Move move : plan.moves()) {
 *     dataSource.move(move.tenant(), levelOf(move.tenant()), move.to());
 * }
 * }</pre>
 *
 * <p>How it plans, deterministically: first every tenant on an endpoint its residency rule no longer allows is
 * moved (reason {@link PlacementPlan.Reason#RESIDENCY}) to the least utilized allowed endpoint with room for it;
 * then, up to {@code maxMoves} in all, it repeatedly takes the single move that lowers the imbalance most (the sum
 * over endpoints of load squared over capacity), among moves from an endpoint to one whose utilization is lower by
 * more than the tolerance, that keep the target within its capacity and leave neither endpoint fuller than the
 * source was. Each tenant moves at most once. Every accepted move strictly lowers the imbalance, so planning ends.
 * A greedy plan, not an optimal one: it favours few, large moves over a perfect balance.
 *
 * <p>Instances are immutable and thread-safe; {@link #plan()} reads nothing but its inputs.
 */
public final class PlacementPlanner {
    private final Map<String, EndpointSpec> endpoints;
    private final Map<TenantId, TenantSpec> tenants;
    private final int maxMoves;
    private final double tolerance;
    /** Endpoint names and tenants in the order every loop visits them (so plans are deterministic). */
    private final List<String> endpointNames;
    private final List<TenantSpec> tenantsInOrder;

    private record EndpointSpec(String name, DeploymentRegion region, long capacity) {
    }

    private record TenantSpec(TenantId id, long size, String endpoint, DataResidency residency) {
    }

    private PlacementPlanner(Builder b) {
        this.endpoints = Map.copyOf(b.endpoints);
        this.tenants = Map.copyOf(b.tenants);
        this.maxMoves = b.maxMoves;
        this.tolerance = b.tolerance;
        this.endpointNames = endpoints.keySet().stream().sorted().toList();
        this.tenantsInOrder = tenants.values().stream().sorted(Comparator.comparing((TenantSpec t) -> t.id().value()))
                .toList();
    }

    /** A builder with no endpoints or tenants, at most 10 moves and a tolerance of 0.05. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The moves, in order.
     *
     * @throws IsolationException if a tenant must leave its endpoint for residency and no allowed endpoint has room
     */
    public PlacementPlan plan() {
        Map<String, Long> load = new LinkedHashMap<>();
        endpointNames.forEach(name -> load.put(name, 0L));
        Map<TenantId, String> at = new LinkedHashMap<>();
        for (TenantSpec t : tenantsInOrder) {
            load.merge(t.endpoint(), t.size(), Long::sum);
            at.put(t.id(), t.endpoint());
        }
        Map<String, Double> before = utilization(load);
        List<PlacementPlan.Move> moves = new ArrayList<>();
        Set<TenantId> moved = new HashSet<>();
        for (TenantSpec t : tenantsInOrder) {
            if (!t.residency().permits(endpoints.get(t.endpoint()).region())) {
                String to = endpointNames.stream()
                        .filter(e -> t.residency().permits(endpoints.get(e).region()))
                        .filter(e -> load.get(e) + t.size() <= endpoints.get(e).capacity())
                        .min(Comparator.comparingDouble((String e) -> ratio(load.get(e), e)).thenComparing(e -> e))
                        .orElseThrow(() -> new IsolationException("Tenant '" + t.id() + "' must leave endpoint '"
                                + t.endpoint() + "' (region " + endpoints.get(t.endpoint()).region() + "): its market's"
                                + " residency rule allows only " + t.residency().allowedRegions() + ", and no"
                                + " endpoint there has room for its size " + t.size() + ". Register an endpoint in"
                                + " one of those regions, then plan again."));
                apply(new PlacementPlan.Move(t.id(), t.endpoint(), to, t.size(), PlacementPlan.Reason.RESIDENCY),
                        load, at, moves, moved);
            }
        }
        while (moves.size() < maxMoves) {
            PlacementPlan.Move best = null;
            double bestChange = 0;
            for (TenantSpec t : tenantsInOrder) {
                if (moved.contains(t.id())) {
                    continue;
                }
                String from = at.get(t.id());
                double fromBefore = ratio(load.get(from), from);
                for (String to : endpointNames) {
                    EndpointSpec target = endpoints.get(to);
                    if (to.equals(from) || !t.residency().permits(target.region())
                            || load.get(to) + t.size() > target.capacity()
                            || fromBefore - ratio(load.get(to), to) <= tolerance) {
                        continue;
                    }
                    double fromAfter = ratio(load.get(from) - t.size(), from);
                    double toAfter = ratio(load.get(to) + t.size(), to);
                    if (Math.max(fromAfter, toAfter) >= fromBefore) {
                        continue;
                    }
                    // change of sum(load^2 / capacity): size * ((u_to + u_to') - (u_from + u_from'))
                    double change = t.size() * ((ratio(load.get(to), to) + toAfter) - (fromBefore + fromAfter));
                    if (change < bestChange) {
                        bestChange = change;
                        best = new PlacementPlan.Move(t.id(), from, to, t.size(), PlacementPlan.Reason.BALANCE);
                    }
                }
            }
            if (best == null) {
                break;
            }
            apply(best, load, at, moves, moved);
        }
        return new PlacementPlan(moves, before, utilization(load));
    }

    private static void apply(PlacementPlan.Move move, Map<String, Long> load, Map<TenantId, String> at,
            List<PlacementPlan.Move> moves, Set<TenantId> moved) {
        load.merge(move.from(), -move.size(), Long::sum);
        load.merge(move.to(), move.size(), Long::sum);
        at.put(move.tenant(), move.to());
        moves.add(move);
        moved.add(move.tenant());
    }

    private double ratio(long load, String endpoint) {
        return (double) load / endpoints.get(endpoint).capacity();
    }

    private Map<String, Double> utilization(Map<String, Long> load) {
        Map<String, Double> result = new LinkedHashMap<>();
        load.forEach((name, l) -> result.put(name, ratio(l, name)));
        return result;
    }


    /** Configures a {@link PlacementPlanner}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, EndpointSpec> endpoints = new LinkedHashMap<>();
        private final Map<TenantId, TenantSpec> tenants = new LinkedHashMap<>();
        private int maxMoves = 10;
        private double tolerance = 0.05;

        private Builder() {
        }

        /**
         * An endpoint tenants may be placed on.
         *
         * @param name the endpoint's name, as registered with the data source
         * @param region where it is
         * @param capacity how much it may hold, in the unit of the tenants' sizes; more than 0
         * @return this builder
         */
        public Builder endpoint(String name, DeploymentRegion region, long capacity) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(region, "region");
            if (capacity <= 0) {
                throw new GeoValidationException("Endpoint '" + name + "' needs a capacity above 0, in the unit of"
                        + " the tenants' sizes; got " + capacity + ".");
            }
            if (endpoints.putIfAbsent(name, new EndpointSpec(name, region, capacity)) != null) {
                throw new GeoValidationException("Endpoint '" + name + "' is given twice; give each endpoint once.");
            }
            return this;
        }

        /**
         * A tenant that may be moved.
         *
         * @param id the tenant
         * @param size how much it holds (0 or more), in the unit of the endpoints' capacities
         * @param endpoint the endpoint it is on now, given to {@link #endpoint} as well
         * @param residency its market's residency rule
         * @return this builder
         */
        public Builder tenant(TenantId id, long size, String endpoint, DataResidency residency) {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(residency, "residency");
            if (size < 0) {
                throw new GeoValidationException("Tenant '" + id + "' has a negative size (" + size + "); give its"
                        + " size as 0 or more.");
            }
            if (tenants.putIfAbsent(id, new TenantSpec(id, size, endpoint, residency)) != null) {
                throw new GeoValidationException("Tenant '" + id + "' is given twice; give each tenant once.");
            }
            return this;
        }

        /**
         * The most moves the plan may propose, residency moves included (they are proposed even beyond it).
         *
         * @param maxMoves 0 or more
         * @return this builder
         */
        public Builder maxMoves(int maxMoves) {
            if (maxMoves < 0) {
                throw new GeoValidationException("maxMoves must be 0 or more; got " + maxMoves + ".");
            }
            this.maxMoves = maxMoves;
            return this;
        }

        /**
         * How far apart two endpoints' utilizations may be before a move between them is considered.
         *
         * @param tolerance between 0 (inclusive) and 1 (exclusive)
         * @return this builder
         */
        public Builder tolerance(double tolerance) {
            if (!(tolerance >= 0 && tolerance < 1)) {
                throw new GeoValidationException("tolerance must be at least 0 and below 1; got " + tolerance + ".");
            }
            this.tolerance = tolerance;
            return this;
        }

        /**
         * The planner.
         *
         * @throws GeoValidationException if a tenant is on an endpoint that was not given
         */
        public PlacementPlanner build() {
            for (TenantSpec t : tenants.values()) {
                if (!endpoints.containsKey(t.endpoint())) {
                    throw new GeoValidationException("Tenant '" + t.id() + "' is on endpoint '" + t.endpoint()
                            + "', which was not given; give every endpoint with endpoint(name, region, capacity).");
                }
            }
            return new PlacementPlanner(this);
        }
    }
}
