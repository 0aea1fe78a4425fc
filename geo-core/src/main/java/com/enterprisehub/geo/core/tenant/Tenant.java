package com.enterprisehub.geo.core.tenant;

import com.enterprisehub.geo.core.ConfigKeys;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.IllegalStateTransitionException;
import com.enterprisehub.geo.core.TenantSuspendedException;
import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.internal.ConfigValues;
import com.enterprisehub.geo.core.market.MarketId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A customer organization served in one market. Immutable and thread-safe; changes make a new
 * {@code Tenant} ({@link #withState(TenantState)}).
 *
 * @param id the tenant's id
 * @param market the market it is served in
 * @param organization the organization's name, 1 to 200 characters
 * @param subscriptionTier the plan it subscribes to, a lowercase word such as {@code enterprise}
 * @param featureFlags features switched on or off for it, by key ({@code ai.lead-scoring})
 * @param configuration its custom configuration: keys as for feature flags, values text, booleans,
 *     numbers, or lists and maps of them (copied deeply; unmodifiable)
 * @param isolationLevel how its data is isolated
 * @param state where it is in its life
 */
public record Tenant(
        TenantId id,
        MarketId market,
        String organization,
        String subscriptionTier,
        Map<String, Boolean> featureFlags,
        Map<String, Object> configuration,
        IsolationLevel isolationLevel,
        TenantState state) {

    private static final Pattern TIER = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public Tenant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(isolationLevel, "isolationLevel");
        Objects.requireNonNull(state, "state");
        if (organization == null || organization.isBlank() || organization.strip().length() > 200) {
            throw new GeoValidationException("Tenant '" + id + "' needs an organization name of 1 to 200 characters.");
        }
        organization = organization.strip();
        if (subscriptionTier == null || !TIER.matcher(subscriptionTier).matches()) {
            throw new GeoValidationException("Tenant '" + id + "': the subscription tier is a lowercase word of up to"
                    + " 32 letters, digits or hyphens (like 'enterprise'); got '" + subscriptionTier + "'.");
        }
        Objects.requireNonNull(featureFlags, "featureFlags");
        featureFlags.forEach((k, v) -> {
            ConfigKeys.check(k, "feature flag");
            Objects.requireNonNull(v, () -> "feature flag '" + k + "' has no value");
        });
        featureFlags = Map.copyOf(featureFlags);
        configuration = ConfigValues.copyMap(Objects.requireNonNull(configuration, "configuration"), "configuration");
    }

    /** Whether a feature is switched on for this tenant (off when it has no flag for it). */
    public boolean hasFeature(String key) {
        return Boolean.TRUE.equals(featureFlags.get(key));
    }

    /** Whether the tenant serves requests. */
    public boolean isActive() {
        return state == TenantState.ACTIVE;
    }

    /**
     * This tenant, if it serves requests.
     *
     * @throws TenantSuspendedException if it is suspended
     * @throws UnknownTenantException if it has been deleted (it is no longer known to callers)
     * @throws TenantUnavailableException if it is still provisioning or is being offboarded
     */
    public Tenant requireActive() {
        return switch (state) {
            case ACTIVE -> this;
            case SUSPENDED -> throw new TenantSuspendedException(id);
            case DELETED -> throw new UnknownTenantException(id);
            case PROVISIONING, OFFBOARDING -> throw new TenantUnavailableException(id, state);
        };
    }

    /**
     * This tenant in {@code target} state.
     *
     * @throws IllegalStateTransitionException if the lifecycle does not allow the move (see {@link TenantState})
     */
    public Tenant withState(TenantState target) {
        Objects.requireNonNull(target, "target");
        if (!state.canMoveTo(target)) {
            throw new IllegalStateTransitionException(id, state, target);
        }
        return new Tenant(id, market, organization, subscriptionTier, featureFlags, configuration, isolationLevel,
                target);
    }

    /** This tenant with its feature flags replaced. */
    public Tenant withFeatureFlags(Map<String, Boolean> flags) {
        return new Tenant(id, market, organization, subscriptionTier, flags, configuration, isolationLevel, state);
    }

    /** This tenant with its configuration replaced. */
    public Tenant withConfiguration(Map<String, Object> config) {
        return new Tenant(id, market, organization, subscriptionTier, featureFlags, config, isolationLevel, state);
    }

    /** A builder for a tenant with this id; it starts in {@link TenantState#PROVISIONING} at {@link IsolationLevel#BASIC}. */
    public static Builder builder(String id) {
        return new Builder(TenantId.of(id));
    }

    /** Builds a {@link Tenant}. Not thread-safe. */
    public static final class Builder {
        private final TenantId id;
        private MarketId market;
        private String organization;
        private String subscriptionTier = "standard";
        private final Map<String, Boolean> featureFlags = new LinkedHashMap<>();
        private final Map<String, Object> configuration = new LinkedHashMap<>();
        private IsolationLevel isolationLevel = IsolationLevel.BASIC;
        private TenantState state = TenantState.PROVISIONING;

        private Builder(TenantId id) {
            this.id = id;
        }

        public Builder market(String marketId) {
            this.market = MarketId.of(marketId);
            return this;
        }

        public Builder market(MarketId marketId) {
            this.market = Objects.requireNonNull(marketId, "marketId");
            return this;
        }

        public Builder organization(String name) {
            this.organization = name;
            return this;
        }

        public Builder subscriptionTier(String tier) {
            this.subscriptionTier = tier;
            return this;
        }

        public Builder feature(String key, boolean enabled) {
            featureFlags.put(ConfigKeys.check(key, "feature flag"), enabled);
            return this;
        }

        public Builder config(String key, Object value) {
            configuration.put(ConfigKeys.check(key, "configuration key"), value);
            return this;
        }

        public Builder isolationLevel(IsolationLevel level) {
            this.isolationLevel = Objects.requireNonNull(level, "level");
            return this;
        }

        public Builder state(TenantState state) {
            this.state = Objects.requireNonNull(state, "state");
            return this;
        }

        public Tenant build() {
            if (market == null) {
                throw new GeoValidationException("Tenant '" + id + "' needs a market.");
            }
            return new Tenant(id, market, organization, subscriptionTier, featureFlags, configuration, isolationLevel,
                    state);
        }
    }
}
