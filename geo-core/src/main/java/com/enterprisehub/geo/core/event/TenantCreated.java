package com.enterprisehub.geo.core.event;

import com.enterprisehub.geo.core.tenant.Tenant;
import java.time.Instant;
import java.util.Objects;

/** A tenant was added to the catalog. */
public record TenantCreated(Instant at, Tenant tenant) implements PlatformEvent {
    public TenantCreated {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(tenant, "tenant");
    }

    @Override
    public String type() {
        return "tenant.created";
    }
}
