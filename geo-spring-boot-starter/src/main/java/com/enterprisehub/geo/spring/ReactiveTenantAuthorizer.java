package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.core.tenant.Tenant;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The WebFlux counterpart of {@link TenantAuthorizer}: decides whether an exchange's principal may act for the tenant
 * the {@link ReactiveTenantFilter} resolved. A header, a subdomain and a path prefix are chosen by the client, so
 * without an authorizer a client reaches whichever tenant it names. Define one as a bean, e.g. reading
 * {@link ServerWebExchange#getPrincipal()} and checking the user's memberships; the filter subscribes to it after
 * resolving and before putting the tenant in the Reactor context, and answers 403 (problem detail, title
 * {@code Tenant not permitted}) unless it emits {@code true}: {@code false} and an empty {@code Mono} both deny. An
 * error it signals is not caught (the request fails; nothing is bound). Implementations are thread-safe and
 * non-blocking (wrap a blocking lookup in {@code Mono.fromCallable(...).subscribeOn(Schedulers.boundedElastic())}).
 */
@FunctionalInterface
public interface ReactiveTenantAuthorizer {
    /**
     * Whether {@code exchange} (its principal, which may be absent for an anonymous request) may act for
     * {@code tenant}.
     *
     * @param exchange the request being filtered
     * @param tenant the resolved tenant, as the catalog holds it
     * @return {@code true} to permit; {@code false} or empty to deny
     */
    Mono<Boolean> permits(ServerWebExchange exchange, Tenant tenant);
}
