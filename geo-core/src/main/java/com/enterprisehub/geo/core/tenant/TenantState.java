package com.enterprisehub.geo.core.tenant;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a tenant is in its life. The allowed moves are:
 *
 * <pre>
 * PROVISIONING -&gt; ACTIVE | OFFBOARDING
 * ACTIVE       -&gt; SUSPENDED | OFFBOARDING
 * SUSPENDED    -&gt; ACTIVE | OFFBOARDING
 * OFFBOARDING  -&gt; DELETED
 * DELETED      (final)
 * </pre>
 *
 * Only an {@link #ACTIVE} tenant serves requests.
 */
public enum TenantState {
    PROVISIONING,
    ACTIVE,
    SUSPENDED,
    OFFBOARDING,
    DELETED;

    /** The states this state may move to. */
    public Set<TenantState> next() {
        return switch (this) {
            case PROVISIONING -> Collections.unmodifiableSet(EnumSet.of(ACTIVE, OFFBOARDING));
            case ACTIVE -> Collections.unmodifiableSet(EnumSet.of(SUSPENDED, OFFBOARDING));
            case SUSPENDED -> Collections.unmodifiableSet(EnumSet.of(ACTIVE, OFFBOARDING));
            case OFFBOARDING -> Collections.unmodifiableSet(EnumSet.of(DELETED));
            case DELETED -> Collections.emptySet();
        };
    }

    /** Whether a tenant in this state may move to {@code target}. */
    public boolean canMoveTo(TenantState target) {
        return next().contains(target);
    }
}
