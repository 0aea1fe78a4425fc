package com.enterprisehub.geo.platform;

import java.time.Instant;
import java.util.Objects;

/**
 * Who did what when, as the control plane records it.
 *
 * @param sequence the entry's position in the trail (increasing)
 * @param at when
 * @param actor who (the name the host passed to the platform operation)
 * @param action what ("market.deploy", "step.done", "tenant.suspend")
 * @param subject on what ("market:us-ca", "tenant:acme")
 * @param detail the outcome, without secrets or personal data
 */
public record AuditEntry(long sequence, Instant at, String actor, String action, String subject, String detail) {
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(detail, "detail");
    }
}
