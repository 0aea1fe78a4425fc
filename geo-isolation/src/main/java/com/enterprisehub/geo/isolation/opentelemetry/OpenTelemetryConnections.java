package com.enterprisehub.geo.isolation.opentelemetry;

import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.ConnectionObserver;
import com.enterprisehub.geo.isolation.RefusalCause;
import com.enterprisehub.geo.isolation.TenantDataSource;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ConnectionObserver} that reports a {@link TenantDataSource}'s connection path to OpenTelemetry, through
 * its API only (it never creates an SDK, exporter or sampler; the host's {@link OpenTelemetry} does the exporting).
 * Register it with {@code TenantDataSource.builder().observer(new OpenTelemetryConnections(openTelemetry))}.
 *
 * <ul>
 *   <li>Every connection handed out is an event {@value #BORROW_EVENT} of the span current on the borrowing thread,
 *       when that span is recording, with the attributes {@value #TENANT_ID}, {@value #MARKET_ID},
 *       {@value #ISOLATION_LEVEL} (lower case: {@code basic}, {@code enhanced}, ...), {@value #ENDPOINT},
 *       {@value #BORROW_DURATION} (seconds, a double), {@value #SWITCHED} (a boolean) and {@value #WAIT} (seconds, a
 *       double: the part of the duration spent waiting). A borrow on a thread with no recording span is not reported (a
 *       span per borrow would be noise: the span doing the work is the one the borrow belongs to).</li>
 *   <li>Every refusal is an event {@value #REFUSED_EVENT} with the attributes {@value #REFUSAL_CAUSE}
 *       ({@link RefusalCause#tag()}) and, when a tenant was bound, {@value #TENANT_ID}: on the current span when one is
 *       recording, otherwise on a short span {@value #REFUSED_EVENT} of its own (kind {@code INTERNAL}, instrumentation
 *       scope {@value #SCOPE}, attribute {@value #REFUSAL_CAUSE}), so that no refusal goes unexported.</li>
 * </ul>
 *
 * <p>Names follow the OpenTelemetry semantic conventions' rules for custom names
 * (https://opentelemetry.io/docs/specs/semconv/general/naming/): a {@code geo.} namespace, dot-separated,
 * {@code snake_case} within a component. The tenant id goes on spans only, never on metrics. Thread-safe; needs
 * {@code io.opentelemetry:opentelemetry-api} on the class path (an optional dependency of geo-isolation).
 */
public final class OpenTelemetryConnections implements ConnectionObserver {
    /** The instrumentation scope of the spans this observer makes (a refusal on a thread with no span). */
    public static final String SCOPE = "com.enterprisehub.geo.isolation";

    /** Span event: the data source handed a connection to the thread whose span it is. */
    public static final String BORROW_EVENT = "geo.isolation.borrow";
    /** Span event, and the name of the span carrying it on a thread with none: the data source refused a connection. */
    public static final String REFUSED_EVENT = "geo.isolation.refused";
    /** Attribute: the tenant's id. */
    public static final String TENANT_ID = "geo.tenant.id";
    /** Attribute: the tenant's market id. */
    public static final String MARKET_ID = "geo.market.id";
    /** Attribute: the tenant's isolation level, lower case ({@code basic}, {@code enhanced}, ...). */
    public static final String ISOLATION_LEVEL = "geo.tenant.isolation_level";
    /** Attribute of {@value #BORROW_EVENT}: the endpoint (or dedicated server) the connection is to. */
    public static final String ENDPOINT = "geo.isolation.endpoint";
    /** Attribute of {@value #BORROW_EVENT}: how long {@code getConnection()} took, in seconds (a double). */
    public static final String BORROW_DURATION = "geo.isolation.borrow.duration";
    /**
     * Attribute of {@value #BORROW_EVENT}: whether the pooled session served another tenant (or none) and was switched
     * to this one ({@link Borrow#switched()}).
     */
    public static final String SWITCHED = "geo.isolation.switched";
    /**
     * Attribute of {@value #BORROW_EVENT}: how much of the duration was spent waiting for a connection, in seconds (a
     * double; {@link Borrow#waitNanos()}).
     */
    public static final String WAIT = "geo.isolation.wait";
    /** Attribute of {@value #REFUSED_EVENT}: why ({@link RefusalCause#tag()}: {@code no-tenant}, ...). */
    public static final String REFUSAL_CAUSE = "geo.refusal.cause";

    private static final AttributeKey<String> TENANT_ID_KEY = AttributeKey.stringKey(TENANT_ID);
    private static final AttributeKey<String> MARKET_ID_KEY = AttributeKey.stringKey(MARKET_ID);
    private static final AttributeKey<String> ISOLATION_LEVEL_KEY = AttributeKey.stringKey(ISOLATION_LEVEL);
    private static final AttributeKey<String> ENDPOINT_KEY = AttributeKey.stringKey(ENDPOINT);
    private static final AttributeKey<Double> BORROW_DURATION_KEY = AttributeKey.doubleKey(BORROW_DURATION);
    private static final AttributeKey<Boolean> SWITCHED_KEY = AttributeKey.booleanKey(SWITCHED);
    private static final AttributeKey<Double> WAIT_KEY = AttributeKey.doubleKey(WAIT);
    private static final AttributeKey<String> REFUSAL_CAUSE_KEY = AttributeKey.stringKey(REFUSAL_CAUSE);

    private final Tracer tracer;

    /**
     * An observer whose own spans (refusals on a thread with no span) come from {@code openTelemetry}'s tracer
     * provider; pass the host's instance ({@code OpenTelemetry.noop()}: events only, no spans of its own).
     *
     * @param openTelemetry the host's OpenTelemetry
     */
    public OpenTelemetryConnections(OpenTelemetry openTelemetry) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(SCOPE);
    }

    /**
     * Adds a {@value #BORROW_EVENT} event to the current span, if one is recording.
     *
     * @param borrow the connection handed out
     */
    @Override
    public void borrowed(Borrow borrow) {
        Span span = Span.current();
        if (span.isRecording()) {
            Tenant tenant = borrow.tenant();
            span.addEvent(BORROW_EVENT, Attributes.builder().put(TENANT_ID_KEY, tenant.id().value())
                    .put(MARKET_ID_KEY, tenant.market().value())
                    .put(ISOLATION_LEVEL_KEY, tenant.isolationLevel().name().toLowerCase(Locale.ROOT))
                    .put(ENDPOINT_KEY, borrow.endpoint()).put(BORROW_DURATION_KEY, borrow.nanos() / 1e9)
                    .put(SWITCHED_KEY, borrow.switched()).put(WAIT_KEY, borrow.waitNanos() / 1e9).build());
        }
    }

    /**
     * Adds a {@value #REFUSED_EVENT} event to the current span, or to a short span of its own when none is recording.
     *
     * @param cause why the connection was refused
     * @param tenant the tenant bound to the borrowing thread, if any
     */
    @Override
    public void refused(RefusalCause cause, Optional<TenantId> tenant) {
        Attributes attributes = tenant.isPresent()
                ? Attributes.of(REFUSAL_CAUSE_KEY, cause.tag(), TENANT_ID_KEY, tenant.get().value())
                : Attributes.of(REFUSAL_CAUSE_KEY, cause.tag());
        Span current = Span.current();
        if (current.isRecording()) {
            current.addEvent(REFUSED_EVENT, attributes);
            return;
        }
        Span own = tracer.spanBuilder(REFUSED_EVENT).setSpanKind(SpanKind.INTERNAL).startSpan();
        try {
            own.setAllAttributes(Attributes.of(REFUSAL_CAUSE_KEY, cause.tag()));
            own.addEvent(REFUSED_EVENT, attributes);
        } finally {
            own.end();
        }
    }
}
