package com.enterprisehub.geo.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DataResidency;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementPlannerTest {
    private static final DataResidency US = DataResidency.within(Set.of(DeploymentRegion.US_EAST,
            DeploymentRegion.US_WEST), "test: United States only");
    private static final DataResidency UK = DataResidency.within(Set.of(DeploymentRegion.EUROPE), "test: UK GDPR");
    private static final DataResidency ANY = DataResidency.anywhere("test: no rule");

    @Test
    void aNewEmptyEndpointTakesTenantsUntilBothAreWithinTheTolerance() {
        PlacementPlanner.Builder b = PlacementPlanner.builder().endpoint("us-1", DeploymentRegion.US_EAST, 100)
                .endpoint("us-2", DeploymentRegion.US_WEST, 100).maxMoves(10);
        int[] sizes = {30, 20, 12, 8, 5};
        for (int i = 0; i < sizes.length; i++) {
            b.tenant(TenantId.of("tenant-" + i), sizes[i], "us-1", US);
        }
        PlacementPlan plan = b.build().plan();
        assertThat(plan.utilizationBefore()).containsEntry("us-1", 0.75).containsEntry("us-2", 0.0);
        assertThat(plan.moves()).isNotEmpty().allSatisfy(m -> {
            assertThat(m.from()).isEqualTo("us-1");
            assertThat(m.to()).isEqualTo("us-2");
            assertThat(m.reason()).isEqualTo(PlacementPlan.Reason.BALANCE);
        });
        assertThat(plan.spreadAfter()).isLessThanOrEqualTo(0.05 + 1e-9);
        // the move that lowers the imbalance most goes first: 30 (0.45 / 0.30); then 8 (0.37 / 0.38) beats
        // 5 (0.40 / 0.35) and 12 (0.33 / 0.42); 20 would make us-2 fuller than us-1 was
        assertThat(plan.moves()).extracting(m -> m.tenant().value()).containsExactly("tenant-0", "tenant-3");
        assertThat(plan.utilizationAfter()).containsEntry("us-1", 0.37).containsEntry("us-2", 0.38);
    }

    @Test
    void aTenantOnAnEndpointItsResidencyNoLongerAllowsIsMovedFirstEvenBeyondMaxMoves() {
        PlacementPlan plan = PlacementPlanner.builder().endpoint("us-1", DeploymentRegion.US_EAST, 100)
                .endpoint("uk-1", DeploymentRegion.EUROPE, 100).endpoint("uk-2", DeploymentRegion.EUROPE, 100)
                .tenant(TenantId.of("crown"), 10, "us-1", UK)
                .tenant(TenantId.of("heath"), 50, "uk-1", UK)
                .maxMoves(0).build().plan();
        assertThat(plan.moves()).containsExactly(new PlacementPlan.Move(TenantId.of("crown"), "us-1", "uk-2", 10,
                PlacementPlan.Reason.RESIDENCY));
    }

    @Test
    void aResidencyMoveWithNoRoomAnywhereAllowedIsRefusedWithWhatToDo() {
        PlacementPlanner planner = PlacementPlanner.builder().endpoint("us-1", DeploymentRegion.US_EAST, 100)
                .endpoint("uk-1", DeploymentRegion.EUROPE, 40)
                .tenant(TenantId.of("crown"), 30, "us-1", UK)
                .tenant(TenantId.of("heath"), 20, "uk-1", UK).build();
        assertThatThrownBy(planner::plan).isInstanceOf(IsolationException.class)
                .hasMessageContaining("'crown' must leave endpoint 'us-1'").hasMessageContaining("[EUROPE]")
                .hasMessageContaining("Register an endpoint");
    }

    @Test
    void balancingNeverCrossesAResidencyRuleOrFillsATargetPastItsCapacity() {
        PlacementPlan plan = PlacementPlanner.builder().endpoint("uk-1", DeploymentRegion.EUROPE, 100)
                .endpoint("us-1", DeploymentRegion.US_EAST, 100).endpoint("us-2", DeploymentRegion.US_EAST, 20)
                .tenant(TenantId.of("crown"), 60, "uk-1", UK).tenant(TenantId.of("heath"), 30, "uk-1", UK)
                .tenant(TenantId.of("oaks"), 70, "us-1", US).tenant(TenantId.of("elms"), 25, "us-1", US)
                .build().plan();
        assertThat(plan.moves()).noneMatch(m -> m.from().startsWith("uk")).noneMatch(m -> m.to().startsWith("uk"));
        // us-2 holds 20: the 25-unit tenant does not fit and the 70-unit one neither
        assertThat(plan.moves()).isEmpty();
        assertThat(plan.utilizationAfter()).isEqualTo(plan.utilizationBefore());
    }

    @Test
    void balancedEndpointsGiveAnEmptyPlanAndMaxMovesIsHonoured() {
        PlacementPlanner.Builder balanced = PlacementPlanner.builder()
                .endpoint("a", DeploymentRegion.US_EAST, 100).endpoint("b", DeploymentRegion.US_EAST, 100)
                .tenant(TenantId.of("xeno"), 40, "a", ANY).tenant(TenantId.of("yew"), 42, "b", ANY);
        assertThat(balanced.build().plan().moves()).isEmpty();
        PlacementPlanner.Builder skewed = PlacementPlanner.builder().endpoint("a", DeploymentRegion.US_EAST, 100)
                .endpoint("b", DeploymentRegion.US_EAST, 100).maxMoves(1);
        for (int i = 0; i < 8; i++) {
            skewed.tenant(TenantId.of("tenant-" + i), 10, "a", ANY);
        }
        assertThat(skewed.build().plan().moves()).hasSize(1);
    }

    @Test
    void theSameInputInAnotherOrderGivesTheSamePlan() {
        List<Object[]> tenants = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            tenants.add(new Object[] {"tenant-" + i, 1 + random.nextInt(50), "e" + random.nextInt(2)});
        }
        PlacementPlan first = planOf(tenants);
        Collections.shuffle(tenants, new Random(11));
        assertThat(planOf(tenants)).isEqualTo(first);
    }

    private static PlacementPlan planOf(List<Object[]> tenants) {
        PlacementPlanner.Builder b = PlacementPlanner.builder().endpoint("e0", DeploymentRegion.US_EAST, 2_000)
                .endpoint("e1", DeploymentRegion.US_EAST, 1_000).endpoint("e2", DeploymentRegion.US_WEST, 1_000)
                .maxMoves(50);
        for (Object[] t : tenants) {
            b.tenant(TenantId.of((String) t[0]), (Integer) t[1], (String) t[2], US);
        }
        return b.build().plan();
    }

    /** Random instances: every invariant the Javadoc states holds after every move. */
    @Test
    void invariantsHoldOnRandomInstances() {
        Random random = new Random(2026);
        DeploymentRegion[] regions = {DeploymentRegion.US_EAST, DeploymentRegion.US_WEST, DeploymentRegion.EUROPE};
        DataResidency[] rules = {US, UK, ANY};
        for (int round = 0; round < 300; round++) {
            int endpointCount = 2 + random.nextInt(4);
            Map<String, Long> capacity = new HashMap<>();
            Map<String, DeploymentRegion> region = new HashMap<>();
            PlacementPlanner.Builder b = PlacementPlanner.builder().maxMoves(random.nextInt(30))
                    .tolerance(random.nextDouble() * 0.2);
            for (int e = 0; e < endpointCount; e++) {
                String name = "e" + e;
                capacity.put(name, 50L + random.nextInt(500));
                region.put(name, regions[random.nextInt(regions.length)]);
                b.endpoint(name, region.get(name), capacity.get(name));
            }
            Map<String, Long> load = new HashMap<>();
            Map<TenantId, DataResidency> rule = new HashMap<>();
            Map<TenantId, Long> size = new HashMap<>();
            for (int t = 0; t < random.nextInt(40); t++) {
                TenantId id = TenantId.of("tenant-" + t);
                String on = "e" + random.nextInt(endpointCount);
                DataResidency r = rules[random.nextInt(rules.length)];
                if (!r.permits(region.get(on))) {
                    r = ANY; // residency moves are tested above; here every tenant starts where it may be
                }
                long s = random.nextInt(60);
                b.tenant(id, s, on, r);
                load.merge(on, s, Long::sum);
                rule.put(id, r);
                size.put(id, s);
            }
            PlacementPlan plan = b.build().plan();
            Set<TenantId> moved = new HashSet<>();
            double imbalance = imbalance(load, capacity);
            for (PlacementPlan.Move m : plan.moves()) {
                assertThat(moved.add(m.tenant())).as("each tenant moves once").isTrue();
                assertThat(rule.get(m.tenant()).permits(region.get(m.to()))).as("residency").isTrue();
                assertThat(m.size()).isEqualTo(size.get(m.tenant()));
                double sourceBefore = (double) load.get(m.from()) / capacity.get(m.from());
                load.merge(m.from(), -m.size(), Long::sum);
                load.merge(m.to(), m.size(), Long::sum);
                assertThat(load.get(m.to())).as("capacity").isLessThanOrEqualTo(capacity.get(m.to()));
                assertThat((double) load.get(m.to()) / capacity.get(m.to())).isLessThan(sourceBefore);
                double next = imbalance(load, capacity);
                assertThat(next).as("every move lowers the imbalance").isLessThan(imbalance);
                imbalance = next;
            }
            for (Map.Entry<String, Double> e : plan.utilizationAfter().entrySet()) {
                assertThat(e.getValue()).isCloseTo((double) load.getOrDefault(e.getKey(), 0L)
                        / capacity.get(e.getKey()), org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    private static double imbalance(Map<String, Long> load, Map<String, Long> capacity) {
        double sum = 0;
        for (Map.Entry<String, Long> e : load.entrySet()) {
            sum += (double) e.getValue() * e.getValue() / capacity.get(e.getKey());
        }
        return sum;
    }

    @Test
    void badInputIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> PlacementPlanner.builder().endpoint("a", DeploymentRegion.US_EAST, 0))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("capacity above 0");
        assertThatThrownBy(() -> PlacementPlanner.builder().endpoint("a", DeploymentRegion.US_EAST, 1)
                .endpoint("a", DeploymentRegion.US_WEST, 1)).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> PlacementPlanner.builder().tenant(TenantId.of("xeno"), -1, "a", ANY))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("negative size");
        assertThatThrownBy(() -> PlacementPlanner.builder().endpoint("a", DeploymentRegion.US_EAST, 1)
                .tenant(TenantId.of("xeno"), 1, "nowhere", ANY).build()).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("'nowhere', which was not given");
        assertThatThrownBy(() -> PlacementPlanner.builder().tolerance(1.0)).isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> PlacementPlanner.builder().maxMoves(-1)).isInstanceOf(GeoValidationException.class);
    }
}
