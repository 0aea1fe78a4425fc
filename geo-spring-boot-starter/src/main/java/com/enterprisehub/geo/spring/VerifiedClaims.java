package com.enterprisehub.geo.spring;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;

/**
 * The claims of a token the host has already verified (signature, expiry, audience) for a request, for the
 * {@code geo.resolver.claim} source. Define one as a bean, e.g. reading Spring Security's
 * {@code JwtAuthenticationToken}; the SDK never parses or verifies tokens. Implementations are thread-safe.
 */
@FunctionalInterface
public interface VerifiedClaims {
    /** The verified claims of {@code request}; empty when it carries no verified token. */
    Map<String, ?> claims(HttpServletRequest request);
}
