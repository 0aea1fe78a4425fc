package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.event.PlatformEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * Isolation refused something that could have exposed a tenant's data: a placement or route outside the
 * residency region, a binding whose token did not verify. Contains ids and names, never secrets.
 *
 * @param at when
 * @param kind {@code residency-violation} or {@code binding-refused}
 * @param tenant the tenant concerned
 * @param detail what happened, for an auditor
 */
public record SecurityEvent(Instant at, String kind, String tenant, String detail) implements PlatformEvent {
    public SecurityEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String type() {
        return "security." + kind;
    }
}
