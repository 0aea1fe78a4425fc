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

    /** Span event: the request filter answered a problem (400, 403, 404, 503) and bound no tenant. */
    public static final String TENANT_REFUSED_EVENT = "geo.tenant.refused";
    /** Span event: the tenant data source (or another fail-closed check of the SDK) refused a request's work. */
    public static final String ISOLATION_REFUSED_EVENT = "geo.isolation.refused";
    /**
     * Span event, and the name of the span that carries it when it happened on a thread with no span (a watchdog,
     * a self-check): the SDK refused or repaired something that could have exposed a tenant (a {@code SecurityEvent}).
     */
    public static final String SECURITY_EVENT = "geo.security";

    private GeoSpanAttributes() {
    }
}
