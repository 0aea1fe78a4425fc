package com.enterprisehub.geo.spring.internal;

import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.spring.TenantRequestListener;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;

/**
 * The request filter's decisions on the request's span (the server span Boot's observation filter, or the Java
 * agent, made current before the filter runs): the tenant's attributes, or a refusal event. Thread-safe. Not part
 * of the API.
 */
public final class TenantSpanListener implements TenantRequestListener {
    private final GeoSpans spans;

    /** Reports through {@code spans}. */
    public TenantSpanListener(GeoSpans spans) {
        this.spans = Objects.requireNonNull(spans, "spans");
    }

    @Override
    public void bound(HttpServletRequest request, Tenant tenant) {
        spans.tenantBound(tenant);
    }

    @Override
    public void refused(HttpServletRequest request, int status, String title) {
        spans.tenantRefused(status, title);
    }
}
