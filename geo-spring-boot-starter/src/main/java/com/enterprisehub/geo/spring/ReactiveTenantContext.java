package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The tenant of a reactive chain: carried in Reactor's {@link Context} (the {@link ReactiveTenantFilter} puts the
 * request's tenant there), and bound with {@link TenantContext} only around blocking work, on the thread that runs
 * it. The tenant data source is JDBC, which blocks: run every data access of a WebFlux handler through
 * {@link #blocking(Callable)}, which binds the chain's tenant on a {@code boundedElastic} thread for the call and
 * unbinds it before the thread takes other work. Without a tenant in the context, the returned {@code Mono} fails
 * with {@link NoTenantBoundException} and the work never runs (fail closed). Thread-safe (stateless).
 */
public final class ReactiveTenantContext {
    private static final Object KEY = ReactiveTenantContext.class.getName() + ".tenant";

    private ReactiveTenantContext() {
    }

    /** The tenant of the subscribing chain, if any. */
    public static Mono<Tenant> current() {
        return Mono.deferContextual(context -> Mono.justOrEmpty(tenant(context)));
    }

    /** For {@code contextWrite}: a context carrying {@code tenant} (what the filter does for each request). */
    public static Function<Context, Context> with(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return context -> context.put(KEY, tenant);
    }

    /** {@link #blocking(Callable, Scheduler)} on {@link Schedulers#boundedElastic()}. */
    public static <T> Mono<T> blocking(Callable<T> work) {
        return blocking(work, Schedulers.boundedElastic());
    }

    /**
     * Runs {@code work} on {@code scheduler} with the chain's tenant bound by {@link TenantContext#open(Tenant)}
     * (and its MDC key set), closed again when the work returns or throws.
     *
     * @return the work's result (empty if it returned null); an error of {@link NoTenantBoundException} when the
     *     chain carries no tenant, or of whatever the work threw
     */
    public static <T> Mono<T> blocking(Callable<T> work, Scheduler scheduler) {
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(scheduler, "scheduler");
        return Mono.deferContextual(context -> {
            Optional<Tenant> tenant = tenant(context);
            if (tenant.isEmpty()) {
                return Mono.error(new NoTenantBoundException("ReactiveTenantContext.blocking (no tenant in the"
                        + " Reactor context: is the request excluded from the ReactiveTenantFilter?)"));
            }
            return Mono.fromCallable(() -> {
                try (TenantContext.Scope scope = TenantContext.open(tenant.get())) {
                    return work.call();
                }
            }).subscribeOn(scheduler);
        });
    }

    private static Optional<Tenant> tenant(ContextView context) {
        return context.getOrEmpty(KEY);
    }
}
