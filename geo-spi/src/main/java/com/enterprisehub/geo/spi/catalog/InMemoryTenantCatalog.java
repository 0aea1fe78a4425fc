package com.enterprisehub.geo.spi.catalog;

import com.enterprisehub.geo.core.TenantAlreadyExistsException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.event.TenantCreated;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.ProviderContext;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A {@link TenantCatalog} in a {@link ConcurrentHashMap}: lookups are one hash probe and allocate
 * nothing; each change is atomic per tenant. Its tenants are gone when the JVM exits: for development, tests,
 * and hosts that load their tenants at start. The provider {@code in-memory} (priority -100) makes one.
 * Thread-safe.
 */
public final class InMemoryTenantCatalog implements TenantCatalog {
    private final ConcurrentHashMap<TenantId, Tenant> tenants = new ConcurrentHashMap<>();
    private final PlatformEvents events;
    private final Clock clock;

    private InMemoryTenantCatalog(PlatformEvents events, Clock clock) {
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** An empty catalog publishing to {@code events}, stamping events with {@code clock}. */
    public static InMemoryTenantCatalog create(PlatformEvents events, Clock clock) {
        return new InMemoryTenantCatalog(events, clock);
    }

    /** An empty catalog with no event listeners and the system UTC clock. */
    public static InMemoryTenantCatalog create() {
        return create(PlatformEvents.create(), Clock.systemUTC());
    }

    /** The provider {@code in-memory}: takes no settings; uses the context's events and clock. */
    public static final class Provider implements TenantCatalogProvider {
        /** For {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public String name() {
            return "in-memory";
        }

        @Override
        public int priority() {
            return -100;
        }

        @Override
        public TenantCatalog open(ProviderContext context) {
            context.refuseSettingsOtherThan(java.util.Set.of(), "the in-memory tenant catalog");
            return create(context.events(), context.clock());
        }
    }

    @Override
    public Tenant create(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        if (tenants.putIfAbsent(tenant.id(), tenant) != null) {
            throw new TenantAlreadyExistsException(tenant.id());
        }
        events.publish(new TenantCreated(clock.instant(), tenant));
        return tenant;
    }

    @Override
    public Optional<Tenant> find(TenantId id) {
        return Optional.ofNullable(tenants.get(id));
    }

    /** The tenant, or null: the allocation-free lookup behind {@link #find}. */
    public Tenant get(TenantId id) {
        return tenants.get(id);
    }

    @Override
    public Tenant update(TenantId id, UnaryOperator<Tenant> change) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(change, "change");
        Tenant[] before = new Tenant[1];
        Tenant after = tenants.computeIfPresent(id, (key, current) -> {
            Tenant next = Objects.requireNonNull(change.apply(current), "the change returned null");
            TenantChanges.check(current, next);
            before[0] = current;
            return next;
        });
        if (after == null) {
            throw new UnknownTenantException(id);
        }
        TenantChanges.event(before[0], after, clock.instant()).ifPresent(events::publish);
        return after;
    }

    @Override
    public List<Tenant> list() {
        return tenants.values().stream().sorted(Comparator.comparing(Tenant::id)).toList();
    }

    @Override
    public List<Tenant> inMarket(MarketId market) {
        Objects.requireNonNull(market, "market");
        return tenants.values().stream().filter(t -> t.market().equals(market))
                .sorted(Comparator.comparing(Tenant::id)).toList();
    }

    @Override
    public long count() {
        return tenants.size();
    }

    @Override
    public String toString() {
        return "InMemoryTenantCatalog.create(" + tenants.size() + " tenants)";
    }
}
