package com.enterprisehub.geo.platform;

import static com.enterprisehub.geo.platform.CachingTenantCatalogTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.enterprisehub.geo.core.TenantSuspendedException;
import com.enterprisehub.geo.core.event.PlatformEvent;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.event.TenantStateChanged;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.platform.internal.TenantChangeListener;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two application instances on one control plane: each its own {@link JdbcTenantCatalog}, its own
 * {@link CachingTenantCatalog} and (in the first test) its own {@link TenantDataSource}. What one instance changes,
 * the other refuses within the staleness bound: through the notification when the listener is up, through the
 * bound when it is not, and by failing (closed) when the control plane is gone.
 */
class CatalogCacheInstancesTest {
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<PlatformEvent> eventsOfA = Collections.synchronizedList(new ArrayList<>());
    private String control;

    @BeforeEach
    void controlPlane() {
        control = PostgresFixture.newDatabase("instances");
    }

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    /** An instance's catalog: its own data source on the shared control plane. */
    private JdbcTenantCatalog jdbc(PlatformEvents events) {
        return JdbcTenantCatalog.open(JdbcTenantCatalogTest.controlPlane(control), events, Clock.systemUTC());
    }

    private CachingTenantCatalog cached(CachingTenantCatalog.Builder builder) {
        CachingTenantCatalog catalog = builder.build();
        opened.add(catalog);
        return catalog;
    }

    private PlatformEvents eventsOfA() {
        PlatformEvents events = PlatformEvents.create();
        events.subscribe(eventsOfA::add);
        return events;
    }

    private static Tenant tenant(String id) {
        return Tenant.builder(id).market("us-ca").organization("Org " + id).build();
    }

    /** Whether {@code db} lends a connection for {@code tenant} (as bound by a request); false if it refuses it. */
    private static boolean borrows(TenantDataSource db, Tenant tenant) throws SQLException {
        try (TenantContext.Scope scope = TenantContext.open(tenant); Connection c = db.getConnection();
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM listings")) {
            assertThat(rs.next()).isTrue();
            return true;
        } catch (SQLException e) {
            if ("28000".equals(e.getSQLState()) && e.getCause() instanceof TenantSuspendedException) {
                return false;
            }
            throw e;
        }
    }

    @Test
    void aTenantSuspendedOnOneInstanceIsRefusedOnTheOtherThroughTheNotification() throws Exception {
        // A bound of a minute: a refusal within seconds can only come from the notification.
        Duration bound = Duration.ofMinutes(1);
        CachingTenantCatalog a = cached(CachingTenantCatalog.builder(jdbc(eventsOfA())).staleness(bound));
        CachingTenantCatalog b = cached(CachingTenantCatalog.builder(jdbc(PlatformEvents.create())).staleness(bound));
        String data = PostgresFixture.newDatabase("listings");
        try (Connection c = PostgresFixture.admin(data)) {
            PostgresFixture.exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL,"
                    + " title text NOT NULL)");
        }
        TenantDataSource dbA = Endpoints.builder(a, Endpoints.endpoint("us", DeploymentRegion.US_WEST, data))
                .protectTable("listings").build();
        opened.add(dbA);
        TenantDataSource dbB = Endpoints.builder(b, Endpoints.endpoint("us", DeploymentRegion.US_WEST, data))
                .protectTable("listings").build();
        opened.add(dbB);
        await("both instances listen", () -> a.stats().listening() && b.stats().listening());

        Tenant maple = a.create(tenant("maple"));
        dbA.provision(maple.id());
        Tenant active = a.transition(maple.id(), TenantState.ACTIVE);
        dbB.provision(maple.id());
        await("B is told of the create and the activation", () -> b.stats().invalidations() >= 2);
        assertThat(borrows(dbA, active)).isTrue();
        assertThat(borrows(dbB, active)).isTrue();
        long missesOfB = b.stats().misses();
        for (int i = 0; i < 20; i++) {
            assertThat(borrows(dbB, active)).isTrue();
        }
        assertThat(b.stats().misses()).as("20 borrows on B read the control plane's catalog 0 times")
                .isEqualTo(missesOfB);

