package com.enterprisehub.geo.core.event;

import java.time.Instant;

/**
 * Something that happened on the platform that a host may audit or react to: a tenant created, a
 * tenant's state changed, ... Later modules add their own event types. Events are immutable values.
 */
public interface PlatformEvent {
    /** When it happened. */
    Instant at();

    /** A stable name for the kind of event, such as {@code tenant.created}, for logs and audit trails. */
    String type();
}
