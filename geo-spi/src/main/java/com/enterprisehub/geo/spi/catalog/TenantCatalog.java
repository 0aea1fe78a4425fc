package com.enterprisehub.geo.spi.catalog;

import com.enterprisehub.geo.core.IllegalStateTransitionException;
import com.enterprisehub.geo.core.TenantAlreadyExistsException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantLookup;
import com.enterprisehub.geo.core.tenant.TenantState;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where tenants are stored. Implementations must be thread-safe, make each change atomic, and
 * publish a {@link com.enterprisehub.geo.core.event.PlatformEvent} for each change after it is done:
 * {@link com.enterprisehub.geo.core.event.TenantCreated},
 * {@link com.enterprisehub.geo.core.event.TenantStateChanged} or
 * {@link com.enterprisehub.geo.core.event.TenantUpdated}; {@link TenantChanges} has the rules every
 * change must pass and the event it publishes. Every implementation must pass the contract kit
 * {@code com.enterprisehub.geo.test.TenantCatalogContract} (artifact {@code com.enterprisehub.geo:geo-test}).
 * geo-spi provides {@link InMemoryTenantCatalog}; geo-platform provides {@code JdbcTenantCatalog}.
 *
 * <p>A catalog is {@link AutoCloseable}: whoever opens one (a host, a DI container, {@code try (TenantCatalog c =
 * provider.open(context))}) closes it when done. Catalogs that hold resources (geo-platform's cached catalog holds
 * a connection and threads) release them; the default does nothing.
 */
public interface TenantCatalog extends TenantLookup, AutoCloseable {

    /**
     * Adds a tenant.
     *
     * @return the tenant as stored
     * @throws TenantAlreadyExistsException if a tenant with its id exists (in any state, even DELETED)
     */
    Tenant create(Tenant tenant);

    /** The tenant with this id, if there is one. */
    @Override
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

    /**
     * Releases what this catalog holds; lookups and changes after it are not required to work. Catalogs that hold
     * resources release them; the default does nothing. Idempotent; throws no checked exception.
     */
    @Override
    default void close() {
    }
}