        a.transition(maple.id(), TenantState.SUSPENDED);
        assertThat(borrows(dbA, active)).as("the instance that suspended it refuses at once").isFalse();
        long suspended = System.nanoTime();
        await("B refuses the suspended tenant", () -> {
            try {
                return !borrows(dbB, active);
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(Duration.ofNanos(System.nanoTime() - suspended)).isLessThan(bound);
        assertThat(eventsOfA).as("the same events as without the cache").contains(new TenantStateChanged(
                eventsOfA.get(eventsOfA.size() - 1).at(), maple.id(), maple.market(), TenantState.ACTIVE,
                TenantState.SUSPENDED));

        // An id B knows as absent, created on A, is found on B too.
        TenantId late = TenantId.of("late");
        assertThat(b.find(late)).isEmpty();
        assertThat(b.find(late)).isEmpty();
        a.create(tenant("late"));
        await("B finds the tenant created on A", () -> b.find(late).isPresent());
    }

    @Test
    void withoutTheListenerAChangeIsSeenWithinTheBound() throws Exception {
        Duration bound = Duration.ofSeconds(2);
        TenantCatalog a = jdbc(PlatformEvents.create());
        CachingTenantCatalog b = cached(CachingTenantCatalog.builder(jdbc(PlatformEvents.create())).staleness(bound)
                .listen(false));
        TenantId id = a.create(tenant("oak")).id();
        a.transition(id, TenantState.ACTIVE);
        assertThat(b.require(id).state()).isEqualTo(TenantState.ACTIVE);
        long misses = b.stats().misses();
        assertThat(b.require(id).state()).isEqualTo(TenantState.ACTIVE);
        assertThat(b.stats().misses()).as("cached").isEqualTo(misses);

        a.transition(id, TenantState.SUSPENDED);
        Thread.sleep(bound.toMillis() + 20);
        assertThat(b.require(id).state()).as("a bound after the change, B sees it").isEqualTo(TenantState.SUSPENDED);
        assertThat(b.stats().listening()).isFalse();
    }

    @Test
    void aDeadListenerFallsBackToTheBoundSaysSoAndListensAgain() throws Exception {
        ListAppender<ILoggingEvent> log = capture();
        Duration bound = Duration.ofMillis(1_500);
        TenantCatalog a = jdbc(PlatformEvents.create());
        CachingTenantCatalog b = cached(CachingTenantCatalog.builder(jdbc(PlatformEvents.create())).staleness(bound));
        await("B listens", () -> b.stats().listening());
        TenantId id = a.create(tenant("birch")).id();
        a.transition(id, TenantState.ACTIVE);
        await("B is told of the create and the activation", () -> b.stats().invalidations() >= 2);
        assertThat(b.require(id).state()).isEqualTo(TenantState.ACTIVE);
        Thread.sleep(bound.toMillis() + 100);
        long misses = b.stats().misses();
        assertThat(b.require(id).state()).isEqualTo(TenantState.ACTIVE);
        assertThat(b.stats().misses()).as("older than the bound, but vouched for by the listener").isEqualTo(misses);

        try (Connection admin = PostgresFixture.admin("postgres"); Statement s = admin.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE datname = '" + control + "' AND application_name = '"
                     + TenantChangeListener.APPLICATION_NAME + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("B's listener backend terminated").isEqualTo(1);
        }
        await("the listener says it lost its connection", () -> logged(log, "Lost the LISTEN connection"));
        assertThat(message(log, "Lost the LISTEN connection")).contains("trusted for at most PT1.5S");

        // The entry is older than the bound and nothing vouches for it any more: the next lookup reads again.
        misses = b.stats().misses();
        assertThat(b.require(id).state()).isEqualTo(TenantState.ACTIVE);
        assertThat(b.stats().misses()).isEqualTo(misses + 1);

        a.transition(id, TenantState.SUSPENDED); // its notification may be lost while B re-listens
        Thread.sleep(bound.toMillis() + 20);
        assertThat(b.require(id).state()).as("a bound after the change, B sees it").isEqualTo(TenantState.SUSPENDED);

        await("the listener listens again", () -> logged(log, "Listening again") && b.stats().listening());
        assertThat(b.require(id).state()).isEqualTo(TenantState.SUSPENDED);
        Thread.sleep(bound.toMillis() + 100);
        misses = b.stats().misses();
        assertThat(b.require(id).state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(b.stats().misses()).as("vouched for again once it listens").isEqualTo(misses);
    }

    @Test
    void withTheControlPlaneDownCachedTenantsAreServedWithinTheBoundThenLookupsFail() throws Exception {
        Duration bound = Duration.ofSeconds(4);
        CachingTenantCatalog b = cached(CachingTenantCatalog.builder(jdbc(PlatformEvents.create())).staleness(bound));
        await("B listens", () -> b.stats().listening());
        TenantId id = b.create(tenant("elm")).id();
        b.transition(id, TenantState.ACTIVE);
        await("the notifications of B's own changes", () -> b.stats().invalidations() >= 4);
        long read = System.nanoTime();
        assertThat(b.require(id).state()).isEqualTo(TenantState.ACTIVE);
        try (Connection admin = PostgresFixture.admin("postgres")) {
            PostgresFixture.exec(admin, "ALTER DATABASE " + control + " ALLOW_CONNECTIONS false");
            PostgresFixture.exec(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                    + control + "'");
        }
        try {
            assertThat(b.require(id).state()).as("served within the bound").isEqualTo(TenantState.ACTIVE);
            sleepUntil(read, bound.dividedBy(2).plusMillis(100));
            long failures = b.stats().failures();
            assertThat(b.require(id).state()).as("served, and renewed in the background").isEqualTo(TenantState.ACTIVE);
            await("the renewal fails", () -> b.stats().failures() > failures);
            assertThat(b.stats().listening()).isFalse();

            sleepUntil(read, bound.plusMillis(100));
            assertThatThrownBy(() -> b.find(id)).as("past the bound: fail closed").isInstanceOf(PlatformException.class)
                    .hasMessageContaining("Check that the control plane database is reachable");
        } finally {
            try (Connection admin = PostgresFixture.admin("postgres")) {
                PostgresFixture.exec(admin, "ALTER DATABASE " + control + " ALLOW_CONNECTIONS true");
            }
        }
        assertThat(b.require(id).state()).as("back when the control plane is").isEqualTo(TenantState.ACTIVE);
    }

    @Test
    void aWriteThatBypassesTheTriggersIsRenewedInTheBackground() throws Exception {
        // Bound 5 s, entries vouched for by the listener renewed after 300 ms: seen within 2 s can only be that.
        CachingTenantCatalog b = cached(CachingTenantCatalog.builder(jdbc(PlatformEvents.create()))
                .staleness(Duration.ofSeconds(5)).resyncAfter(Duration.ofMillis(300)));
        await("B listens", () -> b.stats().listening());
        TenantId id = b.create(tenant("ash")).id();
        b.transition(id, TenantState.ACTIVE);
        await("the notifications of B's own changes", () -> b.stats().invalidations() >= 4);
        long read = System.nanoTime();
        assertThat(b.require(id).state()).isEqualTo(TenantState.ACTIVE);
        try (Connection admin = PostgresFixture.admin(control)) {
            // The triggers disabled around the write in one transaction (as a data-only restore with
            // --disable-triggers does): nothing is notified, and no heartbeat sees them disabled.
            admin.setAutoCommit(false);
            PostgresFixture.exec(admin, "ALTER TABLE geo_platform.tenants DISABLE TRIGGER "
                    + TenantChangeListener.ROW_TRIGGER);
            PostgresFixture.exec(admin, "UPDATE geo_platform.tenants SET state = 'SUSPENDED' WHERE id = 'ash'");
            PostgresFixture.exec(admin, "ALTER TABLE geo_platform.tenants ENABLE ALWAYS TRIGGER "
                    + TenantChangeListener.ROW_TRIGGER);
            admin.commit();
        }
        long misses = b.stats().misses();
        while (b.require(id).state() != TenantState.SUSPENDED) {
            assertThat(Duration.ofNanos(System.nanoTime() - read)).isLessThan(Duration.ofSeconds(2));
            Thread.sleep(20);
        }
        assertThat(b.stats().refreshes()).isPositive();
        assertThat(b.stats().misses()).as("renewed in the background, nobody waited").isEqualTo(misses);
    }

    @Test
    void aListenerWhoseTriggerIsDroppedStopsVouchingUntilItIsBack() throws Exception {
        ListAppender<ILoggingEvent> log = capture();
        CachingTenantCatalog b = cached(CachingTenantCatalog.builder(jdbc(PlatformEvents.create()))
                .staleness(Duration.ofSeconds(1)));
        await("B listens", () -> b.stats().listening());
        try (Connection admin = PostgresFixture.admin(control)) {
            PostgresFixture.exec(admin, "DROP TRIGGER " + TenantChangeListener.ROW_TRIGGER + " ON geo_platform.tenants");
        }
        await("the listener stops vouching", () -> !b.stats().listening());
        await("and says why", () -> logged(log, "dropped or disabled"));
        jdbc(PlatformEvents.create()); // opening a catalog as the table's owner installs it again
        await("the listener listens again", () -> b.stats().listening() && logged(log, "Listening again"));
    }

    private static void sleepUntil(long start, Duration after) throws InterruptedException {
        long left = start + after.toNanos() - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    private ListAppender<ILoggingEvent> capture() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(TenantChangeListener.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        opened.add(() -> {
            logger.detachAppender(appender);
            logger.setLevel(level);
        });
        return appender;
    }

    private static boolean logged(ListAppender<ILoggingEvent> log, String text) {
        return message(log, text) != null;
    }

    private static String message(ListAppender<ILoggingEvent> log, String text) {
        synchronized (log.list) {
            return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(text))
                    .findFirst().orElse(null);
        }
    }
}
