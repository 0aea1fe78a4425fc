package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.TenantResolutionException;
import com.enterprisehub.geo.core.TenantSuspendedException;
import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.tenant.InboundRequest;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.spring.internal.Problems;
import com.enterprisehub.geo.spring.internal.RequestPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Resolves the tenant of each request with the SDK's {@link TenantResolver} and binds it with
 * {@link TenantContext#open(Tenant)} for the rest of the chain (so JDBC, JPA and {@code @Async} work done for the
 * request is that tenant's). A request it cannot serve is answered with an RFC 9457 problem
 * ({@code application/problem+json}) and goes no further: 400 when it names no tenant, several, or sources
 * disagree, or a required claim is missing; 404 when the tenant is unknown; 403 when it is suspended or the
 * {@link TenantAuthorizer} denies the principal; 503 while it is provisioned or offboarded.
 * Paths matching the excluded patterns (compared with the normalised path: decoded, without path parameters or dot
 * segments) pass without a tenant (a data access there fails closed). {@link TenantRequestListener}s are told of each
 * binding and refusal; a listener's exception is logged (WARN, without its message) and changes nothing. Thread-safe.
 */
public final class TenantFilter extends OncePerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(TenantFilter.class);
    private final TenantResolver resolver;
    private final VerifiedClaims claims;
    private final List<PathPattern> excluded;
    private final Optional<String> requiredClaim;
    private final Optional<TenantAuthorizer> authorizer;
    private final List<TenantRequestListener> listeners;

    /**
     * A filter resolving with {@code resolver}, requiring no claim.
     *
     * @param claims where verified token claims come from (a source that returns none if unused)
     * @param excludePaths path patterns ({@code /actuator/**}) served without a tenant
     */
    public TenantFilter(TenantResolver resolver, VerifiedClaims claims, List<String> excludePaths) {
        this(builder(resolver).claims(claims).excludePaths(excludePaths));
    }

    private TenantFilter(Builder b) {
        this.resolver = b.resolver;
        this.claims = Objects.requireNonNull(b.claims, "claims");
        this.excluded = b.excludePaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
        this.requiredClaim = b.requiredClaim;
        this.authorizer = b.authorizer;
        this.listeners = List.copyOf(b.listeners);
    }

    /** A builder of a filter resolving with {@code resolver}. */
    public static Builder builder(TenantResolver resolver) {
        return new Builder(Objects.requireNonNull(resolver, "resolver"));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        Optional<String> normalised = normalised(pathWithinApplication(request));
        if (normalised.isEmpty()) {
            return false; // not understood: the tenant is required (fail closed)
        }
        PathContainer path = PathContainer.parsePath(normalised.get());
        return excluded.stream().anyMatch(p -> p.matches(path));
    }

    /**
     * The path as a servlet container routes it, for matching exclusions: percent-decoded, path parameters
     * ({@code ;...}) removed, repeated slashes collapsed, {@code .} and {@code ..} segments resolved. Empty when it
     * cannot be read that way (a {@code %} left after decoding, a backslash, a {@code ..} above the root), so that
     * such a request is never excluded. The resolver still sees the raw path.
     */
    static Optional<String> normalised(String raw) {
        return RequestPaths.normalised(raw);
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false; // an async dispatch runs on another thread: bind the tenant again
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Map<String, ?> verified = claims.claims(request);
        if (requiredClaim.isPresent() && (verified == null || verified.get(requiredClaim.get()) == null)) {
            refuse(request, response, 400, "Tenant not resolved", "The request carries no verified token with claim '"
                    + requiredClaim.get() + "'; authenticate with a token naming the tenant.");
            return;
        }
        Tenant tenant;
        try {
            tenant = resolver.resolve(inbound(request, verified == null ? Map.of() : verified));
        } catch (TenantResolutionException e) {
            refuse(request, response, 400, "Tenant not resolved", e.getMessage());
            return;
        } catch (UnknownTenantException e) {
            refuse(request, response, 404, "Unknown tenant", e.getMessage());
            return;
        } catch (TenantSuspendedException e) {
            refuse(request, response, 403, "Tenant suspended", e.getMessage());
            return;
        } catch (TenantUnavailableException e) {
            refuse(request, response, 503, "Tenant unavailable", e.getMessage());
            return;
        }
        if (authorizer.isPresent() && !authorizer.get().permits(request, tenant)) {
            refuse(request, response, 403, "Tenant not permitted",
                    "The request's principal may not act for this tenant.");
            return;
        }
        try (TenantContext.Scope scope = TenantContext.open(tenant)) {
            for (TenantRequestListener listener : listeners) {
                try {
                    listener.bound(request, tenant);
                } catch (RuntimeException e) {
                    listenerFailed(listener, "bound", e);
                }
            }
            chain.doFilter(request, response);
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String title,
            String detail) throws IOException {
        Problems.write(response, status, title, detail);
        for (TenantRequestListener listener : listeners) {
            try {
                listener.refused(request, status, title);
            } catch (RuntimeException e) {
                listenerFailed(listener, "refused", e);
            }
        }
    }

    /**
     * A listener's failure changes nothing about the request (telemetry must not turn a 404 into a 500): logged with
     * the listener's and the exception's class and where it was thrown, never the exception's message, which may
     * carry what the client sent or a user's details.
     */
    private static void listenerFailed(TenantRequestListener listener, String callback, RuntimeException e) {
        StackTraceElement[] where = e.getStackTrace();
        LOG.warn("TenantRequestListener {}.{} threw {} at {}; the request continues as if it had returned.",
                listener.getClass().getName(), callback, e.getClass().getName(),
                where.length > 0 ? where[0] : "an unknown place");
    }

    private static InboundRequest inbound(HttpServletRequest request, Map<String, ?> verified) {
        InboundRequest.Builder b = InboundRequest.builder().host(request.getServerName())
                .path(pathWithinApplication(request));
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                b.header(name, value);
            }
        }
        return b.verifiedClaims(verified).build();
    }

    private static String pathWithinApplication(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    /** Builds a {@link TenantFilter}. Not thread-safe. */
    public static final class Builder {
        private final TenantResolver resolver;
        private VerifiedClaims claims = request -> Map.of();
        private List<String> excludePaths = List.of();
        private Optional<String> requiredClaim = Optional.empty();
        private Optional<TenantAuthorizer> authorizer = Optional.empty();
        private final List<TenantRequestListener> listeners = new ArrayList<>();

        private Builder(TenantResolver resolver) {
            this.resolver = resolver;
        }

        /** Where verified token claims come from; default: none. */
        public Builder claims(VerifiedClaims source) {
            this.claims = Objects.requireNonNull(source, "claims");
            return this;
        }

        /** Path patterns ({@code /actuator/**}) served without a tenant; default: none. */
        public Builder excludePaths(List<String> patterns) {
            this.excludePaths = List.copyOf(patterns);
            return this;
        }

        /**
         * A claim every request must carry in its verified claims (400 otherwise), whatever else names the tenant:
         * the {@code geo.resolver.claim}.
         */
        public Builder requireClaim(String name) {
            if (name == null || name.isBlank()) {
                throw new GeoValidationException("A required claim needs a name, such as 'tenant_id'.");
            }
            this.requiredClaim = Optional.of(name);
            return this;
        }

        /** Decides whether the principal may act for the resolved tenant (403 when it denies); default: none. */
        public Builder authorizer(TenantAuthorizer decider) {
            this.authorizer = Optional.of(Objects.requireNonNull(decider, "authorizer"));
            return this;
        }

        /** Adds a listener told of every binding and refusal, after those added before; default: none. */
        public Builder listener(TenantRequestListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The filter. */
        public TenantFilter build() {
            return new TenantFilter(this);
        }
    }
}
