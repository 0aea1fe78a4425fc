package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.Objects;
import java.util.Optional;

/**
 * Told of every connection a {@link TenantDataSource} hands out and of every one it refuses, for tracing and
 * auditing (register it with {@link TenantDataSource.Builder#observer(ConnectionObserver)}). It observes; it decides
 * nothing. Both methods do nothing by default, so an observer implements only what it needs.
 *
 * <p>Called on the borrowing thread, inside {@link TenantDataSource#getConnection()}, once per call: so the
 * host's current span, MDC and {@link com.enterprisehub.geo.core.tenant.TenantContext} are the borrower's. It must
 * therefore be fast (no I/O, no lock another borrower may hold, no database access: a borrow that waits for it
 * waits while holding a connection) and must not throw. An observer that throws anyway is caught: the borrow goes
 * on as if it had returned (the connection is handed out, the refusal thrown), the failure is logged at WARN once
 * per observer (naming its class and the exception's class, never the exception's message) and at DEBUG after that.
 *
 * <p>Implementations must be thread-safe: many threads borrow at once. With no observer registered, a borrow
 * allocates nothing and reads no clock for observing.
 */
public interface ConnectionObserver {
    /**
     * A connection was handed to the borrower, bound to {@code borrow.tenant()}.
     *
     * @param borrow what was borrowed, from where, and how long it took
     */
    default void borrowed(Borrow borrow) {
    }

    /**
     * {@link TenantDataSource#getConnection()} refused a connection: it throws right after this returns. Every
     * refusal counted in {@link IsolationStatistics#refusals()} is observed here, exactly once, with the same cause.
     *
     * @param cause why (as counted in {@link IsolationStatistics#refusals()})
     * @param tenant the tenant bound to the borrowing thread; empty for {@link RefusalCause#NO_TENANT}
     */
    default void refused(RefusalCause cause, Optional<TenantId> tenant) {
    }

    /**
     * One connection handed out. Immutable. Components may be added in later versions (the data source creates
     * these; an observer only reads them).
     *
     * @param tenant the tenant the connection is bound to, as the tenant catalog has it now (id, market, isolation
     *     level)
     * @param endpoint the name of the endpoint (or dedicated server) the connection is to: the endpoint's shared pool
     *     for BASIC and ENHANCED tenants, the tenant's own database on that server for MAXIMUM and REGULATORY ones
     * @param nanos how long {@link TenantDataSource#getConnection()} took for it, in nanoseconds: the tenant lookup,
     *     any wait (for the tenant's connection cap, the pool's fair share, a pooled connection, a tenant pool) and
     *     making the session ready for the tenant (a tenant switch when the session served another one)
     * @param switched whether the session served another tenant (or none) and was switched to this one: the
     *     switch's server round trip is in {@code nanos}; always false for a tenant's own pool (MAXIMUM, REGULATORY),
     *     whose sessions serve only it
     * @param waitNanos how much of {@code nanos} was spent waiting for a connection: for the tenant's connection cap,
     *     the pool's fair share and a pooled connection of the endpoint's shared pool; for a tenant's own pool, the
     *     whole time to get its connection ready (opening the pool when needed)
     */
    record Borrow(Tenant tenant, String endpoint, long nanos, boolean switched, long waitNanos) {
        /** Checks that every component is set and {@code 0 <= waitNanos <= nanos}. */
        public Borrow {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(endpoint, "endpoint");
            if (nanos < 0) {
                throw new GeoValidationException("nanos must not be negative; got " + nanos + ".");
            }
            if (waitNanos < 0 || waitNanos > nanos) {
                throw new GeoValidationException("waitNanos must be between 0 and nanos (" + nanos + "); got "
                        + waitNanos + ".");
            }
        }
    }
}
