package com.example.geo.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spring.TenantKey;
import com.enterprisehub.geo.spring.TenantScopedCacheManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import com.enterprisehub.geo.spring.GeoSpanAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.springframework.cache.CacheManager;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The example application on a real PostgreSQL with nothing but geo.* properties: it starts (Hibernate, Flyway,
 * health), and BASIC and ENHANCED tenants, interleaved, each see exactly their own listings through the JPA
 * repository, JdbcTemplate and {@code @Async}; requests the filter cannot serve get problem details; data access
 * with no tenant bound fails closed.
 */
@SpringBootTest(properties = {"management.endpoints.web.exposure.include=health,metrics,configprops,env",
        "management.endpoint.configprops.show-values=always", "management.endpoint.env.show-values=always",
        // the application shows health details when-authorized; the test has no security, so it shows them always
        "management.endpoint.health.show-details=always",
        // every health call runs the self-check here, so the test can see which run the data source keeps
        "geo.health.self-check-max-age=0s",
        // every request traced (Boot samples 10% by default)
        "management.tracing.sampling.probability=1.0",
        // the OpenTelemetry starter (test scope) would push metrics to localhost:4318 every minute: nothing listens
        "management.otlp.metrics.export.enabled=false"})
@AutoConfigureMockMvc
@AutoConfigureTracing
@Import(TenantIsolationTest.Spans.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest {
    private static final Map<String, IsolationLevel> TENANTS = new LinkedHashMap<>();

    static {
        TENANTS.put("acme", IsolationLevel.BASIC);
        TENANTS.put("birch", IsolationLevel.ENHANCED);
        TENANTS.put("cedar", IsolationLevel.BASIC);
        TENANTS.put("dune", IsolationLevel.ENHANCED);
        TENANTS.put("heath", IsolationLevel.BASIC); // market gb: placed on the second endpoint, europe-shared
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        EmbeddedDatabase.register(registry, "boot_isolation", true);
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    TenantCatalog tenants;
    @Autowired
    TenantDataSource dataSource;
    @Autowired
    ListingRepository repository;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ListingService service;
    @Autowired
    CacheManager cacheManager;
    @Autowired
    org.springframework.core.env.Environment environment;
    @Autowired
    com.enterprisehub.geo.spring.GeoHealthIndicator health;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;
    @Autowired
    InMemorySpanExporter spans;
    @Autowired
    SdkTracerProvider tracerProvider;

    /** Boot's tracer provider exports to the OpenTelemetry SDK's in-memory exporter, beside any other. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Spans {
        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    /** No-tenant refusals counted by the time the context had started (before any test). */
    private double refusalsAtStart;

    @BeforeAll
    void tenants() {
        refusalsAtStart = noTenantRefusals();
        TENANTS.forEach((id, level) -> onboard(id, level));
        onboard("frozen", IsolationLevel.BASIC);
        tenants.transition(com.enterprisehub.geo.core.tenant.TenantId.of("frozen"), TenantState.SUSPENDED);
    }

    private void onboard(String id, IsolationLevel level) {
        String market = id.equals("heath") ? "gb" : "ca";
        Tenant t = tenants.create(Tenant.builder(id).market(market).organization(id).isolationLevel(level).build());
        dataSource.provision(t.id());
        tenants.transition(t.id(), TenantState.ACTIVE);
    }

    @Test
    void interleavedTenantsEachSeeOnlyTheirOwnListingsThroughJpaJdbcAndAsync() throws Exception {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        TENANTS.keySet().forEach(t -> expected.put(t, new ArrayList<>()));
        for (int round = 0; round < 3; round++) {
            for (String tenant : TENANTS.keySet()) { // BASIC, ENHANCED, BASIC, ENHANCED: every borrow switches
                String title = tenant + " listing " + round;
                mvc.perform(post("/listings").header("X-Tenant-Id", tenant).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"title\":\"" + title + "\"}")).andExpect(status().isOk())
                        .andExpect(jsonPath("$.title").value(title));
                expected.get(tenant).add(title);
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            for (String tenant : TENANTS.keySet()) {
                List<String> own = expected.get(tenant);
                assertThat(titles(get("/listings"), tenant)).as("JPA, %s", tenant).isEqualTo(own);
                assertThat(titles(get("/listings/jdbc"), tenant)).as("JdbcTemplate, %s", tenant).isEqualTo(own);
                MvcResult started = mvc.perform(get("/listings/async").header("X-Tenant-Id", tenant))
                        .andExpect(request().asyncStarted()).andReturn();
                String body = mvc.perform(asyncDispatch(started)).andExpect(status().isOk()).andReturn()
                        .getResponse().getContentAsString();
                assertThat(parse(body)).as("@Async, %s", tenant).isEqualTo(own);
            }
        }
    }

    @Test
    void requestsWithoutAnActiveTenantGetProblemDetails() throws Exception {
        mvc.perform(get("/listings")).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("names no tenant")));
        mvc.perform(get("/listings").header("X-Tenant-Id", "nobody")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Unknown tenant"));
        mvc.perform(get("/listings").header("X-Tenant-Id", "frozen")).andExpect(status().isForbidden())
                .andExpect(jsonPath("$.title").value("Tenant suspended"));
        mvc.perform(get("/listings").header("X-Tenant-Id", "acme").header("X-Tenant-Id", "birch"))
                .andExpect(status().isBadRequest());
    }

    @Test
    void serverSpansCarryTheTenantAndRefusalsAreSpanEvents() throws Exception {
        Tenant ghost = tenants.create(Tenant.builder("ghost").market("ca").organization("ghost").build());
        tenants.transition(ghost.id(), TenantState.ACTIVE); // active, never provisioned: the data source refuses it
        flushSpans(); // the other tests' spans, still in Boot's batch processor
        spans.reset();
        titles(get("/listings"), "birch");
        titles(get("/listings/jdbc"), "heath");
        mvc.perform(get("/listings").header("X-Tenant-Id", "nobody")).andExpect(status().isNotFound());
        assertThatThrownBy(() -> mvc.perform(get("/listings").header("X-Tenant-Id", "ghost")))
                .hasRootCauseInstanceOf(com.enterprisehub.geo.isolation.TenantNotPlacedException.class);
        flushSpans();

        // the server spans Boot's observation filter made (Micrometer's OpenTelemetry bridge), one per request
        List<SpanData> server = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.SERVER)
                .toList();
        assertThat(server).hasSize(4);
        assertThat(server).extracting(s -> s.getAttributes().get(AttributeKey.stringKey(GeoSpanAttributes.TENANT_ID)))
                .containsExactly("birch", "heath", null, "ghost");
        assertThat(server).extracting(s -> s.getAttributes().get(AttributeKey.stringKey(GeoSpanAttributes.MARKET_ID)))
                .containsExactly("ca", "gb", null, "ca");
        assertThat(server).extracting(s -> s.getAttributes().get(
                AttributeKey.stringKey(GeoSpanAttributes.ISOLATION_LEVEL))).containsExactly("enhanced", "basic", null,
                        "basic");
        // each data access's borrow is an event of its request's span, with the endpoint it was served from
        assertThat(events(server.get(0))).isNotEmpty()
                .containsOnly(GeoSpanAttributes.BORROW_EVENT + ":birch@canada-shared");
        assertThat(events(server.get(1))).isNotEmpty()
                .containsOnly(GeoSpanAttributes.BORROW_EVENT + ":heath@europe-shared");
        assertThat(events(server.get(2))).containsExactly(GeoSpanAttributes.TENANT_REFUSED_EVENT + ":unknown-tenant");
        // the data source's refusal, once (its observer's event; the MVC resolver does not report it again)
        assertThat(events(server.get(3))).containsExactly(GeoSpanAttributes.ISOLATION_REFUSED_EVENT + ":not-placed");
    }

    private void flushSpans() {
        assertThat(tracerProvider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    private static List<String> events(SpanData span) {
        return span.getEvents().stream().filter(e -> e.getName().startsWith("geo."))
                .map(e -> e.getName() + ":" + (e.getName().equals(GeoSpanAttributes.BORROW_EVENT)
                        ? e.getAttributes().get(AttributeKey.stringKey(GeoSpanAttributes.TENANT_ID)) + "@"
                                + e.getAttributes().get(AttributeKey.stringKey(GeoSpanAttributes.ENDPOINT))
                        : e.getAttributes().get(AttributeKey.stringKey(GeoSpanAttributes.REFUSAL_CAUSE)))).toList();
    }

    @Test
    void secretsAreMaskedInConfigpropsAndEnvEvenWithValuesShown() throws Exception {
        String key = environment.getProperty("geo.binding-key.value");
        assertThat(key).hasSizeGreaterThan(40);
        String configprops = mvc.perform(get("/actuator/configprops/geo")).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
        assertThat(configprops).contains("canada-shared").doesNotContain(key);
        String env = mvc.perform(get("/actuator/env")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(env).contains("canada-shared").doesNotContain(key);
        for (String property : List.of("geo.endpoints[0].admin.password", "geo.endpoints[0].app.password",
                "geo.endpoints[1].app.password", "geo.binding-key.value")) {
            mvc.perform(get("/actuator/env/" + property)).andExpect(status().isOk())
                    .andExpect(jsonPath("$.property.value").value("******"));
        }
    }

    @Test
    void dataAccessWithNoTenantBoundFailsClosed() {
        assertThatThrownBy(() -> repository.count()).hasRootCauseInstanceOf(NoTenantBoundException.class);
        assertThatThrownBy(() -> jdbc.queryForObject("SELECT count(*) FROM listings", Long.class))
                .hasRootCauseInstanceOf(NoTenantBoundException.class);
    }

    @Test
    void aCachedEntityOfOneTenantIsNeverServedToAnother() throws Exception {
        onboard("elm", IsolationLevel.ENHANCED); // two schemas of their own: both first listings get id 1
        onboard("fir", IsolationLevel.ENHANCED);
        for (String tenant : List.of("elm", "fir")) {
            mvc.perform(post("/listings").header("X-Tenant-Id", tenant).contentType(MediaType.APPLICATION_JSON)
                    .content("{\"title\":\"" + tenant + " cottage\"}")).andExpect(jsonPath("$.id").value(1));
        }
        for (int pass = 0; pass < 2; pass++) { // the second pass is served from the cache
            mvc.perform(get("/listings/1/title").header("X-Tenant-Id", "elm")).andExpect(content().string("elm cottage"));
            mvc.perform(get("/listings/1/title").header("X-Tenant-Id", "fir")).andExpect(content().string("fir cottage"));
        }
        assertThat(cacheManager).isInstanceOf(TenantScopedCacheManager.class);
        // the provider's own cache (Caffeine, on the class path through geo-isolation; else a ConcurrentMap): one
        // entry per tenant, none under the method's own key
        Object nativeCache = cacheManager.getCache("listing-titles").getNativeCache();
        Map<?, ?> store = nativeCache instanceof com.github.benmanes.caffeine.cache.Cache<?, ?> caffeine
                ? caffeine.asMap() : (Map<?, ?>) nativeCache;
        assertThat(store.get(new TenantKey("elm", 1L))).isEqualTo("elm cottage");
        assertThat(store.get(new TenantKey("fir", 1L))).isEqualTo("fir cottage");
        assertThat(store.get(1L)).isNull();
        assertThat(store).hasSize(2);
        assertThatThrownBy(() -> service.title(1L)).isInstanceOf(NoTenantBoundException.class);
    }

    @Test
    void healthIsUpWithTheSdkIndicatorInPlaceOfBootsDb() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"))
                .andExpect(jsonPath("$.components.db.status").value("UP"))
                .andExpect(jsonPath("$.components.db.details.endpoints.canada-shared").value("CANADA"))
                .andExpect(jsonPath("$.components.db.details.endpoints.europe-shared").value("EUROPE"));
        // the indicator goes through TenantDataSource.selfCheck(maxAge): its run is the one the data source keeps
        assertThat(health.maxAge()).isEqualTo(java.time.Duration.ZERO);
        Object before = dataSource.selfCheck(java.time.Duration.ZERO);
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        assertThat(dataSource.selfCheck(java.time.Duration.ofDays(1))).isNotSameAs(before);
        assertThat(dataSource.placement(com.enterprisehub.geo.core.tenant.TenantId.of("heath")).orElseThrow()
                .endpoint()).isEqualTo("europe-shared");
    }

    @Test
    void theDataSourcesMetersAreInActuatorMetrics() throws Exception {
        for (String tenant : List.of("acme", "birch", "acme")) {
            titles(get("/listings/jdbc"), tenant);
        }
        mvc.perform(get("/actuator/metrics")).andExpect(status().isOk())
                .andExpect(jsonPath("$.names").value(org.hamcrest.Matchers.hasItems("geo.isolation.borrows",
                        "geo.isolation.switches", "geo.isolation.waits", "geo.isolation.connections",
                        "geo.isolation.refusals", "geo.isolation.security.events")));
        mvc.perform(get("/actuator/metrics/geo.isolation.borrows").param("tag", "endpoint:canada-shared"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.measurements[0].value").value(org.hamcrest.Matchers.greaterThanOrEqualTo(3.0)));
        mvc.perform(get("/actuator/metrics/geo.isolation.switches").param("tag", "endpoint:canada-shared"))
                .andExpect(jsonPath("$.measurements[?(@.statistic == 'COUNT')].value")
                        .value(org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.greaterThanOrEqualTo(2.0))));
        // nothing at start-up borrowed a connection without a tenant (Boot's embedded-database probe would)
        assertThat(refusalsAtStart).isZero();
        // a borrow with no tenant is refused, and counted by cause: exactly one more
        double before = noTenantRefusals();
        assertThatThrownBy(() -> jdbc.queryForObject("SELECT 1", Integer.class));
        assertThat(noTenantRefusals()).isEqualTo(before + 1);
        mvc.perform(get("/actuator/metrics/geo.isolation.refusals").param("tag", "cause:no-tenant"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.measurements[0].value")
                        .value(before + 1));
    }

    private double noTenantRefusals() {
        return meters.find("geo.isolation.refusals").tag("cause", "no-tenant").meters().stream()
                .flatMap(m -> java.util.stream.StreamSupport.stream(m.measure().spliterator(), false))
                .mapToDouble(io.micrometer.core.instrument.Measurement::getValue).sum();
    }

    private List<String> titles(org.springframework.test.web.servlet.RequestBuilder request, String tenant)
            throws Exception {
        var builder = (org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder) request;
        String body = mvc.perform(builder.header("X-Tenant-Id", tenant)).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
        return parse(body);
    }

    private static List<String> parse(String jsonArray) {
        String inner = jsonArray.trim();
        inner = inner.substring(1, inner.length() - 1).trim();
        List<String> out = new ArrayList<>();
        if (inner.isEmpty()) {
            return out;
        }
        for (String part : inner.split(",")) {
            String p = part.trim();
            out.add(p.substring(1, p.length() - 1));
        }
        return out;
    }
}
