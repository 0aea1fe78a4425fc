package com.enterprisehub.geo.spring;

/**
 * The names the starter gives OpenTelemetry span attributes and span events (see docs/spring-boot.md, "Tracing").
 * They follow the OpenTelemetry semantic conventions' naming rules for custom names
 * (https://opentelemetry.io/docs/specs/semconv/general/naming/): lower case, dot-separated namespaces under the
 * project's own {@code geo.} prefix, {@code snake_case} within a component, and no name that is both an attribute
 * and a namespace of others (hence {@code geo.market.id}, not {@code geo.market}). Plain strings: using them needs no
 * OpenTelemetry dependency.
 */
public final class GeoSpanAttributes {
    /** Attribute: the bound tenant's id ({@code maple-homes}). */
    public static final String TENANT_ID = "geo.tenant.id";
    /** Attribute: the bound tenant's market id ({@code ca}). */
    public static final String MARKET_ID = "geo.market.id";
    /** Attribute: the bound tenant's isolation level, lower case ({@code basic}, {@code enhanced}, ...). */
    public static final String ISOLATION_LEVEL = "geo.tenant.isolation_level";
    /** Attribute of the refusal events: why ({@code unknown-tenant}, {@code no-tenant}, {@code not-placed}, ...). */
    public static final String REFUSAL_CAUSE = "geo.refusal.cause";
    /** Attribute of {@link #SECURITY_EVENT}: the SDK's security event kind ({@code session-reset}, ...). */
    public static final String SECURITY_KIND = "geo.security.kind";
    /** Attribute of {@link #SECURITY_EVENT}: what happened, for an auditor (ids and names, never secrets or SQL). */
    public static final String SECURITY_DETAIL = "geo.security.detail";

    /** Attribute of {@link #BORROW_EVENT}: the endpoint (or dedicated server) the connection is to. */
    public static final String ENDPOINT = "geo.isolation.endpoint";
    /**
     * Attribute of {@link #BORROW_EVENT}: how long {@code getConnection()} took, in seconds (a double, as the semantic
     * conventions give durations): the tenant lookup, any wait for a connection, and the tenant switch if any.
     */
    public static final String BORROW_DURATION = "geo.isolation.borrow.duration";
    /**
     * Attribute of {@link #BORROW_EVENT}: whether the pooled session served another tenant (or none) and was switched
     * to this one (a boolean; always false for a MAXIMUM or REGULATORY tenant's own pool).
     */
    public static final String SWITCHED = "geo.isolation.switched";
    /**
     * Attribute of {@link #BORROW_EVENT}: how much of {@link #BORROW_DURATION} was spent waiting for a connection, in
     * seconds (a double).
     */
    public static final String WAIT = "geo.isolation.wait";

    /**
     * Span event: the tenant data source handed a connection to the thread whose span it is (attributes
     * {@link #TENANT_ID}, {@link #MARKET_ID}, {@link #ISOLATION_LEVEL}, {@link #ENDPOINT}, {@link #BORROW_DURATION}, {@link #SWITCHED}, {@link #WAIT}).
     * Reported by geo-isolation's {@code OpenTelemetryConnections}, which uses the same names.
     */
    public static final String BORROW_EVENT = "geo.isolation.borrow";
    /** Span event: the request filter answered a problem (400, 403, 404, 503) and bound no tenant. */
    public static final String TENANT_REFUSED_EVENT = "geo.tenant.refused";
    /**
     * Span event, and the name of the span that carries it when it happened on a thread with no span: the tenant data
     * source refused a connection (attributes {@link #REFUSAL_CAUSE} and, when a tenant was bound, {@link #TENANT_ID}),
     * or another fail-closed check of the SDK refused a Spring MVC handler's work (attributes {@link #REFUSAL_CAUSE}
     * and {@code exception.type}).
     */
    public static final String ISOLATION_REFUSED_EVENT = "geo.isolation.refused";
    /**
     * Span event, and the name of the span that carries it when it happened on a thread with no span (a watchdog,
     * a self-check): the SDK refused or repaired something that could have exposed a tenant (a {@code SecurityEvent}).
     */
    public static final String SECURITY_EVENT = "geo.security";

    private GeoSpanAttributes() {
    }
}
