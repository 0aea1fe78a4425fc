package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.core.tenant.Tenant;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Told by the {@link TenantFilter} what it decided for a request: the tenant it bound, or the problem it answered
 * instead. For telemetry (the starter's OpenTelemetry listener puts the tenant on the request's span), audit logs or
 * counters; it decides nothing. Called on the request's thread; implementations must be thread-safe and quick. A
 * {@code RuntimeException} thrown by a listener changes nothing about the request: the filter logs a WARN (the
 * listener's and the exception's class, not its message) and goes on with the next listener and the request.
 */
public interface TenantRequestListener {
    /**
     * The filter bound {@code tenant} to the request; called with the tenant already bound (so {@code TenantContext}
     * and the MDC key name it), before the rest of the chain runs.
     *
     * @param request the request
     * @param tenant the tenant, as the catalog holds it
     */
    default void bound(HttpServletRequest request, Tenant tenant) {
    }

    /**
     * The filter answered the request with a problem instead of serving it, and bound no tenant.
     *
     * @param request the request
     * @param status the HTTP status answered: 400, 403, 404 or 503
     * @param title the problem's title ({@code Unknown tenant}, {@code Tenant suspended}, ...), never the tenant id
     *     or anything else the client sent
     */
    default void refused(HttpServletRequest request, int status, String title) {
    }
}
