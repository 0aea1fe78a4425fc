package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.core.tenant.Tenant;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides whether a request's principal may act for the tenant the filter resolved. A header, a subdomain and a
 * path prefix are chosen by the client, so without an authorizer (or a verified {@code geo.resolver.claim}) a
 * client reaches whichever tenant it names. Define one as a bean, e.g. checking the authenticated user's
 * memberships; the {@link TenantFilter} calls it after resolving and before binding, and answers 403 (problem
 * detail) when it denies. An exception it throws is not caught (the request fails; nothing is bound).
 * Implementations are thread-safe. Servlet applications only: in a WebFlux application define a
 * {@link ReactiveTenantAuthorizer} instead (a {@code TenantAuthorizer} bean there fails the start).
 */
@FunctionalInterface
public interface TenantAuthorizer {
    /**
     * Whether {@code request} (its {@link HttpServletRequest#getUserPrincipal() principal}, which may be null for
     * an anonymous request) may act for {@code tenant}.
     */
    boolean permits(HttpServletRequest request, Tenant tenant);
}
