package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.spring.GeoProperties;
import com.enterprisehub.geo.spring.TenantRequestListener;
import com.enterprisehub.geo.spring.internal.GeoSpans;
import com.enterprisehub.geo.spring.internal.RefusalSpanEvents;
import com.enterprisehub.geo.spring.internal.TenantSpanListener;
import io.opentelemetry.api.GlobalOpenTelemetry;
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
 * the bound tenant's id, market and isolation level, and the SDK's refusals and security events become span events.
 * It plugs into the host's OpenTelemetry rather than making one: Boot's {@code OpenTelemetry} bean
 * ({@code spring-boot-starter-opentelemetry}, which also creates the HTTP server spans through Micrometer's
 * OpenTelemetry bridge), else the global one (the OpenTelemetry Java agent's); with neither, every call is a no-op.
 * {@code geo.tracing.enabled=false} turns it off.
 */
@AutoConfiguration(after = GeoAutoConfiguration.class,
        afterName = "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration")
@ConditionalOnClass(name = "io.opentelemetry.api.OpenTelemetry")
@ConditionalOnBooleanProperty(name = "geo.tracing.enabled", matchIfMissing = true)
@ConditionalOnBean(GeoProperties.class)
public final class GeoTracingAutoConfiguration {
    /** The starter's span reporter, on Boot's {@code OpenTelemetry} bean or the global one. */
    @Bean
    @ConditionalOnMissingBean
    GeoSpans geoSpans(ObjectProvider<OpenTelemetry> openTelemetry) {
        return new GeoSpans(openTelemetry.getIfAvailable(GlobalOpenTelemetry::get));
    }

    /** The SDK's security events (published on {@link PlatformEvents}) as span events; unsubscribed on close. */
    @Bean
    @ConditionalOnBean(PlatformEvents.class)
    SecurityEventSubscription geoSecuritySpanEvents(PlatformEvents events, GeoSpans spans) {
        return new SecurityEventSubscription(events.subscribe(spans));
    }

    /** The request filter's bindings and refusals, and refusals thrown by MVC handlers, on the request's span. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = {"jakarta.servlet.http.HttpServletRequest",
            "org.springframework.web.servlet.HandlerExceptionResolver"})
    static class Servlet {
        @Bean
        @ConditionalOnMissingBean(name = "geoTenantSpans")
        TenantRequestListener geoTenantSpans(GeoSpans spans) {
            return new TenantSpanListener(spans);
        }

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
