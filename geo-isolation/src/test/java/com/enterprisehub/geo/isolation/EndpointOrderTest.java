package com.enterprisehub.geo.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Endpoints keep their registration order: {@link TenantDataSource#sharedEndpoints()} lists them in it, and
 * placement picks the first registered endpoint of the market's own region, or, when there is none, the first
 * registered one its residency rule allows. The placement cases register the same candidates in every rotation
 * of their order, so a data source that iterated them in an order of its own (a hash order, which also changes
 * from one JVM start to the next) would place the tenants of most rotations elsewhere.
 */
class EndpointOrderTest {
    /** One database per endpoint name, created once. */
    private static final List<String> EAST = List.of("east-a", "east-b", "east-c", "east-d");
    private static final List<String> WEST = List.of("west-a", "west-b");
    private static final List<String> CENTRAL = List.of("central-a", "central-b", "central-c", "central-d");
    private static final Map<String, String> DATABASES = new HashMap<>();
    private static TenantCatalog tenants;

    @BeforeAll
    static void start() {
        for (List<String> names : List.of(EAST, WEST, CENTRAL)) {
            for (String name : names) {
                DATABASES.put(name, PostgresFixture.newDatabase("order_" + name.replace('-', '_')));
            }
        }
        tenants = InMemoryTenantCatalog.create();
    }

    private static DatabaseEndpoint endpoint(String name) {
        DeploymentRegion region = name.startsWith("east") ? DeploymentRegion.US_EAST
                : name.startsWith("west") ? DeploymentRegion.US_WEST : DeploymentRegion.US_CENTRAL;
        return IsolationFixture.endpoint(name, region, DATABASES.get(name));
    }

    private static TenantDataSource build(List<String> names) {
        TenantDataSource.Builder builder = IsolationFixture.builder(tenants, endpoint(names.get(0)));
        names.subList(1, names.size()).forEach(name -> builder.endpoint(endpoint(name)));
        return builder.build();
    }

    private static List<String> rotated(List<String> names, int by) {
        List<String> rotated = new ArrayList<>(names);
        Collections.rotate(rotated, -by);
        return rotated;
    }

    @Test
    void sharedEndpointsAreListedInRegistrationOrder() {
        List<String> order = List.of("east-c", "central-b", "east-a", "west-b", "central-d", "west-a", "central-a",
                "east-b", "central-c", "east-d");
        List<String> reversed = new ArrayList<>(order);
        Collections.reverse(reversed);
        for (List<String> names : List.of(order, reversed)) {
            try (TenantDataSource ds = build(names)) {
                assertThat(ds.sharedEndpoints().keySet()).as("registered as %s", names).containsExactlyElementsOf(names);
                assertThat(ds.selfCheck().keySet()).as("registered as %s", names).containsExactlyElementsOf(names);
            }
        }
    }

    @Test
    void placementPicksTheFirstRegisteredEndpointOfTheMarketsOwnRegion() {
        // us-ny is served from US_EAST; the US_WEST and US_CENTRAL endpoints are allowed but not preferred.
        for (int by = 0; by < EAST.size(); by++) {
            List<String> names = new ArrayList<>(List.of("west-a", "central-a"));
            names.addAll(rotated(EAST, by));
            names.add("west-b");
            Tenant tenant = TenantWork.active(tenants, "east-first-" + by, "us-ny", IsolationLevel.BASIC);
            try (TenantDataSource ds = build(names)) {
                assertThat(ds.provision(tenant.id()).endpoint()).as("registered as %s", names)
                        .isEqualTo(rotated(EAST, by).get(0));
            }
        }
    }

    @Test
    void withNoEndpointInTheMarketsRegionPlacementFallsBackOnTheFirstRegisteredAllowedOne() {
        // us-ca is served from US_WEST; no endpoint there, so the first registered US endpoint wins.
        List<String> allowed = new ArrayList<>(CENTRAL);
        allowed.add("east-a");
        for (int by = 0; by < allowed.size(); by++) {
            List<String> names = rotated(allowed, by);
            Tenant tenant = TenantWork.active(tenants, "fallback-" + by, "us-ca", IsolationLevel.BASIC);
            try (TenantDataSource ds = build(names)) {
                assertThat(ds.provision(tenant.id()).endpoint()).as("registered as %s", names).isEqualTo(names.get(0));
            }
        }
    }
}
