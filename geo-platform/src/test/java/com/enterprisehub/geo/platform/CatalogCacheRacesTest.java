package com.enterprisehub.geo.platform;

import static com.enterprisehub.geo.platform.CachingTenantCatalogTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.event.TenantStateChanged;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache's orderings: changes against loads, events against invalidation, notifications it must (not) act on. */
class CatalogCacheRacesTest {
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private CachingTenantCatalog cached(CachingTenantCatalog.Builder builder) {
        CachingTenantCatalog catalog = builder.build();
        opened.add(catalog);
        return catalog;
    }

    private static Tenant tenant(String id) {
        return Tenant.builder(id).market("us-ca").organization("Org " + id).build();
    }

    @Test
    void aSynchronousSubscriberOfTheChangeFindsTheTenantAsChanged() throws Exception {
        PlatformEvents events = PlatformEvents.create();
        CachingTenantCatalog cached = cached(CachingTenantCatalog.builder(
                InMemoryTenantCatalog.create(events, Clock.systemUTC())).staleness(Duration.ofMinutes(1)));
        TenantId id = cached.create(tenant("fir")).id();
        assertThat(cached.require(id).state()).isEqualTo(TenantState.PROVISIONING);
        AtomicReference<TenantState> seen = new AtomicReference<>();
        events.subscribe(e -> {
            if (e instanceof TenantStateChanged) {
                seen.set(cached.require(id).state());
            }
        });
        cached.transition(id, TenantState.ACTIVE);
        assertThat(seen.get()).as("what the subscriber of the event found").isEqualTo(TenantState.ACTIVE);
        assertThat(cached.require(id).state()).isEqualTo(TenantState.ACTIVE);
    }

    /** A catalog whose lookups of one id wait until the test lets them go (a slow control plane). */
    private static final class Slow implements TenantCatalog {
        final TenantCatalog real = InMemoryTenantCatalog.create();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch go = new CountDownLatch(1);
        volatile TenantId slow;

