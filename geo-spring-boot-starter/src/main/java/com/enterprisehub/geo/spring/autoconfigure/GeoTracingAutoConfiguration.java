package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.spring.GeoProperties;
import com.enterprisehub.geo.spring.TenantDataSourceCustomizer;
import com.enterprisehub.geo.spring.TenantRequestListener;
import com.enterprisehub.geo.spring.internal.GeoSpans;
import com.enterprisehub.geo.spring.internal.RefusalSpanEvents;
import com.enterprisehub.geo.spring.internal.TenantSpanListener;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * OpenTelemetry, through its API only, when {@code opentelemetry-api} is on the class path: the request's span gets
 * the bound tenant's id, market and isolation level; the tenant data source's borrows and refusals (through its
 * connection observer) and the SDK's security events become span events.
 * It plugs into the host's OpenTelemetry rather than making one: Boot's {@code OpenTelemetry} bean
 * ({@code spring-boot-starter-opentelemetry}, which also creates the HTTP server spans through Micrometer's
 * OpenTelemetry bridge). Attributes and events go to whichever span is current (Boot's, or the OpenTelemetry Java
 * agent's); the starter's own spans need Boot's bean.
 * {@code geo.tracing.enabled=false} turns it off.
 */
@AutoConfiguration(after = GeoAutoConfiguration.class,
        afterName = "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration")
@ConditionalOnClass(name = "io.opentelemetry.api.OpenTelemetry")
@ConditionalOnBooleanProperty(name = "geo.tracing.enabled", matchIfMissing = true)
@ConditionalOnBean(GeoProperties.class)
public final class GeoTracingAutoConfiguration {
    /**
     * The starter's span reporter. Its own spans (security events met on a thread with no span) come from Boot's
     * {@code OpenTelemetry} bean; without one they are not made. {@code GlobalOpenTelemetry.get()} is never called: it
     * would install a no-op global that a later {@code GlobalOpenTelemetry.set} refuses. Span attributes and events
     * go to the current span whoever made it (Boot, the Java agent).
     */
    @Bean
    @ConditionalOnMissingBean
    GeoSpans geoSpans(ObjectProvider<OpenTelemetry> openTelemetry) {
        return new GeoSpans(openTelemetry.getIfAvailable(OpenTelemetry::noop));
    }

    /**
     * The tenant data source's borrows and refusals as span events, through its connection observer, added to the
     * starter's {@code dataSource} builder. A host's own {@code TenantDataSource} bean does not get it (customizers
     * apply to the starter's builder only): its refusals thrown by MVC handlers are still span events
     * ({@code geoRefusalSpanEvents}), its borrows and other refusals are not.
     */
    @Bean
    @ConditionalOnMissingBean(name = "geoConnectionSpans")
    TenantDataSourceCustomizer geoConnectionSpans(GeoSpans spans) {
        return builder -> builder.observer(spans.connectionObserver());
    }

    /** The SDK's security events (published on {@link PlatformEvents}) as span events; unsubscribed on close. */
    @Bean
    @ConditionalOnBean(PlatformEvents.class)
    SecurityEventSubscription geoSecuritySpanEvents(PlatformEvents events, GeoSpans spans) {
        return new SecurityEventSubscription(events.subscribe(spans));
    }

    /** The request filter's bindings and refusals on the request's span. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "jakarta.servlet.http.HttpServletRequest")
    static class Servlet {
        @Bean
        @ConditionalOnMissingBean(name = "geoTenantSpans")
        TenantRequestListener geoTenantSpans(GeoSpans spans) {
            return new TenantSpanListener(spans);
        }
    }

    /** Refusals thrown by Spring MVC handlers, as events of the request's span. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.HandlerExceptionResolver")
    static class Mvc {
        @Bean
        @ConditionalOnMissingBean(name = "geoRefusalSpanEvents")
        RefusalSpanEvents geoRefusalSpanEvents(GeoSpans spans) {
            return new RefusalSpanEvents(spans);
        }
    }

    /** A listener's subscription, closed with the context. */
    static final class SecurityEventSubscription implements DisposableBean {
        private final PlatformEvents.Subscription subscription;

        SecurityEventSubscription(PlatformEvents.Subscription subscription) {
            this.subscription = subscription;
        }

        @Override
        public void destroy() {
            subscription.close();
        }
    }
}
