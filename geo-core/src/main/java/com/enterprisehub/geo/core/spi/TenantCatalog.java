package com.enterprisehub.geo.core.spi;

import com.enterprisehub.geo.core.IllegalStateTransitionException;
import com.enterprisehub.geo.core.TenantAlreadyExistsException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.internal.InMemoryTenantCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where tenants are stored. Implementations must be thread-safe, make each change atomic, and
 * publish a {@link com.enterprisehub.geo.core.event.PlatformEvent} for each change after it is done:
 * {@link com.enterprisehub.geo.core.event.TenantCreated},
 * {@link com.enterprisehub.geo.core.event.TenantStateChanged} or
 * {@link com.enterprisehub.geo.core.event.TenantUpdated}. Every implementation must pass the contract
 * kit {@code com.enterprisehub.geo.core.tck.TenantCatalogContract} (geo-core's test-jar).
 */
public interface TenantCatalog {

    /**
     * Adds a tenant.
     *
     * @return the tenant as stored
     * @throws TenantAlreadyExistsException if a tenant with its id exists (in any state, even DELETED)
     */
    Tenant create(Tenant tenant);

    /** The tenant with this id, if there is one. */
    Optional<Tenant> find(TenantId id);

    /**
     * The tenant with this id.
     *
     * @throws UnknownTenantException if there is none
     */
    default Tenant require(TenantId id) {
        return find(id).orElseThrow(() -> new UnknownTenantException(id));
    }

    /**
     * Changes a tenant atomically: {@code change} gets the stored tenant and returns the new one. It may
     * run more than once under contention, so it must have no side effects.
     *
     * @return the tenant as stored after the change
     * @throws UnknownTenantException if there is no such tenant
     * @throws IllegalStateTransitionException if the change moves the state in a way the lifecycle forbids
     * @throws com.enterprisehub.geo.core.GeoValidationException if the change returns a tenant with another id
     */
    Tenant update(TenantId id, UnaryOperator<Tenant> change);

    /** Moves a tenant to another lifecycle state; see {@link #update} for the errors. */
    default Tenant transition(TenantId id, TenantState target) {
        return update(id, tenant -> tenant.withState(target));
    }

    /** Every tenant, ordered by id. */
    List<Tenant> list();

    /** The tenants of one market, ordered by id. */
    List<Tenant> inMarket(MarketId market);

    /** How many tenants there are. */
    long count();

    /** A thread-safe catalog held in memory, publishing to {@code events}, stamping events with {@code clock}. */
    static TenantCatalog inMemory(PlatformEvents events, Clock clock) {
        return new InMemoryTenantCatalog(events, clock);
    }

    /** A thread-safe catalog held in memory, with no event listeners. */
    static TenantCatalog inMemory() {
        return inMemory(PlatformEvents.create(), Clock.systemUTC());
    }
}
