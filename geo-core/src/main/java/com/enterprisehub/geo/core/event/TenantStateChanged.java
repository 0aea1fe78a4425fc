package com.enterprisehub.geo.core.event;

import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import java.time.Instant;
import java.util.Objects;

/** A tenant moved from one lifecycle state to another. */
public record TenantStateChanged(Instant at, TenantId tenant, MarketId market, TenantState from, TenantState to)
        implements PlatformEvent {
    public TenantStateChanged {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    @Override
    public String type() {
        return "tenant.state-changed";
    }
}
