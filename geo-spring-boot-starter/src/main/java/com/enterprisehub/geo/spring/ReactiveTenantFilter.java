package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.TenantResolutionException;
import com.enterprisehub.geo.core.TenantSuspendedException;
import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.tenant.InboundRequest;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.spring.internal.ProblemDocument;
import com.enterprisehub.geo.spring.internal.RequestPaths;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The WebFlux counterpart of {@link TenantFilter}: resolves each request's tenant with the SDK's
 * {@link TenantResolver} (header, subdomain or path prefix; the catalog lookup runs on a {@code boundedElastic}
 * thread, as it may query a database, and the rest of the chain continues on the {@code parallel} scheduler, never on
 * {@code boundedElastic}) and puts it in the chain's Reactor context, where
 * {@link ReactiveTenantContext#blocking} binds it around blocking data access. Nothing is bound to the event-loop
 * thread. A {@link ReactiveTenantAuthorizer}, when given, decides after resolution whether the exchange's principal
 * may act for the tenant. Verified token claims come from a {@link ReactiveVerifiedClaims} source; a required claim
 * ({@code geo.resolver.claim}) missing from them is a 400, whatever else the client sends. Refusals are the same RFC
 * 9457 problems as the servlet filter's: 400, 404, 403 (suspended, or not permitted), 503. Thread-safe.
 */
public final class ReactiveTenantFilter implements WebFilter, Ordered {
    private final TenantResolver resolver;
    private final List<PathPattern> excluded;
    private final int order;
    private final Optional<ReactiveTenantAuthorizer> authorizer;
    private final ReactiveVerifiedClaims claims;
    private final Optional<String> requiredClaim;

    /**
     * A filter resolving with {@code resolver}, with no authorizer.
     *
     * @param excludePaths path patterns ({@code /actuator/**}) served without a tenant
     * @param order the filter's order among the application's {@code WebFilter}s
     */
    public ReactiveTenantFilter(TenantResolver resolver, List<String> excludePaths, int order) {
        this(builder(resolver).excludePaths(excludePaths).order(order));
    }

    private ReactiveTenantFilter(Builder b) {
        this.resolver = b.resolver;
        this.excluded = b.excludePaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
        this.order = b.order;
        this.authorizer = b.authorizer;
        this.claims = b.claims;
        this.requiredClaim = b.requiredClaim;
    }

    /** A builder of a filter resolving with {@code resolver}. */
    public static Builder builder(TenantResolver resolver) {
        return new Builder(Objects.requireNonNull(resolver, "resolver"));
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        PathContainer raw = request.getPath().pathWithinApplication();
        String path = raw.value();
        if (excluded(raw)) {
            return chain.filter(exchange);
        }
        InboundRequest.Builder inbound = InboundRequest.builder().host(Optional.ofNullable(request.getURI().getHost())
                .orElse("")).path(path);
        request.getHeaders().forEach((name, values) -> values.forEach(value -> inbound.header(name, value)));
        return Mono.defer(() -> Objects.requireNonNull(claims.claims(exchange),
                        "ReactiveVerifiedClaims returned null instead of a Mono"))
                .defaultIfEmpty(Map.of())
                .flatMap(verified -> {
                    if (requiredClaim.isPresent() && verified.get(requiredClaim.get()) == null) {
                        return problem(exchange.getResponse(), 400, "Tenant not resolved", "The request carries no"
                                + " verified token with claim '" + requiredClaim.get() + "'; authenticate with a token"
                                + " naming the tenant.");
                    }
                    return resolveAndContinue(exchange, chain, inbound.verifiedClaims(verified).build());
                });
    }

    private Mono<Void> resolveAndContinue(ServerWebExchange exchange, WebFilterChain chain, InboundRequest built) {
        // Only the resolution's refusals become problems; errors of the rest of the chain stay the application's.
        // The lookup may block (a catalog query): it runs on boundedElastic, and the rest of the chain is published
        // back on the parallel scheduler, so handlers do not run on (and tie up) the blocking pool's threads.
        return Mono.fromCallable(() -> Outcome.bound(resolver.resolve(built))).subscribeOn(Schedulers.boundedElastic())
                .publishOn(Schedulers.parallel())
                .onErrorResume(e -> Outcome.refused(e).map(Mono::just).orElseGet(() -> Mono.error(e)))
                .flatMap(outcome -> outcome.tenant() == null ? Mono.just(outcome) : authorized(exchange, outcome))
                .flatMap(outcome -> outcome.tenant() != null
                        ? chain.filter(exchange).contextWrite(ReactiveTenantContext.with(outcome.tenant()))
                        : problem(exchange.getResponse(), outcome.status(), outcome.title(), outcome.detail()));
    }

    /**
     * Whether {@code raw} is served without a tenant: only when both the raw path, as WebFlux routes it (segment by
     * segment, dot segments kept), and the normalised path (dot segments resolved, as a proxy or servlet container in
     * front may route it) match an excluded pattern. So {@code /api/x/../../actuator/health}, which WebFlux hands to
     * an {@code /api/**} handler, needs a tenant, and so does {@code /actuator/../api/listings}.
     */
    private boolean excluded(PathContainer raw) {
        Optional<String> normalised = RequestPaths.normalised(raw.value());
        if (normalised.isEmpty()) {
            return false; // not understood: the tenant is required (fail closed)
        }
        PathContainer resolved = PathContainer.parsePath(normalised.get());
        return excluded.stream().anyMatch(p -> p.matches(raw)) && excluded.stream().anyMatch(p -> p.matches(resolved));
    }

    /** {@code bound} if the authorizer (if any) emits true; a 403 outcome if it emits false or nothing. */
    private Mono<Outcome> authorized(ServerWebExchange exchange, Outcome bound) {
        if (authorizer.isEmpty()) {
            return Mono.just(bound);
        }
        return Mono.defer(() -> Objects.requireNonNull(authorizer.get().permits(exchange, bound.tenant()),
                        "ReactiveTenantAuthorizer returned null instead of a Mono"))
                .defaultIfEmpty(Boolean.FALSE)
                .map(permitted -> permitted ? bound : new Outcome(null, 403, "Tenant not permitted",
                        "The request's principal may not act for this tenant."));
    }

    /** A bound tenant, or a refusal's status, title and detail. */
    private record Outcome(Tenant tenant, int status, String title, String detail) {
        static Outcome bound(Tenant tenant) {
            return new Outcome(tenant, 200, "", "");
        }

        static Optional<Outcome> refused(Throwable e) {
            if (e instanceof TenantResolutionException) {
                return Optional.of(new Outcome(null, 400, "Tenant not resolved", e.getMessage()));
            }
            if (e instanceof UnknownTenantException) {
                return Optional.of(new Outcome(null, 404, "Unknown tenant", e.getMessage()));
            }
            if (e instanceof TenantSuspendedException) {
                return Optional.of(new Outcome(null, 403, "Tenant suspended", e.getMessage()));
            }
            if (e instanceof TenantUnavailableException) {
                return Optional.of(new Outcome(null, 503, "Tenant unavailable", e.getMessage()));
            }
            return Optional.empty();
        }
    }

    /** Builds a {@link ReactiveTenantFilter}. Not thread-safe. */
    public static final class Builder {
        private final TenantResolver resolver;
        private List<String> excludePaths = List.of();
        private int order = -90;
        private Optional<ReactiveTenantAuthorizer> authorizer = Optional.empty();
        private ReactiveVerifiedClaims claims = exchange -> Mono.empty();
        private Optional<String> requiredClaim = Optional.empty();

        private Builder(TenantResolver resolver) {
            this.resolver = resolver;
        }

        /** Path patterns ({@code /actuator/**}) served without a tenant; default: none. */
        public Builder excludePaths(List<String> patterns) {
            this.excludePaths = List.copyOf(patterns);
            return this;
        }

        /** The filter's order among the application's {@code WebFilter}s; default -90 ({@code geo.web.order}'s). */
        public Builder order(int value) {
            this.order = value;
            return this;
        }

        /** Decides whether the principal may act for the resolved tenant (403 unless it emits true); default: none. */
        public Builder authorizer(ReactiveTenantAuthorizer decider) {
            this.authorizer = Optional.of(Objects.requireNonNull(decider, "authorizer"));
            return this;
        }

        /** Where verified token claims come from; default: none. */
        public Builder claims(ReactiveVerifiedClaims source) {
            this.claims = Objects.requireNonNull(source, "claims");
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

        /** The filter. */
        public ReactiveTenantFilter build() {
            return new ReactiveTenantFilter(this);
        }
    }

    private static Mono<Void> problem(ServerHttpResponse response, int status, String title, String detail) {
        response.setStatusCode(HttpStatus.valueOf(status));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        DataBuffer body = response.bufferFactory().wrap(ProblemDocument.of(status, title, detail)
                .getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(body));
    }
}
