package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.event.PlatformEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * Isolation refused or repaired something that could have exposed a tenant's data or hurt its neighbours.
 * Contains ids and names, never secrets or SQL text.
 *
 * <p>The kinds published today (keep this list to what the code publishes):
 * <ul>
 *   <li>{@code residency-violation}: a tenant's placement or a route to an endpoint or dedicated server outside the
 *       regions its market's data-residency rule allows was refused ({@link ResidencyViolationException}).</li>
 *   <li>{@code session-reset}: a borrower ran SQL that may change its session (settings, role, search_path:
 *       {@code SET}, {@code set_config}, {@code DO}, {@code setSchema}, ...); the session was reset before its next
 *       borrower. Informational: {@code SET LOCAL} in a transaction also causes it.</li>
 *   <li>{@code session-state}: a switch to another tenant found, on the server, state the previous borrower left
 *       on the session (open cursors, which the SQL scanner does not flag, and {@code LISTEN} registrations); it was
 *       closed before the next tenant got the session. Tenant: the previous one.</li>
 *   <li>{@code binding-refused}: a session's binding no longer verified when it was handed over (SQL had reset
 *       it); the session was opened again, or discarded if the server refused that too.</li>
 *   <li>{@code role-changed}: the shared application role had role-level settings (SQL on a borrowed connection
 *       can run {@code ALTER ROLE CURRENT_USER SET ...}, which every later session of every tenant starts with);
 *       they were removed and the session logged in again. Tenant empty: a login does not know who did it.</li>
 *   <li>{@code login-refused}: the server refused the application role's password (SQL on a borrowed connection
 *       can change it); nothing is repaired, as only the operator knows whether it was a rotation. Tenant
 *       empty.</li>
 *   <li>{@code statement-timeout}: a statement of a tenant ran past the tenant's statement timeout because its
 *       session had lifted or raised {@code statement_timeout}, and the data source's watchdog cancelled it.
 *       Published by the watchdog's thread once its sweep returns, so it may arrive just after the cancelled
 *       statement has failed in the tenant's thread.</li>
 *   <li>{@code self-check}: a self-check run after start-up ({@link TenantDataSource#selfCheck()}) found a set-up
 *       that could bypass isolation which the previous run did not (a grant, a role membership, a table owner
 *       changed since); published once per finding while it lasts. Tenant empty.</li>
 * </ul>
 * A forged binding attempted by SQL on a borrowed connection is refused inside PostgreSQL (the control plane's bind
 * function raises an error to that SQL); it is not published, but its after-effect on the session is
 * ({@code session-reset} or {@code binding-refused}).
 *
 * @param at when
 * @param kind what was refused or repaired: one of the kinds above
 * @param tenant the tenant concerned; empty when the event concerns the shared application role
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
