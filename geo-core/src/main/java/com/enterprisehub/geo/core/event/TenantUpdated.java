package com.enterprisehub.geo.core.event;

import com.enterprisehub.geo.core.tenant.Tenant;
import java.time.Instant;
import java.util.Objects;

/** A tenant's settings (not its state) changed: feature flags, configuration, subscription, ... */
public record TenantUpdated(Instant at, Tenant before, Tenant after) implements PlatformEvent {
    public TenantUpdated {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    @Override
    public String type() {
        return "tenant.updated";
    }
}
