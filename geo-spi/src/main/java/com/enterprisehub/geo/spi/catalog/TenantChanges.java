package com.enterprisehub.geo.spi.catalog;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.IllegalStateTransitionException;
import com.enterprisehub.geo.core.event.PlatformEvent;
import com.enterprisehub.geo.core.event.TenantStateChanged;
import com.enterprisehub.geo.core.event.TenantUpdated;
import com.enterprisehub.geo.core.tenant.Tenant;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules every {@link TenantCatalog} applies to a change, and the event it publishes for it: call
 * {@link #check} inside the change's transaction and publish {@link #event} after it commits. Stateless.
 */
public final class TenantChanges {
    private TenantChanges() {
    }

    /**
     * Refuses a change of id or a lifecycle move the state machine forbids.
     *
     * @throws GeoValidationException if the id changes
     * @throws IllegalStateTransitionException if the state moves in a way the lifecycle forbids
     */
    public static void check(Tenant current, Tenant next) {
        if (!next.id().equals(current.id())) {
            throw new GeoValidationException("A tenant's id cannot change ('" + current.id() + "' to '" + next.id()
                    + "'); create a new tenant instead.");
        }
        if (next.state() != current.state() && !current.state().canMoveTo(next.state())) {
            throw new IllegalStateTransitionException(current.id(), current.state(), next.state());
        }
    }

    /** The event for a change from {@code before} to {@code after}; empty when nothing changed. */
    public static Optional<PlatformEvent> event(Tenant before, Tenant after, Instant at) {
        if (before.state() != after.state()) {
            return Optional.of(new TenantStateChanged(at, after.id(), after.market(), before.state(), after.state()));
        }
        if (!before.equals(after)) {
            return Optional.of(new TenantUpdated(at, before, after));
        }
        return Optional.empty();
    }
}
