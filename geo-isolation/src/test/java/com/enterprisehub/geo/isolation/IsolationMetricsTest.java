package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.micrometer.IsolationMetrics;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The counters a host reads ({@link TenantDataSource#statistics()}) and their Micrometer meters. */
class IsolationMetricsTest {
    private static TenantDataSource dataSource;
    private static TenantCatalog tenants;
    private static Tenant a;
    private static Tenant b;

    @BeforeAll
    static void start() throws SQLException {
        String db = PostgresFixture.newDatabase("metrics");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text)");
        }
        tenants = InMemoryTenantCatalog.create();
        a = tenants.create(Tenant.builder("metrics-a").market("us-ca").organization("A").state(TenantState.ACTIVE)
                .build());
        b = tenants.create(Tenant.builder("metrics-b").market("us-ca").organization("B").state(TenantState.ACTIVE)
                .build());
        // A pool of 1: every borrow for the other tenant switches the one session.
        dataSource = IsolationFixture.builder(tenants, IsolationFixture.endpoint("metrics", DeploymentRegion.US_EAST,
                db)).protectTable("listings").maximumPoolSize(1).build();
        dataSource.provision(a.id());
        dataSource.provision(b.id());
    }

    @AfterAll
    static void stop() {
        dataSource.close();
    }

    @Test
    void borrowsSwitchesRefusalsAndSecurityEventsAreCountedAndPublishedToMicrometer() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new IsolationMetrics(dataSource).bindTo(registry);
        IsolationStatistics before = dataSource.statistics();
        EndpointStatistics start = before.endpoint("metrics").orElseThrow();

        for (Tenant t : new Tenant[] {a, a, b, a}) {     // a, a (no switch), b, a
            try (TenantContext.Scope scope = TenantContext.open(t); Connection c = dataSource.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
        try (TenantContext.Scope scope = TenantContext.open(b); Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("SET work_mem = '8MB'");            // noticed: reset before the next borrower, reported
        }
        try (TenantContext.Scope scope = TenantContext.open(b); Connection c = dataSource.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLException.class);           // no tenant
        Tenant stranger = Tenant.builder("metrics-unknown").market("us-ca").organization("X").state(TenantState.ACTIVE)
                .build();
        TenantContext.run(stranger, () -> assertThatThrownBy(dataSource::getConnection)
                .isInstanceOf(SQLException.class));                                              // unknown
        tenants.update(TenantId.of("metrics-b"), t -> t.withState(TenantState.SUSPENDED));
        try {
            TenantContext.run(b, () -> assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLException.class));
        } finally {
            tenants.update(TenantId.of("metrics-b"), t -> t.withState(TenantState.ACTIVE));
        }

        IsolationStatistics after = dataSource.statistics();
        EndpointStatistics end = after.endpoint("metrics").orElseThrow();
        assertThat(end.borrows() - start.borrows()).isEqualTo(6);
        // a (switch from whatever was bound), a (none), b, a, b, b after the SET (reset: a switch again)
        assertThat(end.switches() - start.switches()).isBetween(4L, 5L);
        assertThat(end.switchTime()).isPositive();
        assertThat(end.activeConnections()).isZero();
        assertThat(after.refusals().get(RefusalCause.NO_TENANT) - before.refusals().get(RefusalCause.NO_TENANT))
                .isEqualTo(1);
        assertThat(after.refusals().get(RefusalCause.UNKNOWN_TENANT)
                - before.refusals().get(RefusalCause.UNKNOWN_TENANT)).isEqualTo(1);
        assertThat(after.refusals().get(RefusalCause.TENANT_UNAVAILABLE)
                - before.refusals().get(RefusalCause.TENANT_UNAVAILABLE)).isEqualTo(1);
        assertThat(after.securityEvents().getOrDefault("session-reset", 0L)
                - before.securityEvents().getOrDefault("session-reset", 0L)).isEqualTo(1);

        assertThat(registry.get("geo.isolation.borrows").tag("endpoint", "metrics").functionCounter().count())
                .isEqualTo(end.borrows());
        FunctionTimer switches = registry.get("geo.isolation.switches").tag("endpoint", "metrics").functionTimer();
        assertThat(switches.count()).isEqualTo(end.switches());
        // Micrometer converts through seconds: exact up to the double's last bits
        assertThat(switches.totalTime(TimeUnit.NANOSECONDS)).isCloseTo(end.switchTime().toNanos(),
                org.assertj.core.data.Offset.offset(1.0));
        assertThat(registry.get("geo.isolation.refusals").tag("cause", "no-tenant").functionCounter().count())
                .isEqualTo((double) after.refusals().get(RefusalCause.NO_TENANT));
        assertThat(registry.get("geo.isolation.security.events").tag("kind", "session-reset").functionCounter()
                .count()).isEqualTo((double) after.securityEvents().get("session-reset"));
        assertThat(registry.get("geo.isolation.connections").tag("endpoint", "metrics").tag("state", "idle").gauge()
                .value() + registry.get("geo.isolation.connections").tag("endpoint", "metrics").tag("state", "parked")
                .gauge().value()).as("the one connection, idle in the pool or parked for its tenant").isEqualTo(1);
        assertThat(registry.getMeters()).as("no meter is per tenant")
                .allSatisfy(m -> assertThat(m.getId().getTags()).noneMatch(t -> t.getValue().startsWith("metrics-")));
    }
}
