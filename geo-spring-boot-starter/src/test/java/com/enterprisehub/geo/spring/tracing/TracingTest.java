package com.enterprisehub.geo.spring.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spring.GeoSpanAttributes;
import com.enterprisehub.geo.spring.TestEndpoints;
import com.enterprisehub.geo.spring.autoconfigure.GeoAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoTracingAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoWebAutoConfiguration;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Real spans through Boot's own OpenTelemetry set-up (its SDK, tracer provider and batch processor, exporting to the
 * SDK's in-memory exporter) around a real tenant data source on embedded PostgreSQL: the request's span carries the
 * tenant; borrows, refusals and security events are span events.
 */
class TracingTest {
    private static final AttributeKey<String> TENANT = AttributeKey.stringKey(GeoSpanAttributes.TENANT_ID);
    private static final AttributeKey<String> MARKET = AttributeKey.stringKey(GeoSpanAttributes.MARKET_ID);
    private static final AttributeKey<String> LEVEL = AttributeKey.stringKey(GeoSpanAttributes.ISOLATION_LEVEL);
    private static final AttributeKey<String> CAUSE = AttributeKey.stringKey(GeoSpanAttributes.REFUSAL_CAUSE);
    private static final AttributeKey<String> KIND = AttributeKey.stringKey(GeoSpanAttributes.SECURITY_KIND);
    private static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey(GeoSpanAttributes.ENDPOINT);
    private static final AttributeKey<Double> DURATION = AttributeKey.doubleKey(GeoSpanAttributes.BORROW_DURATION);
    private static final AttributeKey<Boolean> SWITCHED = AttributeKey.booleanKey(GeoSpanAttributes.SWITCHED);
    private static final AttributeKey<Double> WAIT = AttributeKey.doubleKey(GeoSpanAttributes.WAIT);
    private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    /** What the MVC handler at {@code GET /work} runs. */
    private final AtomicReference<Runnable> handlerWork = new AtomicReference<>();

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
                    OpenTelemetryTracingAutoConfiguration.class, GeoAutoConfiguration.class,
                    GeoWebAutoConfiguration.class, GeoTracingAutoConfiguration.class))
            .withBean(SpanExporter.class, () -> exporter)
            .withBean("work", RouterFunction.class, () -> RouterFunctions.route().GET("/work", request -> {
                handlerWork.get().run();
                return ServerResponse.ok().build();
            }).build())
            .withPropertyValues("management.tracing.sampling.probability=1.0", "geo.pool.maximum-size=1",
                    "geo.pool.reserved-connections=0", "geo.pool.connection-timeout=500ms");

    private void theRequestSpanCarriesTheTenantAndRefusalsAreEvents(AssertableWebApplicationContext context)
            throws Exception {
        activate(context, Tenant.builder("acme").market("ca").organization("Acme").build());
        activate(context, Tenant.builder("birch").market("ca").organization("Birch")
                .isolationLevel(IsolationLevel.ENHANCED).build());
        JdbcTemplate jdbc = new JdbcTemplate(context.getBean(TenantDataSource.class));

        assertThat(request(context, "GET /acme", "acme", jdbc)).isEqualTo(200);
        assertThat(request(context, "GET /birch", "birch", jdbc)).isEqualTo(200);
        assertThat(request(context, "GET /nobody", "nobody", jdbc)).isEqualTo(404);
        flush(context);

        SpanData first = span("GET /acme");
        assertThat(first.getAttributes().get(TENANT)).isEqualTo("acme");
        assertThat(first.getAttributes().get(MARKET)).isEqualTo("ca");
        assertThat(first.getAttributes().get(LEVEL)).isEqualTo("basic");
        // the handler's one borrow, as an event of the request's span
        EventData borrow = single(first, GeoSpanAttributes.BORROW_EVENT);
        assertThat(first.getEvents()).hasSize(1);
        assertThat(borrow.getAttributes().get(TENANT)).isEqualTo("acme");
        assertThat(borrow.getAttributes().get(LEVEL)).isEqualTo("basic");
        assertThat(borrow.getAttributes().get(MARKET)).isEqualTo("ca");
        assertThat(borrow.getAttributes().get(ENDPOINT)).isEqualTo("canada-shared");
        assertThat(borrow.getAttributes().get(DURATION)).isPositive().isLessThan(30.0);
        assertThat(borrow.getAttributes().get(SWITCHED)).as("reported, whichever it was").isNotNull();
        assertThat(borrow.getAttributes().get(WAIT)).isBetween(0.0, borrow.getAttributes().get(DURATION));
        assertThat(single(span("GET /birch"), GeoSpanAttributes.BORROW_EVENT).getAttributes().get(LEVEL))
                .isEqualTo("enhanced");
        assertThat(span("GET /birch").getAttributes().get(LEVEL)).isEqualTo("enhanced");
        assertThat(span("GET /birch").getAttributes().get(TENANT)).isEqualTo("birch");

        SpanData refused = span("GET /nobody");
        assertThat(refused.getAttributes().get(TENANT)).isNull();
        EventData event = single(refused, GeoSpanAttributes.TENANT_REFUSED_EVENT);
        assertThat(event.getAttributes().get(CAUSE)).isEqualTo("unknown-tenant");
        assertThat(event.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(404L);
        assertThat(refused.getEvents()).as("the handler never ran: no borrow").hasSize(1);
    }

    private void everyRefusalIsAnEventOfTheSpanThatMetItOnceOrASpanOfItsOwn(AssertableWebApplicationContext context)
            throws Exception {
        TenantCatalog tenants = context.getBean(TenantCatalog.class);
        // active in the catalog, never provisioned: the data source refuses it (not-placed)
        Tenant ghost = tenants.create(Tenant.builder("ghost").market("ca").organization("Ghost")
                .state(TenantState.ACTIVE).build());
        Tenant acme = activate(context, Tenant.builder("acme").market("ca").organization("Acme").build());
        TenantDataSource dataSource = context.getBean(TenantDataSource.class);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        // Through a real DispatcherServlet (MockMvc's): the handler throws, and only the resolvers the servlet finds
        // in the context see the exception.
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context.getSourceApplicationContext()).build();
        Span span = tracer(context).spanBuilder("GET /ghost").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope scope = span.makeCurrent()) {
            for (Runnable work : List.<Runnable>of(
                    () -> TenantContext.run(ghost, () -> jdbc.queryForList("SELECT title FROM listings")),
                    () -> jdbc.queryForList("SELECT title FROM listings"),   // no tenant bound
                    () -> TenantContext.run(acme, () -> jdbc.queryForList("SELECT x FROM nowhere")), // no refusal
                    () -> {
                        // another fail-closed check of the SDK (a tenant-scoped cache does this): only the starter's
                        // HandlerExceptionResolver sees it
                        throw new NoTenantBoundException("a cache read");
                    })) {
                handlerWork.set(work);
                // the starter's resolver resolves nothing: the exception still reaches the application's handling
                assertThrows(Exception.class, () -> mvc.perform(MockMvcRequestBuilders.get("/work")));
            }
            // the tenant's cap (one connection): the second borrow waits 500 ms and is refused
            TenantContext.run(acme, () -> {
                try (Connection held = dataSource.getConnection()) {
                    assertThrows(SQLTransientConnectionException.class, dataSource::getConnection);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            handlerWork.set(null);
            span.end();
        }
        // no span on this thread: the refusal gets one of its own
        assertThrows(java.sql.SQLException.class, dataSource::getConnection);
        flush(context);

        List<EventData> refusals = span("GET /ghost").getEvents().stream()
                .filter(e -> e.getName().equals(GeoSpanAttributes.ISOLATION_REFUSED_EVENT)).toList();
        // each once: the data source's from its observer (with the tenant), not again from the resolver
        assertThat(refusals).extracting(e -> e.getAttributes().get(CAUSE))
                .containsExactly("not-placed", "no-tenant", "no-tenant", "pool-busy");
        assertThat(refusals).extracting(e -> e.getAttributes().get(TENANT))
                .containsExactly("ghost", null, null, "acme");
        assertThat(refusals).extracting(e -> e.getAttributes().get(EXCEPTION_TYPE))
                .containsExactly(null, null, NoTenantBoundException.class.getName(), null);
        assertThat(span("GET /ghost").getEvents()).extracting(e -> e.getName() + ":" + e.getAttributes().get(TENANT))
                .containsExactly(GeoSpanAttributes.ISOLATION_REFUSED_EVENT + ":ghost",
                        GeoSpanAttributes.ISOLATION_REFUSED_EVENT + ":null",
                        GeoSpanAttributes.BORROW_EVENT + ":acme",      // borrowed; then its SQL failed: no refusal
                        GeoSpanAttributes.ISOLATION_REFUSED_EVENT + ":null",
                        GeoSpanAttributes.BORROW_EVENT + ":acme",      // the held connection
                        GeoSpanAttributes.ISOLATION_REFUSED_EVENT + ":acme");
        SpanData own = span(GeoSpanAttributes.ISOLATION_REFUSED_EVENT);
        assertThat(own.getParentSpanContext().isValid()).isFalse();
        assertThat(own.getAttributes().get(CAUSE)).isEqualTo("no-tenant");
        assertThat(single(own, GeoSpanAttributes.ISOLATION_REFUSED_EVENT).getAttributes().get(CAUSE))
                .isEqualTo("no-tenant");
    }

    private void securityEventsAreEventsOfTheSpanThatMetThemOrSpansOfTheirOwn(AssertableWebApplicationContext context)
            throws Exception {
        Tenant acme = activate(context, Tenant.builder("acme").market("ca").organization("Acme").build());
        TenantDataSource dataSource = context.getBean(TenantDataSource.class);
        // One connection in the pool: a session a borrower changed with SET is reset at the next hand-over,
        // which reports it (security event 'session-reset') on the next borrower's thread.
        dirty(dataSource, acme);
        Span next = tracer(context).spanBuilder("next borrower").startSpan();
        try (Scope scope = next.makeCurrent()) {
            TenantContext.run(acme, () -> borrow(dataSource, "SELECT 1"));
        } finally {
            next.end();
        }
        dirty(dataSource, acme);
        TenantContext.run(acme, () -> borrow(dataSource, "SELECT 1")); // no span on this thread
        flush(context);

        EventData met = single(span("next borrower"), GeoSpanAttributes.SECURITY_EVENT);
        assertThat(met.getAttributes().get(KIND)).isEqualTo("session-reset");
        assertThat(met.getAttributes().get(TENANT)).isEqualTo("acme");
        SpanData own = span(GeoSpanAttributes.SECURITY_EVENT);
        assertThat(own.getParentSpanContext().isValid()).isFalse();
        assertThat(own.getAttributes().get(KIND)).isEqualTo("session-reset");
        assertThat(single(own, GeoSpanAttributes.SECURITY_EVENT).getAttributes().get(TENANT)).isEqualTo("acme");
    }

    /** The three scenarios share one application (a context costs seconds); spans are flushed and dropped between. */
    @Test
    void requestSpansCarryTheTenantAndRefusalsAndSecurityEventsAreSpanEvents() {
        runner.withPropertyValues(TestEndpoints.properties("trace")).run(context -> {
            assertThat(context).hasNotFailed();
            theRequestSpanCarriesTheTenantAndRefusalsAreEvents(context);
            startOver(context);
            everyRefusalIsAnEventOfTheSpanThatMetItOnceOrASpanOfItsOwn(context);
            startOver(context);
            securityEventsAreEventsOfTheSpanThatMetThemOrSpansOfTheirOwn(context);
        });
    }

    private void startOver(AssertableWebApplicationContext context) {
        flush(context);
        exporter.reset();
    }

    @Test
    void turnedOffNothingIsReported() {
        runner.withPropertyValues(TestEndpoints.properties("trace_off")).withPropertyValues("geo.tracing.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean("geoTenantSpans").doesNotHaveBean("geoRefusalSpanEvents")
                            .doesNotHaveBean("geoConnectionSpans");
                    activate(context, Tenant.builder("acme").market("ca").organization("Acme").build());
                    assertThat(request(context, "GET /acme", "acme",
                            new JdbcTemplate(context.getBean(TenantDataSource.class)))).isEqualTo(200);
                    flush(context);
                    assertThat(span("GET /acme").getAttributes().get(TENANT)).isNull();
                    assertThat(span("GET /acme").getEvents()).as("no borrow event").isEmpty();
                    assertThrows(java.sql.SQLException.class, context.getBean(TenantDataSource.class)::getConnection);
                    flush(context);
                    assertThat(exporter.getFinishedSpanItems()).as("no refusal span").hasSize(1);
                });
    }

    /** The tenant, created, placed and made active unless it is already. */
    private static Tenant activate(AssertableWebApplicationContext context, Tenant tenant) {
        TenantCatalog tenants = context.getBean(TenantCatalog.class);
        if (tenants.find(tenant.id()).isPresent()) {
            return tenants.find(tenant.id()).orElseThrow();
        }
        tenants.create(tenant);
        context.getBean(TenantDataSource.class).provision(tenant.id());
        return tenants.transition(tenant.id(), TenantState.ACTIVE);
    }

    /** A request through the starter's filter inside a server span, as Boot's observation filter opens one. */
    private static int request(AssertableWebApplicationContext context, String name, String tenant, JdbcTemplate jdbc)
            throws Exception {
        Filter filter = context.getBean("geoTenantFilter", FilterRegistrationBean.class).getFilter();
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/listings");
        request.addHeader("X-Tenant-Id", tenant);
        MockHttpServletResponse response = new MockHttpServletResponse();
        Span span = tracer(context).spanBuilder(name).setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope scope = span.makeCurrent()) {
            filter.doFilter(request, response, new MockFilterChain(new HttpServlet() {
                @Override
                protected void service(HttpServletRequest req, HttpServletResponse res) {
                    jdbc.queryForList("SELECT title FROM listings", String.class);
                }
            }));
        } finally {
            span.end();
        }
        return response.getStatus();
    }

    private static io.opentelemetry.api.trace.Tracer tracer(AssertableWebApplicationContext context) {
        return context.getBean(OpenTelemetry.class).getTracer("test-server");
    }

    private static void dirty(TenantDataSource dataSource, Tenant tenant) {
        TenantContext.run(tenant, () -> borrow(dataSource, "SET work_mem = '8MB'"));
    }

    private static void borrow(TenantDataSource dataSource, String sql) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void flush(AssertableWebApplicationContext context) {
        assertThat(context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
                .isTrue();
    }

    private SpanData span(String name) {
        List<SpanData> named = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named).as("spans named %s", name).hasSize(1);
        return named.get(0);
    }

    private static EventData single(SpanData span, String name) {
        List<EventData> events = span.getEvents().stream().filter(e -> e.getName().equals(name)).toList();
        assertThat(events).as("events %s of span %s", name, span.getName()).hasSize(1);
        return events.get(0);
    }
}
