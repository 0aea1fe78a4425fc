package com.enterprisehub.geo.spring.internal;

import com.enterprisehub.geo.core.event.PlatformEvent;
import com.enterprisehub.geo.core.event.PlatformEventListener;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.ConnectionObserver;
import com.enterprisehub.geo.isolation.RefusalCause;
import com.enterprisehub.geo.isolation.SecurityEvent;
import com.enterprisehub.geo.isolation.opentelemetry.OpenTelemetryConnections;
import com.enterprisehub.geo.spring.GeoSpanAttributes;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.util.Locale;
import java.util.Objects;

/**
 * What the starter tells OpenTelemetry, through its API only: the bound tenant's attributes on the current span,
 * refusals and the SDK's security events as span events. A security event raised on a thread with no recording span
 * (a watchdog, a self-check run) gets a short span of its own so that it is exported all the same. Thread-safe.
 * Not part of the API.
 */
public final class GeoSpans implements PlatformEventListener {
    /** The instrumentation scope of the starter's own spans. */
    public static final String SCOPE = "com.enterprisehub.geo.spring";

    static final AttributeKey<String> TENANT_ID = AttributeKey.stringKey(GeoSpanAttributes.TENANT_ID);
    static final AttributeKey<String> MARKET_ID = AttributeKey.stringKey(GeoSpanAttributes.MARKET_ID);
    static final AttributeKey<String> ISOLATION_LEVEL = AttributeKey.stringKey(GeoSpanAttributes.ISOLATION_LEVEL);
    static final AttributeKey<String> REFUSAL_CAUSE = AttributeKey.stringKey(GeoSpanAttributes.REFUSAL_CAUSE);
    static final AttributeKey<String> SECURITY_KIND = AttributeKey.stringKey(GeoSpanAttributes.SECURITY_KIND);
    static final AttributeKey<String> SECURITY_DETAIL = AttributeKey.stringKey(GeoSpanAttributes.SECURITY_DETAIL);
    /** Semantic conventions: https://opentelemetry.io/docs/specs/semconv/http/http-spans/ */
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    /** Semantic conventions: https://opentelemetry.io/docs/specs/semconv/exceptions/exceptions-spans/ */
    static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");

    private final Tracer tracer;
    private final ConnectionObserver connections;
    /** Whether {@link #connectionObserver()} was handed out (to the starter's data source). */
    private volatile boolean observingConnections;

    /** Own spans from {@code openTelemetry}'s tracer provider (Boot's bean; {@code OpenTelemetry.noop()}: none). */
    public GeoSpans(OpenTelemetry openTelemetry) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(SCOPE);
        this.connections = new OpenTelemetryConnections(openTelemetry);
    }

    /**
     * The observer that reports the tenant data source's borrows and refusals: geo-isolation's
     * {@link OpenTelemetryConnections}, with the same {@code OpenTelemetry}; once it was asked for,
     * {@link #observesConnections()} is true.
     */
    public ConnectionObserver connectionObserver() {
        observingConnections = true;
        return connections;
    }

    /**
     * Whether the data source's refusals reach the spans through {@link #connectionObserver()}: then a refusal thrown
     * by a handler need not be reported again.
     */
    public boolean observesConnections() {
        return observingConnections;
    }

    /** Puts {@code tenant}'s id, market and isolation level on the current span, if one is recording. */
    public void tenantBound(Tenant tenant) {
        Span span = Span.current();
        if (span.isRecording()) {
            span.setAllAttributes(tenantAttributes(tenant));
        }
    }

    /** Adds a {@code geo.tenant.refused} event (status and reason) to the current span, if one is recording. */
    public void tenantRefused(int status, String title) {
        Span span = Span.current();
        if (span.isRecording()) {
            span.addEvent(GeoSpanAttributes.TENANT_REFUSED_EVENT, Attributes.of(HTTP_STATUS, (long) status,
                    REFUSAL_CAUSE, title.toLowerCase(Locale.ROOT).replace(' ', '-')));
        }
    }

    /** Adds a {@code geo.isolation.refused} event (cause, exception type) to the current span, if one is recording. */
    public void isolationRefused(RefusalCause cause, Throwable failure) {
        Span span = Span.current();
        if (span.isRecording()) {
            span.addEvent(GeoSpanAttributes.ISOLATION_REFUSED_EVENT, Attributes.of(REFUSAL_CAUSE, cause.tag(),
                    EXCEPTION_TYPE, failure.getClass().getName()));
        }
    }

    /** A {@link SecurityEvent} becomes a {@code geo.security} event; other platform events are not traced. */
    @Override
    public void onEvent(PlatformEvent event) {
        if (!(event instanceof SecurityEvent security)) {
            return;
        }
        AttributesBuilder attributes = Attributes.builder().put(SECURITY_KIND, security.kind())
                .put(SECURITY_DETAIL, security.detail());
        if (!security.tenant().isEmpty()) {
            attributes.put(TENANT_ID, security.tenant());
        }
        Span current = Span.current();
        if (current.isRecording()) {
            current.addEvent(GeoSpanAttributes.SECURITY_EVENT, attributes.build(), security.at());
            return;
        }
        Span own = tracer.spanBuilder(GeoSpanAttributes.SECURITY_EVENT).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(security.at()).startSpan();
        try {
            own.setAllAttributes(Attributes.of(SECURITY_KIND, security.kind()));
            own.addEvent(GeoSpanAttributes.SECURITY_EVENT, attributes.build(), security.at());
        } finally {
            own.end();
        }
    }

    private static String level(Tenant tenant) {
        return tenant.isolationLevel().name().toLowerCase(Locale.ROOT);
    }

    private static Attributes tenantAttributes(Tenant tenant) {
        return Attributes.of(TENANT_ID, tenant.id().value(), MARKET_ID, tenant.market().value(), ISOLATION_LEVEL,
                level(tenant));
    }
}
