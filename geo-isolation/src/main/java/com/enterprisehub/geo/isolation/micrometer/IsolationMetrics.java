package com.enterprisehub.geo.isolation.micrometer;

import com.enterprisehub.geo.isolation.EndpointStatistics;
import com.enterprisehub.geo.isolation.IsolationStatistics;
import com.enterprisehub.geo.isolation.RefusalCause;
import com.enterprisehub.geo.isolation.TenantDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Publishes a {@link TenantDataSource}'s {@linkplain TenantDataSource#statistics() statistics} to Micrometer. Every
 * meter is per endpoint, per refusal cause or per security-event kind: never per tenant, so the number of meters
 * does not grow with the customer list. Meters read the data source when the registry reads them (no background
 * thread, no allocation on the borrow path).
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code geo.isolation.borrows}</td><td>function counter</td><td>endpoint</td>
 *       <td>connections handed to hosts from the endpoint's shared pool</td></tr>
 *   <tr><td>{@code geo.isolation.switches}</td><td>function timer</td><td>endpoint</td>
 *       <td>borrows that switched the pooled session to another tenant, and their time</td></tr>
 *   <tr><td>{@code geo.isolation.waits}</td><td>function timer</td><td>endpoint</td>
 *       <td>borrows that waited for the tenant's cap or the pool's fair share, and their time</td></tr>
 *   <tr><td>{@code geo.isolation.connections}</td><td>gauge</td><td>endpoint, state (active, idle, parked, pending)</td>
 *       <td>the shared pool's connections now; parked: kept bound to their tenant for its next borrower; pending:
 *       threads waiting inside the pool</td></tr>
 *   <tr><td>{@code geo.isolation.tenant.pools}</td><td>gauge</td><td></td>
 *       <td>pools of MAXIMUM and REGULATORY tenants open now</td></tr>
 *   <tr><td>{@code geo.isolation.refusals}</td><td>function counter</td><td>cause ({@link RefusalCause#tag()})</td>
 *       <td>connections refused</td></tr>
 *   <tr><td>{@code geo.isolation.security.events}</td><td>function counter</td><td>kind</td>
 *       <td>security events published (see {@code SecurityEvent} for the kinds)</td></tr>
 * </table>
 *
 * <p>Needs {@code io.micrometer:micrometer-core} on the class path (an optional dependency of geo-isolation).
 * With Spring Boot, geo-spring-boot-starter registers it.
 */
public final class IsolationMetrics implements MeterBinder {
    /** The security-event kinds registered up front, so that they read 0 before the first event. */
    private static final List<String> SECURITY_EVENT_KINDS = List.of("residency-violation", "session-reset",
            "session-state", "binding-refused", "role-changed", "login-refused", "statement-timeout", "self-check");

    private final TenantDataSource dataSource;
    private final Tags tags;

    /** Meters of {@code dataSource}, with no extra tags. */
    public IsolationMetrics(TenantDataSource dataSource) {
        this(dataSource, Tags.empty());
    }

    /** Meters of {@code dataSource}, each with {@code tags} added (a data source's name, say, when a host has two). */
    public IsolationMetrics(TenantDataSource dataSource, Iterable<Tag> tags) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        IsolationStatistics now = dataSource.statistics();
        for (EndpointStatistics endpoint : now.endpoints()) {
            String name = endpoint.endpoint();
            Tags endpointTags = tags.and("endpoint", name);
            FunctionCounter.builder("geo.isolation.borrows", dataSource,
                    endpointDouble(name, EndpointStatistics::borrows))
                    .tags(endpointTags).description("Connections handed to hosts from the endpoint's shared pool")
                    .register(registry);
            FunctionTimer.builder("geo.isolation.switches", dataSource,
                    endpointLong(name, EndpointStatistics::switches),
                    endpointDouble(name, e -> e.switchTime().toNanos()), TimeUnit.NANOSECONDS)
                    .tags(endpointTags).description("Borrows that switched the pooled session to another tenant")
                    .register(registry);
            FunctionTimer.builder("geo.isolation.waits", dataSource, endpointLong(name, EndpointStatistics::waits),
                    endpointDouble(name, e -> e.waitTime().toNanos()), TimeUnit.NANOSECONDS)
                    .tags(endpointTags).description("Borrows that waited for the tenant's cap or the pool's fair share")
                    .register(registry);
            gauge(registry, endpointTags.and("state", "active"), name, EndpointStatistics::activeConnections);
            gauge(registry, endpointTags.and("state", "idle"), name, EndpointStatistics::idleConnections);
            gauge(registry, endpointTags.and("state", "parked"), name, EndpointStatistics::parkedConnections);
            gauge(registry, endpointTags.and("state", "pending"), name, EndpointStatistics::pendingThreads);
        }
        Gauge.builder("geo.isolation.tenant.pools", dataSource, ds -> ds.openTenantPools()).tags(tags)
                .description("Pools of MAXIMUM and REGULATORY tenants open now").register(registry);
        for (RefusalCause cause : RefusalCause.values()) {
            FunctionCounter.builder("geo.isolation.refusals", dataSource,
                    ds -> ds.statistics().refusals().get(cause)).tags(tags.and("cause", cause.tag()))
                    .description("Connections refused, by cause").register(registry);
        }
        for (String kind : SECURITY_EVENT_KINDS) {
            FunctionCounter.builder("geo.isolation.security.events", dataSource,
                    ds -> ds.statistics().securityEvents().getOrDefault(kind, 0L)).tags(tags.and("kind", kind))
                    .description("Security events published, by kind").register(registry);
        }
    }

    private void gauge(MeterRegistry registry, Tags meterTags, String endpoint,
            ToLongFunction<EndpointStatistics> value) {
        Gauge.builder("geo.isolation.connections", dataSource, endpointDouble(endpoint, value::applyAsLong))
                .tags(meterTags).description("The endpoint's shared-pool connections now").register(registry);
    }

    private static ToLongFunction<TenantDataSource> endpointLong(String endpoint,
            ToLongFunction<EndpointStatistics> value) {
        return ds -> ds.statistics().endpoint(endpoint).map(value::applyAsLong).orElse(0L);
    }

    private static ToDoubleFunction<TenantDataSource> endpointDouble(String endpoint,
            ToDoubleFunction<EndpointStatistics> value) {
        return ds -> ds.statistics().endpoint(endpoint).map(value::applyAsDouble).orElse(0.0);
    }
}
