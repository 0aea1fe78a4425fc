package com.enterprisehub.geo.isolation.opentelemetry;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.IsolationFixture;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenTelemetryConnections} on a real {@link TenantDataSource} (embedded PostgreSQL), exporting to the
 * OpenTelemetry SDK's in-memory exporter: borrows are events of the recording span, refusals events of it or spans of
 * their own, nothing without a recording span.
 */
class OpenTelemetryConnectionsTest {
    private static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();
    private static final SdkTracerProvider PROVIDER = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(EXPORTER)).build();
    /** Spans that are never sampled: current, but not recording. */
    private static final SdkTracerProvider UNSAMPLED = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff())
            .addSpanProcessor(SimpleSpanProcessor.create(EXPORTER)).build();
    private static final Tracer TRACER = PROVIDER.get("test");

    private static TenantDataSource dataSource;
    private static Tenant basic;
    private static Tenant enhanced;

    @BeforeAll
    static void start() throws SQLException {
        String db = PostgresFixture.newDatabase("otel");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text)");
        }
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        basic = active(tenants, "otel-basic", IsolationLevel.BASIC);
        enhanced = active(tenants, "otel-enhanced", IsolationLevel.ENHANCED);
        OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(PROVIDER).build();
        dataSource = IsolationFixture.builder(tenants, IsolationFixture.endpoint("traced", DeploymentRegion.US_EAST, db))
                .protectTable("listings").maximumPoolSize(2)
                .observer(new OpenTelemetryConnections(openTelemetry)).build();
        dataSource.provision(basic.id());
        dataSource.provision(enhanced.id());
    }

    private static Tenant active(TenantCatalog tenants, String id, IsolationLevel level) {
        return tenants.create(Tenant.builder(id).market("us-ca").organization("Org " + id).isolationLevel(level)
                .state(TenantState.ACTIVE).build());
    }

    @AfterAll
    static void stop() {
        dataSource.close();
        PROVIDER.close();
        UNSAMPLED.close();
    }

    @BeforeEach
    void forget() {
        EXPORTER.reset();
    }

    private static void borrowAndUse(Tenant tenant) throws SQLException {
        try (TenantContext.Scope scope = TenantContext.open(tenant); Connection c = dataSource.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    /** Runs {@code work} inside a new span of {@code tracer}, made current, and ends it. */
    private static void inSpan(Tracer tracer, String name, SqlWork work) throws SQLException {
        Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope scope = span.makeCurrent()) {
            work.run();
        } finally {
            span.end();
        }
    }

    interface SqlWork {
        void run() throws SQLException;
    }

    private static SpanData only(String name) {
        List<SpanData> spans = EXPORTER.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(spans).as("spans named " + name).hasSize(1);
        return spans.get(0);
    }

    @Test
    void aBorrowInsideASpanIsAnEventOfThatSpanWithTheTenantAndTheEndpoint() throws SQLException {
        inSpan(TRACER, "request", () -> {
            borrowAndUse(basic);
            borrowAndUse(enhanced);
        });

        SpanData request = only("request");
        assertThat(EXPORTER.getFinishedSpanItems()).as("events, not spans of their own").hasSize(1);
        List<EventData> borrows = request.getEvents();
        assertThat(borrows).extracting(EventData::getName)
                .containsExactly(OpenTelemetryConnections.BORROW_EVENT, OpenTelemetryConnections.BORROW_EVENT);
        Attributes first = borrows.get(0).getAttributes();
        assertThat(first.get(AttributeKey.stringKey("geo.tenant.id"))).isEqualTo("otel-basic");
        assertThat(first.get(AttributeKey.stringKey("geo.market.id"))).isEqualTo("us-ca");
        assertThat(first.get(AttributeKey.stringKey("geo.tenant.isolation_level"))).isEqualTo("basic");
        assertThat(first.get(AttributeKey.stringKey("geo.isolation.endpoint"))).isEqualTo("traced");
        Attributes second = borrows.get(1).getAttributes();
        assertThat(second.get(AttributeKey.stringKey("geo.tenant.id"))).isEqualTo("otel-enhanced");
        assertThat(second.get(AttributeKey.stringKey("geo.tenant.isolation_level"))).isEqualTo("enhanced");
        assertThat(second.get(AttributeKey.booleanKey("geo.isolation.switched")))
                .as("the second borrow's session served the first tenant, or was opened for it").isNotNull();
        for (EventData borrow : borrows) {
            double duration = borrow.getAttributes().get(AttributeKey.doubleKey("geo.isolation.borrow.duration"));
            assertThat(duration).isPositive();
            assertThat(borrow.getAttributes().get(AttributeKey.doubleKey("geo.isolation.wait")))
                    .isBetween(0.0, duration);
        }
    }

    @Test
    void aRefusalInsideASpanIsAnEventOfThatSpanWithItsCauseAndTenant() throws SQLException {
        Tenant stranger = Tenant.builder("otel-stranger").market("us-ca").organization("X")
                .state(TenantState.ACTIVE).build();
        inSpan(TRACER, "request", () -> TenantContext.run(stranger,
                () -> assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLException.class)));

        SpanData request = only("request");
        assertThat(EXPORTER.getFinishedSpanItems()).as("no span of its own inside a span").hasSize(1);
        assertThat(request.getEvents()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo(OpenTelemetryConnections.REFUSED_EVENT);
            assertThat(event.getAttributes().get(AttributeKey.stringKey("geo.refusal.cause")))
                    .isEqualTo("unknown-tenant");
            assertThat(event.getAttributes().get(AttributeKey.stringKey("geo.tenant.id"))).isEqualTo("otel-stranger");
        });
    }

    @Test
    void aRefusalOnAThreadWithNoSpanIsASpanOfItsOwn() {
        assertThat(Span.current().isRecording()).isFalse();
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLException.class);

        SpanData own = only(OpenTelemetryConnections.REFUSED_EVENT);
        assertThat(own.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(own.getInstrumentationScopeInfo().getName()).isEqualTo(OpenTelemetryConnections.SCOPE);
        assertThat(own.getAttributes().get(AttributeKey.stringKey("geo.refusal.cause"))).isEqualTo("no-tenant");
        assertThat(own.getEvents()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo(OpenTelemetryConnections.REFUSED_EVENT);
            assertThat(event.getAttributes().get(AttributeKey.stringKey("geo.refusal.cause"))).isEqualTo("no-tenant");
            assertThat(event.getAttributes().get(AttributeKey.stringKey("geo.tenant.id")))
                    .as("no tenant was bound").isNull();
        });
    }

    @Test
    void aBorrowWithoutARecordingSpanIsNotReported() throws SQLException {
        borrowAndUse(basic);
        inSpan(UNSAMPLED.get("test"), "unsampled", () -> {
            assertThat(Span.current().getSpanContext().isValid()).as("a current span, not recording").isTrue();
            borrowAndUse(enhanced);
        });
        // A recorded span after them: the exporter is working, and holds that span alone.
        inSpan(TRACER, "after", () -> { });

        assertThat(EXPORTER.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("after");
        assertThat(only("after").getEvents()).isEmpty();
    }
}