        @Override
        public Optional<Tenant> find(TenantId id) {
            Optional<Tenant> found = real.find(id);
            if (id.equals(slow)) {
                entered.countDown();
                try {
                    go.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return found;
        }

        @Override
        public Tenant create(Tenant tenant) {
            return real.create(tenant);
        }

        @Override
        public Tenant update(TenantId id, UnaryOperator<Tenant> change) {
            return real.update(id, change);
        }

        @Override
        public List<Tenant> list() {
            return real.list();
        }

        @Override
        public List<Tenant> inMarket(MarketId market) {
            return real.inMarket(market);
        }

        @Override
        public long count() {
            return real.count();
        }
    }

    @Test
    void aSlowReadBlocksNeitherAnInvalidationNorCachesWhatItReadBeforeIt() throws Exception {
        Slow slow = new Slow();
        CachingTenantCatalog cached = cached(CachingTenantCatalog.builder(slow).staleness(Duration.ofMinutes(1)));
        TenantId id = slow.real.create(tenant("yew")).id();
        slow.slow = id;
        CompletableFuture<Optional<Tenant>> first = CompletableFuture.supplyAsync(() -> cached.find(id));
        try {
            assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
            slow.real.transition(id, TenantState.ACTIVE); // a change behind the cache's back, then its signal
            assertTimeoutPreemptively(Duration.ofSeconds(2), () -> cached.invalidate(id),
                    "an invalidation waits for a slow read of the control plane");
        } finally {
            slow.go.countDown();
        }
        assertThat(first.get(10, TimeUnit.SECONDS)).isPresent();
        slow.slow = null;
        assertThat(cached.require(id).state()).as("what was read before the invalidation is not cached")
                .isEqualTo(TenantState.ACTIVE);
    }

    @Test
    void aWriteAppliedAsAReplicaIsNotified() throws Exception {
        String control = PostgresFixture.newDatabase("replica");
        JdbcTenantCatalog a = JdbcTenantCatalog.open(JdbcTenantCatalogTest.controlPlane(control),
                PlatformEvents.create(), Clock.systemUTC());
        CachingTenantCatalog b = cached(CachingTenantCatalog.builder(JdbcTenantCatalog.open(
                JdbcTenantCatalogTest.controlPlane(control), PlatformEvents.create(), Clock.systemUTC()))
                .staleness(Duration.ofMinutes(1)));
        await("B listens", () -> b.stats().listening());
        TenantId id = a.create(tenant("pine")).id();
        a.transition(id, TenantState.ACTIVE);
        await("B is told of the create and the activation", () -> b.stats().invalidations() >= 2);
        assertThat(b.require(id).state()).isEqualTo(TenantState.ACTIVE);
        try (Connection admin = PostgresFixture.admin(control)) {
            // What a logical-replication apply worker does: ordinary (ENABLE ORIGIN) triggers do not fire.
            PostgresFixture.exec(admin, "SET session_replication_role = replica");
            PostgresFixture.exec(admin, "UPDATE geo_platform.tenants SET state = 'SUSPENDED' WHERE id = 'pine'");
        }
        await("B sees the replicated suspension", () -> b.require(id).state() == TenantState.SUSPENDED);
    }

    @Test
    void aNotificationThatIsNotATenantIdFlushesNothing() throws Exception {
        String control = PostgresFixture.newDatabase("garbage");
        CachingTenantCatalog b = cached(CachingTenantCatalog.builder(JdbcTenantCatalog.open(
                JdbcTenantCatalogTest.controlPlane(control), PlatformEvents.create(), Clock.systemUTC()))
                .staleness(Duration.ofMinutes(1)));
        await("B listens", () -> b.stats().listening());
        TenantId id = b.create(tenant("cedar")).id();
        await("the notification of B's own create", () -> b.stats().invalidations() >= 2);
        b.require(id);
        long misses = b.stats().misses();
        long invalidations = b.stats().invalidations();
        try (Connection anyone = PostgresFixture.admin(control)) {
            PostgresFixture.exec(anyone, "NOTIFY geo_platform_tenants, 'not a tenant id!'");
            PostgresFixture.exec(anyone, "NOTIFY geo_platform_tenants, 'cedar'"); // a marker behind it
        }
        await("the marker arrives", () -> b.stats().invalidations() > invalidations);
        assertThat(b.stats().invalidations()).as("only the marker's").isEqualTo(invalidations + 1);
        b.require(id);
        assertThat(b.stats().misses()).as("one read again, for the marker's id").isEqualTo(misses + 1);
    }

    @Test
    void fullFlushesAreCoalescedToAboutOnePerHeartbeat() throws Exception {
        String control = PostgresFixture.newDatabase("flushes");
        CachingTenantCatalog b = cached(CachingTenantCatalog.builder(JdbcTenantCatalog.open(
                JdbcTenantCatalogTest.controlPlane(control), PlatformEvents.create(), Clock.systemUTC()))
                .staleness(Duration.ofSeconds(4))); // a heartbeat every second
        await("B listens", () -> b.stats().listening());
        TenantId id = b.create(tenant("larch")).id();
        await("the notification of B's own create", () -> b.stats().invalidations() >= 2);
        long invalidations = b.stats().invalidations();
        long start = System.nanoTime();
        try (Connection anyone = PostgresFixture.admin(control)) {
            for (int i = 0; i < 50; i++) { // one transaction each: not folded into one
                PostgresFixture.exec(anyone, "NOTIFY geo_platform_tenants, ''");
            }
        }
        long sendingMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        await("a flush", () -> b.stats().invalidations() > invalidations);
        b.require(id);
        Thread.sleep(2_500); // past the next heartbeat: a held flush has run
        long flushes = b.stats().invalidations() - invalidations;
        // At most one at once and one held per heartbeat (1 s) while they arrive, and one held after.
        assertThat(flushes).as("50 empty payloads sent in %s ms", sendingMillis)
                .isBetween(2L, 3L + 2 * (sendingMillis / 1_000)); // 2: the first at once, the rest held, not lost
        assertThat(b.require(id).state()).isEqualTo(TenantState.PROVISIONING);
    }
}
