package com.enterprisehub.geo.spring.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Sees every exception a Spring MVC handler throws (the {@code DispatcherServlet} asks every
 * {@link HandlerExceptionResolver} bean, in order; this one is first) and, when it carries one of the SDK's
 * fail-closed refusals, adds a {@code geo.isolation.refused} event to the request's span, unless it is a refusal of
 * the tenant data source that its connection observer reported already. It resolves nothing (returns
 * null), so the application's own handling is unchanged, as with Boot's {@code DefaultErrorAttributes}. Thread-safe.
 * Not part of the API.
 */
public final class RefusalSpanEvents implements HandlerExceptionResolver, Ordered {
    private final GeoSpans spans;

    /** Reports through {@code spans}. */
    public RefusalSpanEvents(GeoSpans spans) {
        this.spans = Objects.requireNonNull(spans, "spans");
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        // The data source's own refusals reached the span already through its connection observer (when the starter
        // built the data source); only the SDK's other fail-closed checks (a cache, a cipher) are reported here.
        if (!(spans.observesConnections() && Refusals.fromDataSource(ex))) {
            Refusals.cause(ex).ifPresent(cause -> spans.isolationRefused(cause, ex));
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
