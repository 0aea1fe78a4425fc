package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Moves proposed by a {@link PlacementPlanner}, in the order to run them, with each endpoint's utilization (load
 * over capacity) before and after. Carry each move out with {@link TenantDataSource#move}, keeping the tenant's
 * level; the plan changes nothing by itself.
 *
 * @param moves the moves, in order; empty when the endpoints are balanced already or nothing can improve them
 * @param utilizationBefore each endpoint's load over its capacity now
 * @param utilizationAfter each endpoint's load over its capacity once every move is done
 */
public record PlacementPlan(List<Move> moves, Map<String, Double> utilizationBefore,
        Map<String, Double> utilizationAfter) {

    public PlacementPlan {
        moves = List.copyOf(moves);
        utilizationBefore = Map.copyOf(utilizationBefore);
        utilizationAfter = Map.copyOf(utilizationAfter);
    }

    /** Why a move is proposed. */
    public enum Reason {
        /** The tenant sits on an endpoint its market's residency rule no longer allows: the move is required. */
        RESIDENCY,
        /** The move brings a fuller endpoint's load closer to the others'. */
        BALANCE
    }

    /**
     * One tenant moved from one endpoint to another.
     *
     * @param tenant the tenant
     * @param from the endpoint it is on
     * @param to the endpoint to move it to (in a region its market's residency rule allows, with room for it)
     * @param size the tenant's size, in the unit of the planner's sizes and capacities
     * @param reason why
     */
    public record Move(TenantId tenant, String from, String to, long size, Reason reason) {
        public Move {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The highest utilization minus the lowest, before the moves. */
    public double spreadBefore() {
        return spread(utilizationBefore);
    }

    /** The highest utilization minus the lowest, after the moves. */
    public double spreadAfter() {
        return spread(utilizationAfter);
    }

    private static double spread(Map<String, Double> utilization) {
        double max = utilization.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double min = utilization.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        return max - min;
    }
}
