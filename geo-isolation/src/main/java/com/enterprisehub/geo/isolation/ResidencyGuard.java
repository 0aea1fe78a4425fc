package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.tenant.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a refused placement or route outside a market's residency regions: a {@link SecurityEvent}, a
 * warning, and the exception to throw. Thread-safe (as thread-safe as the events' listeners). Not part
 * of the API.
 */
final class ResidencyGuard {
    /** The category hosts already configure: these warnings came from TenantDataSource before it was split. */
    private static final Logger LOG = LoggerFactory.getLogger(TenantDataSource.class);

    private final SecurityEvents events;

    ResidencyGuard(SecurityEvents events) {
        this.events = events;
    }

    /** Publishes the security event and logs it; returns the exception for the caller to throw. */
    ResidencyViolationException violation(TenantId id, String detail) {
        events.report("residency-violation", id.value(), detail);
        LOG.warn("Residency violation refused for tenant {}: {}", id, detail);
        return new ResidencyViolationException("Refused for tenant '" + id + "': " + detail + ". Register an"
                + " endpoint in an allowed region, or correct the market's data-residency rule if it is wrong.");
    }
}
