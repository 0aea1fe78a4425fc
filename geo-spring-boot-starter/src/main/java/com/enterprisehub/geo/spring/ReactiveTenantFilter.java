package com.enterprisehub.geo.spring;

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
 * thread, as it may query a database) and puts it in the chain's Reactor context, where
 * {@link ReactiveTenantContext#blocking} binds it around blocking data access. Nothing is bound to the event-loop
 * thread. Refusals are the same RFC 9457 problems as the servlet filter's: 400, 404, 403, 503. Verified token claims
 * are not read (a {@code geo.resolver.claim} fails the start of a reactive application). Thread-safe.
 */
public final class ReactiveTenantFilter implements WebFilter, Ordered {
    private final TenantResolver resolver;
    private final List<PathPattern> excluded;
    private final int order;

    /**
     * A filter resolving with {@code resolver}.
     *
     * @param excludePaths path patterns ({@code /actuator/**}) served without a tenant
     * @param order the filter's order among the application's {@code WebFilter}s
     */
    public ReactiveTenantFilter(TenantResolver resolver, List<String> excludePaths, int order) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.excluded = excludePaths.stream().map(PathPatternParser.defaultInstance::parse).toList();
        this.order = order;
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        Optional<String> normalised = RequestPaths.normalised(path);
        if (normalised.isPresent()
                && excluded.stream().anyMatch(p -> p.matches(PathContainer.parsePath(normalised.get())))) {
            return chain.filter(exchange);
        }
        InboundRequest.Builder inbound = InboundRequest.builder().host(Optional.ofNullable(request.getURI().getHost())
                .orElse("")).path(path);
        request.getHeaders().forEach((name, values) -> values.forEach(value -> inbound.header(name, value)));
        InboundRequest built = inbound.build();
        // Only the resolution's refusals become problems; errors of the rest of the chain stay the application's.
        return Mono.fromCallable(() -> Outcome.bound(resolver.resolve(built))).subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(e -> Outcome.refused(e).map(Mono::just).orElseGet(() -> Mono.error(e)))
                .flatMap(outcome -> outcome.tenant() != null
                        ? chain.filter(exchange).contextWrite(ReactiveTenantContext.with(outcome.tenant()))
                        : problem(exchange.getResponse(), outcome.status(), outcome.title(), outcome.detail()));
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

    private static Mono<Void> problem(ServerHttpResponse response, int status, String title, String detail) {
        response.setStatusCode(HttpStatus.valueOf(status));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        DataBuffer body = response.bufferFactory().wrap(ProblemDocument.of(status, title, detail)
                .getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(body));
    }
}
