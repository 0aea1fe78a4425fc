package com.enterprisehub.geo.core.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.IllegalStateTransitionException;
import com.enterprisehub.geo.core.TenantSuspendedException;
import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.UnknownTenantException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TenantTest {

    static Tenant tenant(String id, TenantState state) {
        return Tenant.builder(id).market("us-ca").organization("Org " + id).state(state).build();
    }

    @Test
    void builderDefaultsToProvisioningAtBasicIsolation() {
        Tenant t = Tenant.builder("acme").market("us-ca").organization("  Acme Realty ").build();
        assertThat(t.state()).isEqualTo(TenantState.PROVISIONING);
        assertThat(t.isolationLevel()).isEqualTo(IsolationLevel.BASIC);
        assertThat(t.organization()).isEqualTo("Acme Realty");
        assertThat(t.subscriptionTier()).isEqualTo("standard");
    }

    /** Every pair of states: exactly the documented moves are allowed. */
    @ParameterizedTest
    @EnumSource(TenantState.class)
    void onlyTheDocumentedTransitionsAreAllowed(TenantState from) {
        Map<TenantState, Set<TenantState>> allowed = Map.of(
                TenantState.PROVISIONING, EnumSet.of(TenantState.ACTIVE, TenantState.OFFBOARDING),
                TenantState.ACTIVE, EnumSet.of(TenantState.SUSPENDED, TenantState.OFFBOARDING),
                TenantState.SUSPENDED, EnumSet.of(TenantState.ACTIVE, TenantState.OFFBOARDING),
                TenantState.OFFBOARDING, EnumSet.of(TenantState.DELETED),
                TenantState.DELETED, EnumSet.noneOf(TenantState.class));
        Tenant t = tenant("acme", from);
        for (TenantState to : TenantState.values()) {
            if (allowed.get(from).contains(to)) {
                assertThat(t.withState(to).state()).isEqualTo(to);
            } else {
                assertThatThrownBy(() -> t.withState(to)).isInstanceOf(IllegalStateTransitionException.class)
                        .hasMessageContaining(from + " to " + to);
            }
        }
    }

    @Test
    void requireActiveGivesADistinctErrorPerState() {
        assertThat(tenant("acme", TenantState.ACTIVE).requireActive()).isNotNull();
        assertThatThrownBy(() -> tenant("acme", TenantState.SUSPENDED).requireActive())
                .isInstanceOf(TenantSuspendedException.class);
        assertThatThrownBy(() -> tenant("acme", TenantState.PROVISIONING).requireActive())
                .isExactlyInstanceOf(TenantUnavailableException.class).hasMessageContaining("PROVISIONING");
        assertThatThrownBy(() -> tenant("acme", TenantState.OFFBOARDING).requireActive())
                .isExactlyInstanceOf(TenantUnavailableException.class);
        assertThatThrownBy(() -> tenant("acme", TenantState.DELETED).requireActive())
                .isInstanceOf(UnknownTenantException.class);
    }

    @Test
    void configurationIsDeeplyCopiedAndUnmodifiable() {
        List<Object> regions = new ArrayList<>(List.of("north", "south"));
        Map<String, Object> nested = new HashMap<>(Map.of("regions", regions, "limit", 5));
        Tenant t = Tenant.builder("acme").market("us-ca").organization("Acme")
                .config("routing", nested).config("rate", new BigDecimal("0.25")).feature("ai.lead-scoring", true)
                .build();

        regions.add("east");
        nested.put("limit", 6);

        @SuppressWarnings("unchecked")
        Map<String, Object> routing = (Map<String, Object>) t.configuration().get("routing");
        assertThat(routing.get("regions")).isEqualTo(List.of("north", "south"));
        assertThat(routing.get("limit")).isEqualTo(5);
        assertThatThrownBy(() -> routing.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> t.featureFlags().put("x", true)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(t.hasFeature("ai.lead-scoring")).isTrue();
        assertThat(t.hasFeature("unknown")).isFalse();
    }

    @Test
    void refusesConfigurationThatIsNotJsonLike() {
        var builder = Tenant.builder("acme").market("us-ca").organization("Acme");
        assertThatThrownBy(() -> builder.config("when", new Object()).build())
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("configuration.when");
        assertThatThrownBy(() -> Tenant.builder("acme").market("us-ca").organization("Acme")
                .config("x", Double.NaN).build()).hasMessageContaining("finite");
        assertThatThrownBy(() -> Tenant.builder("acme").config("Bad Key", 1))
                .isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> Tenant.builder("acme").feature("", true))
                .isInstanceOf(GeoValidationException.class);
    }

    @Test
    void refusesMissingOrBadFields() {
        assertThatThrownBy(() -> Tenant.builder("acme").organization("Acme").build())
                .hasMessageContaining("needs a market");
        assertThatThrownBy(() -> Tenant.builder("acme").market("us-ca").build())
                .hasMessageContaining("organization");
        assertThatThrownBy(() -> Tenant.builder("acme").market("us-ca").organization("x".repeat(201)).build())
                .hasMessageContaining("1 to 200");
        assertThatThrownBy(() -> Tenant.builder("acme").market("us-ca").organization("Acme")
                .subscriptionTier("Gold Plan").build()).hasMessageContaining("subscription tier");
        assertThatThrownBy(() -> Tenant.builder("acme").market("US CA"))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("market id");
    }
}
