package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.event.PlatformEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * Isolation refused something that could have exposed a tenant's data. Contains ids and names, never secrets.
 *
 * <p>The kinds published today (keep this list to what the code publishes):
 * <ul>
 *   <li>{@code residency-violation}: a tenant's placement or a route to an endpoint or dedicated server outside the
 *       regions its market's data-residency rule allows was refused ({@link ResidencyViolationException}).</li>
 *   <li>{@code statement-timeout}: a statement of a tenant ran past the tenant's statement timeout because its
 *       session had lifted or raised {@code statement_timeout}, and the data source's watchdog cancelled it.</li>
 * </ul>
 * A binding whose token does not verify is refused inside PostgreSQL (the control plane's bind function raises an
 * error, so the connection is not handed out); it is not published as an event.
 *
 * @param at when
 * @param kind what was refused: {@code residency-violation}
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
