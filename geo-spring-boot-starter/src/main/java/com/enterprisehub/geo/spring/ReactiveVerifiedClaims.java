package com.enterprisehub.geo.spring;

import java.util.Map;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The WebFlux counterpart of {@link VerifiedClaims}: the claims of a token the host has already verified (signature,
 * expiry, audience) for an exchange, for the {@code geo.resolver.claim} source of the {@link ReactiveTenantFilter}.
 * With Spring Security's reactive OAuth2 resource server the starter provides one (the authenticated bearer token's
 * attributes); define a bean of your own otherwise. The SDK never parses or verifies tokens. Implementations are
 * thread-safe and must not block (they run on the server's threads).
 */
@FunctionalInterface
public interface ReactiveVerifiedClaims {
    /**
     * The verified claims of {@code exchange}.
     *
     * @return the claims; empty (or an empty map) when the exchange carries no verified token; never null
     */
    Mono<Map<String, ?>> claims(ServerWebExchange exchange);
}
