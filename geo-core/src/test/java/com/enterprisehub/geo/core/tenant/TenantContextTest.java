package com.enterprisehub.geo.core.tenant;

import static com.enterprisehub.geo.core.tenant.TenantTest.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.TenantSuspendedException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.core.market.MarketId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TenantContextTest {
    private final Tenant a = tenant("tenant-a", TenantState.ACTIVE);
    private final Tenant b = tenant("tenant-b", TenantState.ACTIVE);
    private ExecutorService pool;

    @BeforeEach
    void noTenantAtStart() {
        assertThat(TenantContext.current()).isEmpty();
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void noTenantLeftBehind() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(TenantContext.current()).as("a test left a tenant bound").isEmpty();
        assertThat(MDC.get(TenantContext.MDC_KEY)).isNull();
    }

    private static Optional<TenantId> currentId() {
        return TenantContext.current().map(Tenant::id);
    }

    // ---------- binding, nesting, failure ----------

    @Test
    void requireFailsWithAnExplicitErrorWhenNoTenantIsBound() {
        assertThat(TenantContext.isBound()).isFalse();
        assertThatThrownBy(() -> TenantContext.require("Loading listings"))
                .isInstanceOf(NoTenantBoundException.class)
                .hasMessageContaining("Loading listings needs a tenant")
                .hasMessageContaining("TenantContext.run");
        assertThatThrownBy(TenantContext::snapshot).isInstanceOf(NoTenantBoundException.class);
    }

    @Test
    void runBindsForTheTaskOnlyAndSetsTheMdc() {
        AtomicReference<String> mdc = new AtomicReference<>();
        TenantContext.run(a, () -> {
            assertThat(TenantContext.require()).isSameAs(a);
            mdc.set(MDC.get(TenantContext.MDC_KEY));
        });
        assertThat(mdc.get()).isEqualTo("tenant-a");
        assertThat(TenantContext.current()).isEmpty();
        assertThat(TenantContext.call(b, () -> TenantContext.require().id().value())).isEqualTo("tenant-b");
    }

    @Test
    void nestedBindingsRestoreTheOuterOneIncludingTheMdc() {
        TenantContext.run(a, () -> {
            TenantContext.run(b, () -> {
                assertThat(currentId()).contains(b.id());
                assertThat(MDC.get(TenantContext.MDC_KEY)).isEqualTo("tenant-b");
            });
            assertThat(currentId()).contains(a.id());
            assertThat(MDC.get(TenantContext.MDC_KEY)).isEqualTo("tenant-a");
            try (TenantContext.Scope inner = TenantContext.open(b)) {
                assertThat(inner.tenant()).isSameAs(b);
                assertThat(currentId()).contains(b.id());
            }
            assertThat(currentId()).contains(a.id());
        });
    }

    @Test
    void anExceptionNeverLeavesABindingBehind() {
        assertThatThrownBy(() -> TenantContext.run(a, () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(TenantContext.current()).isEmpty();

        TenantContext.run(a, () -> {
            assertThatThrownBy(() -> TenantContext.call(b, () -> {
                throw new IllegalArgumentException("inner");
            })).hasMessage("inner");
            assertThat(currentId()).contains(a.id());

            assertThatThrownBy(() -> {
                try (TenantContext.Scope s = TenantContext.open(b)) {
                    throw new IllegalStateException("in scope");
                }
            }).hasMessage("in scope");
            assertThat(currentId()).contains(a.id());
        });
    }

    @Test
    void closingScopesOutOfOrderIsAnErrorThatDiscardsTheInnerScopes() {
        TenantContext.Scope outer = TenantContext.open(a);
        TenantContext.Scope inner = TenantContext.open(b);
        assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("out of order");
        assertThat(TenantContext.current()).as("closing the outer scope restores what was before it").isEmpty();
        inner.close(); // discarded with the outer scope: must not bring back tenant a
        assertThat(TenantContext.current()).isEmpty();
        outer.close(); // closing twice does nothing
        assertThat(TenantContext.current()).isEmpty();
    }

    @Test
    void aScopeLeakedInsideATaskCannotRebindAfterTheTaskEnds() {
        TenantContext.Scope[] leaked = new TenantContext.Scope[1];
        TenantContext.run(a, () -> leaked[0] = TenantContext.open(b));
        assertThat(TenantContext.current()).as("run() restored the binding from before it").isEmpty();
        leaked[0].close();
        assertThat(TenantContext.current()).isEmpty();
    }

    @Test
    void aScopeCannotBeClosedFromAnotherThread() throws Exception {
        TenantContext.Scope scope = TenantContext.open(a);
        try {
            Future<?> closing = pool.submit(scope::close);
            assertThatThrownBy(closing::get).hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("thread that opened it");
            assertThat(currentId()).contains(a.id());
        } finally {
            scope.close();
        }
        assertThat(TenantContext.current()).isEmpty();
        scope.close(); // idempotent
    }

    // ---------- propagation ----------

    @Test
    void aWrappedExecutorRunsEachTaskWithTheTenantBoundAtSubmission() throws Exception {
        ExecutorService wrapped = TenantContext.wrap(pool);
        Future<Optional<TenantId>> forA = TenantContext.call(a, () -> wrapped.submit(TenantContextTest::currentId));
        Future<Optional<TenantId>> forB = TenantContext.call(b, () -> wrapped.submit(TenantContextTest::currentId));
        Future<Optional<TenantId>> forNone = wrapped.submit(TenantContextTest::currentId);

        assertThat(forA.get()).contains(a.id());
        assertThat(forB.get()).contains(b.id());
        assertThat(forNone.get()).isEmpty();
    }

    @Test
    void aPooledThreadNeverKeepsAStaleTenant() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            ExecutorService wrapped = TenantContext.wrap(single);
            TenantContext.run(a, () -> {
                try {
                    assertThat(wrapped.submit(TenantContextTest::currentId).get()).contains(a.id());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            // The same worker thread, reached without the wrapper, has no tenant and no MDC entry left.
            assertThat(single.submit(TenantContextTest::currentId).get()).isEmpty();
            assertThat(single.submit(() -> MDC.get(TenantContext.MDC_KEY)).get()).isNull();
            // And a task that fails does not leave one either.
            TenantContext.run(b, () -> wrapped.execute(() -> {
                throw new IllegalStateException("task failed");
            }));
            assertThat(single.submit(TenantContextTest::currentId).get()).isEmpty();
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void aTaskCapturedWithNoTenantRunsWithNoneEvenOnAThreadThatHasOne() {
        Runnable captured = TenantContext.wrap((Runnable) () -> assertThat(TenantContext.current()).isEmpty());
        TenantContext.run(a, () -> {
            captured.run();
            assertThat(currentId()).contains(a.id());
        });
    }

    @Test
    void aNewThreadDoesNotInheritTheTenant() throws Exception {
        AtomicReference<Optional<TenantId>> seen = new AtomicReference<>();
        TenantContext.run(a, () -> {
            Thread t = new Thread(() -> seen.set(currentId()));
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(seen.get()).isEmpty();
    }

    @Test
    void invokeAllAndPlainExecutorsPropagateToo() throws Exception {
        ExecutorService wrapped = TenantContext.wrap(pool);
        List<Callable<Optional<TenantId>>> tasks = List.of(TenantContextTest::currentId, TenantContextTest::currentId);
        List<Future<Optional<TenantId>>> results = TenantContext.call(b, () -> {
            try {
                return wrapped.invokeAll(tasks);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        for (Future<Optional<TenantId>> result : results) {
            assertThat(result.get()).contains(b.id());
        }
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Optional<TenantId>> seen = new AtomicReference<>();
        java.util.concurrent.Executor plain = command -> new Thread(command).start();
        TenantContext.run(a, () -> TenantContext.wrap(plain).execute(() -> {
            seen.set(currentId());
            done.countDown();
        }));
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen.get()).contains(a.id());
        assertThat(TenantContext.wrap(wrapped)).isSameAs(wrapped);
    }

    @Test
    void everyStageOfAPropagatedFutureRunsWithItsTenantWhoeverCompletesIt() throws Exception {
        CompletableFuture<String> source = new CompletableFuture<>();
        List<Optional<TenantId>> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> chain = TenantContext.call(a, () -> TenantContext.propagate(source))
                .thenApply(v -> {
                    seen.add(currentId());
                    return v + "1";
                })
                .thenCompose(v -> {
                    seen.add(currentId());
                    return CompletableFuture.completedFuture(v + "2");
                })
                .thenApplyAsync(v -> { // the common pool
                    seen.add(currentId());
                    return v + "3";
                })
                .<String>thenApplyAsync(v -> {
                    seen.add(currentId());
                    throw new IllegalStateException(v);
                }, pool)
                .exceptionally(e -> {
                    seen.add(currentId());
                    return e.getCause().getMessage() + "!";
                })
                .whenComplete((v, e) -> seen.add(currentId()));

        // Complete the source from a thread working for tenant b: the non-async stages run on this thread,
        // yet must see tenant a, and this thread must still be b afterwards.
        TenantContext.run(b, () -> {
            source.complete("v");
            assertThat(currentId()).contains(b.id());
        });

        assertThat(chain.get(10, TimeUnit.SECONDS)).isEqualTo("v123!");
        assertThat(seen).hasSize(6).containsOnly(Optional.of(a.id()));
    }

    @Test
    void supplyAsyncAndRunAsyncBindTheCallersTenant() throws Exception {
        CompletableFuture<Optional<TenantId>> f = TenantContext.call(b,
                () -> TenantContext.supplyAsync(TenantContextTest::currentId, pool));
        assertThat(f.get(10, TimeUnit.SECONDS)).contains(b.id());
        AtomicReference<Optional<TenantId>> seen = new AtomicReference<>();
        TenantContext.call(a, () -> TenantContext.runAsync(() -> seen.set(currentId()), pool))
                .thenRun(() -> assertThat(currentId()).contains(a.id()))
                .get(10, TimeUnit.SECONDS);
        assertThat(seen.get()).contains(a.id());
        assertThatThrownBy(() -> TenantContext.supplyAsync(() -> 1, pool)).isInstanceOf(NoTenantBoundException.class);
    }

    @Test
    void concurrentThreadsNeverSeeEachOthersTenant() throws Exception {
        int threads = 8;
        int rounds = 20_000;
        AtomicInteger wrong = new AtomicInteger();
        ExecutorService many = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Tenant mine = tenant("tenant-" + i, TenantState.ACTIVE);
                futures.add(many.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        TenantContext.run(mine, () -> {
                            if (TenantContext.require() != mine
                                    || !mine.id().value().equals(MDC.get(TenantContext.MDC_KEY))) {
                                wrong.incrementAndGet();
                            }
                        });
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            many.shutdownNow();
        }
        assertThat(wrong.get()).isZero();
    }

    // ---------- snapshots for job queues ----------

    @Test
    void aSnapshotSurvivesSerializationAndIsRestoredFromTheCatalog() throws Exception {
        MapLookup catalog = new MapLookup();
        catalog.put(a);
        TenantSnapshot snapshot = TenantContext.call(a, TenantContext::snapshot);
        assertThat(snapshot).isEqualTo(new TenantSnapshot(a.id(), MarketId.of("us-ca")));

        TenantSnapshot received = roundTrip(snapshot);
        assertThat(received).isEqualTo(snapshot);

        Future<Optional<TenantId>> onWorker = pool.submit(() -> {
            try (TenantContext.Scope scope = TenantContext.open(received, catalog)) {
                return currentId();
            }
        });
        assertThat(onWorker.get()).contains(a.id());
    }

    @Test
    void restoringASnapshotChecksTheTenantAgain() {
        MapLookup catalog = new MapLookup();
        catalog.put(a);
        TenantSnapshot snapshot = TenantSnapshot.of(a);

        catalog.change(a.id(), t -> t.withState(TenantState.SUSPENDED));
        assertThatThrownBy(() -> TenantContext.open(snapshot, catalog)).isInstanceOf(TenantSuspendedException.class);
        assertThatThrownBy(() -> TenantContext.open(TenantSnapshot.of(b), catalog))
                .isInstanceOf(UnknownTenantException.class);

        catalog.change(a.id(), t -> new Tenant(t.id(), MarketId.of("us-ny"), t.organization(), t.subscriptionTier(),
                t.featureFlags(), t.configuration(), t.isolationLevel(), TenantState.ACTIVE));
        assertThatThrownBy(() -> TenantContext.open(snapshot, catalog)).isInstanceOf(GeoException.class)
                .hasMessageContaining("us-ca").hasMessageContaining("us-ny");
        assertThat(TenantContext.current()).isEmpty();
    }

    private static TenantSnapshot roundTrip(TenantSnapshot snapshot) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(snapshot);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (TenantSnapshot) in.readObject();
        }
    }
}
