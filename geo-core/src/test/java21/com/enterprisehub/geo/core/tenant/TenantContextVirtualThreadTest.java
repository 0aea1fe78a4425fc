package com.enterprisehub.geo.core.tenant;

import static com.enterprisehub.geo.core.tenant.TenantTest.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Tenant context on virtual threads (JDK 21+; compiled only there, from src/test/java21). Main code
 * stays release 17: virtual threads need nothing of it but a plain, non-inheritable ThreadLocal.
 */
class TenantContextVirtualThreadTest {
    private final Tenant a = tenant("tenant-a", TenantState.ACTIVE);

    @AfterEach
    void nothingLeftOnTheCarrierOrCaller() {
        assertThat(TenantContext.current()).isEmpty();
    }

    private static Optional<TenantId> currentId() {
        return TenantContext.current().map(Tenant::id);
    }

    @Test
    void aVirtualThreadStartsWithNoTenantEvenWhenStartedFromABoundThread() throws Exception {
        AtomicReference<Optional<TenantId>> seen = new AtomicReference<>();
        Thread t = TenantContext.call(a, () -> Thread.ofVirtual().start(() -> seen.set(currentId())));
        t.join();
        assertThat(seen.get()).isEmpty();
    }

    @Test
    void aWrappedTaskCarriesTheTenantIntoAVirtualThread() throws Exception {
        AtomicReference<Optional<TenantId>> seen = new AtomicReference<>();
        AtomicReference<String> mdc = new AtomicReference<>();
        Thread t = TenantContext.call(a, () -> Thread.ofVirtual().start(TenantContext.wrap(() -> {
            seen.set(currentId());
            mdc.set(MDC.get(TenantContext.MDC_KEY));
        })));
        t.join();
        assertThat(seen.get()).contains(a.id());
        assertThat(mdc.get()).isEqualTo("tenant-a");
    }

    @Test
    void tenThousandVirtualThreadsKeepTheirOwnTenantAcrossParking() throws Exception {
        int n = 10_000;
        AtomicInteger wrong = new AtomicInteger();
        try (ExecutorService executor = TenantContext.wrap(Executors.newVirtualThreadPerTaskExecutor())) {
            List<Future<?>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Tenant mine = tenant("tenant-" + i, TenantState.ACTIVE);
                futures.add(TenantContext.call(mine, () -> executor.submit(() -> {
                    for (int round = 0; round < 3; round++) {
                        if (TenantContext.require() != mine) {
                            wrong.incrementAndGet();
                        }
                        LockSupport.parkNanos(100_000); // unmount; another virtual thread uses the carrier
                        Thread.yield();
                    }
                })));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(wrong.get()).isZero();
    }

    @Test
    void futureStagesOnVirtualThreadsSeeTheTenant() throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Optional<TenantId>> f = TenantContext.call(a,
                    () -> TenantContext.supplyAsync(TenantContextVirtualThreadTest::currentId, executor))
                    .thenApplyAsync(first -> {
                        assertThat(first).contains(a.id());
                        return currentId();
                    }, executor);
            assertThat(f.get(10, TimeUnit.SECONDS)).contains(a.id());
        }
    }
}
