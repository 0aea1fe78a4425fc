package com.enterprisehub.geo.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.IllegalStateTransitionException;
import com.enterprisehub.geo.core.TenantAlreadyExistsException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.event.PlatformEvent;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.event.TenantCreated;
import com.enterprisehub.geo.core.event.TenantStateChanged;
import com.enterprisehub.geo.core.event.TenantUpdated;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link TenantCatalog} must pass. Extend it, implement {@link #newCatalog}, and
 * run it with JUnit 5 (artifact {@code com.enterprisehub.geo:geo-test}, in test scope):
 *
 * <pre>{@code
 * class JdbcTenantCatalogTest extends TenantCatalogContract {
 *     protected TenantCatalog newCatalog(PlatformEvents events, Clock clock) { return new JdbcTenantCatalog(...); }
 * }
 * }</pre>
 *
 * Each test gets a fresh, empty catalog.
 */
public abstract class TenantCatalogContract {
    /** The time every event must carry: implementations take their clock from the test. */
    protected static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    private final List<PlatformEvent> events = Collections.synchronizedList(new ArrayList<>());
    protected TenantCatalog catalog;

    /** A new, empty catalog publishing to {@code events} and stamping events with {@code clock}. */
    protected abstract TenantCatalog newCatalog(PlatformEvents events, Clock clock);

    /** Releases what {@link #newCatalog} opened. Default: nothing. */
    protected void closeCatalog(TenantCatalog catalog) throws Exception {
    }

    @BeforeEach
    void openCatalog() {
        PlatformEvents bus = PlatformEvents.create();
        bus.subscribe(events::add);
        catalog = newCatalog(bus, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() throws Exception {
        closeCatalog(catalog);
    }

    protected static Tenant tenant(String id, String market) {
        return Tenant.builder(id).market(market).organization("Org " + id).subscriptionTier("enterprise")
                .feature("ai.lead-scoring", true).config("limits", Map.of("agents", 25, "regions", List.of("a", "b")))
                .isolationLevel(IsolationLevel.ENHANCED).build();
    }

    @Test
    void aCreatedTenantIsFoundExactlyAsItWasGiven() {
        Tenant acme = tenant("acme", "us-ca");
        assertThat(catalog.create(acme)).isEqualTo(acme);
        assertThat(catalog.find(acme.id())).contains(acme);
        assertThat(catalog.require(acme.id())).isEqualTo(acme);
        assertThat(catalog.count()).isEqualTo(1);
        assertThat(events).containsExactly(new TenantCreated(NOW, acme));
    }

    @Test
    void anUnknownTenantIsAbsent() {
        assertThat(catalog.find(TenantId.of("nobody"))).isEmpty();
        assertThatThrownBy(() -> catalog.require(TenantId.of("nobody"))).isInstanceOf(UnknownTenantException.class);
        assertThatThrownBy(() -> catalog.update(TenantId.of("nobody"), t -> t))
                .isInstanceOf(UnknownTenantException.class);
        assertThat(events).isEmpty();
    }

    @Test
    void aSecondTenantWithTheSameIdIsRefusedAndTheFirstIsKept() {
        Tenant acme = tenant("acme", "us-ca");
        catalog.create(acme);
        assertThatThrownBy(() -> catalog.create(tenant("acme", "us-ny")))
                .isInstanceOf(TenantAlreadyExistsException.class);
        assertThat(catalog.require(acme.id()).market()).isEqualTo(MarketId.of("us-ca"));
        assertThat(events).hasSize(1);
    }

    @Test
    void aDeletedTenantStillHoldsItsId() {
        Tenant acme = catalog.create(tenant("acme", "us-ca"));
        catalog.transition(acme.id(), TenantState.OFFBOARDING);
        catalog.transition(acme.id(), TenantState.DELETED);
        assertThatThrownBy(() -> catalog.create(tenant("acme", "us-ca")))
                .isInstanceOf(TenantAlreadyExistsException.class);
    }

    @Test
    void transitionsFollowTheLifecycleAndEmitEvents() {
        TenantId id = catalog.create(tenant("acme", "us-ca")).id();
        assertThat(catalog.transition(id, TenantState.ACTIVE).state()).isEqualTo(TenantState.ACTIVE);
        assertThat(catalog.transition(id, TenantState.SUSPENDED).state()).isEqualTo(TenantState.SUSPENDED);
        assertThat(catalog.require(id).state()).isEqualTo(TenantState.SUSPENDED);

        assertThat(events).containsExactly(
                new TenantCreated(NOW, tenant("acme", "us-ca")),
                new TenantStateChanged(NOW, id, MarketId.of("us-ca"), TenantState.PROVISIONING, TenantState.ACTIVE),
                new TenantStateChanged(NOW, id, MarketId.of("us-ca"), TenantState.ACTIVE, TenantState.SUSPENDED));
    }

    @Test
    void aForbiddenTransitionChangesNothing() {
        TenantId id = catalog.create(tenant("acme", "us-ca")).id();
        assertThatThrownBy(() -> catalog.transition(id, TenantState.DELETED))
                .isInstanceOf(IllegalStateTransitionException.class);
        // Also when the change builds the new tenant by hand instead of using withState:
        assertThatThrownBy(() -> catalog.update(id, t -> new Tenant(t.id(), t.market(), t.organization(),
                t.subscriptionTier(), t.featureFlags(), t.configuration(), t.isolationLevel(), TenantState.DELETED)))
                .isInstanceOf(IllegalStateTransitionException.class);
        assertThat(catalog.require(id).state()).isEqualTo(TenantState.PROVISIONING);
        assertThat(events).hasSize(1);
    }

    @Test
    void anUpdateCannotChangeTheId() {
        TenantId id = catalog.create(tenant("acme", "us-ca")).id();
        assertThatThrownBy(() -> catalog.update(id, t -> tenant("other", "us-ca")))
                .isInstanceOf(GeoValidationException.class);
        assertThat(catalog.find(TenantId.of("other"))).isEmpty();
        assertThat(catalog.count()).isEqualTo(1);
    }

    @Test
    void settingsUpdatesAreStoredAndEmitAnUpdateEvent() {
        Tenant before = catalog.create(tenant("acme", "us-ca"));
        Tenant after = catalog.update(before.id(), t -> t.withFeatureFlags(Map.of("ai.lead-scoring", false))
                .withConfiguration(Map.of("limits", Map.of("agents", 50))));
        assertThat(catalog.require(before.id())).isEqualTo(after);
        assertThat(after.hasFeature("ai.lead-scoring")).isFalse();
        assertThat(events).endsWith(new TenantUpdated(NOW, before, after));

        int count = events.size();
        catalog.update(before.id(), t -> t);
        assertThat(events).as("an update that changes nothing emits nothing").hasSize(count);
    }

    @Test
    void listingIsOrderedByIdAndFiltersByMarket() {
        catalog.create(tenant("charlie", "us-ca"));
        catalog.create(tenant("alpha", "us-ny"));
        catalog.create(tenant("bravo", "us-ca"));
        assertThat(catalog.list()).extracting(t -> t.id().value()).containsExactly("alpha", "bravo", "charlie");
        assertThat(catalog.inMarket(MarketId.of("us-ca"))).extracting(t -> t.id().value())
                .containsExactly("bravo", "charlie");
        assertThat(catalog.inMarket(MarketId.of("gb"))).isEmpty();
        assertThat(catalog.count()).isEqualTo(3);
    }

    @Test
    void concurrentCreatesOfOneIdLetExactlyOneWin() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger won = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        catalog.create(tenant("race", "us-ca"));
                        won.incrementAndGet();
                    } catch (TenantAlreadyExistsException e) {
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(won.get()).isEqualTo(1);
        assertThat(refused.get()).isEqualTo(threads - 1);
    }

    @Test
    void concurrentUpdatesAreNotLost() throws Exception {
        TenantId id = catalog.create(tenant("counter", "us-ca")).id();
        int threads = 4;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    for (int n = 0; n < perThread; n++) {
                        catalog.update(id, t -> {
                            int hits = ((Number) t.configuration().getOrDefault("hits", 0)).intValue();
                            return t.withConfiguration(Map.of("hits", hits + 1));
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(((Number) catalog.require(id).configuration().get("hits")).intValue())
                .isEqualTo(threads * perThread);
    }
}
