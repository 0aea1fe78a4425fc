package com.enterprisehub.geo.localization.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecyclerTest {
    /** A mutable formatter stand-in that detects being used by two threads at once. */
    static final class Fragile {
        final AtomicInteger users = new AtomicInteger();
    }

    @Test
    void sequentialCallsReuseOneCopy() {
        AtomicInteger copies = new AtomicInteger();
        Recycler<Fragile> r = new Recycler<>(new Fragile(), () -> {
            copies.incrementAndGet();
            return new Fragile();
        }, 4);
        Set<Fragile> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 100; i++) {
            r.apply(seen::add);
        }
        assertThat(copies.get()).isZero(); // the first copy is the one given
        assertThat(seen).hasSize(1);
    }

    @Test
    void noCopyIsUsedByTwoThreadsAtOnceAndIdleCopiesAreBounded() throws Exception {
        AtomicInteger copies = new AtomicInteger();
        Recycler<Fragile> r = new Recycler<>(new Fragile(), () -> {
            copies.incrementAndGet();
            return new Fragile();
        }, 2);
        AtomicInteger overlaps = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        r.apply(f -> {
                            if (f.users.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            Thread.onSpinWait();
                            return f.users.decrementAndGet();
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(overlaps.get()).isZero();
        // With 8 threads and 2 idle places, copies beyond the idle ones are dropped and made again as needed.
        Set<Fragile> idleAfter = Collections.newSetFromMap(new IdentityHashMap<>());
        int before = copies.get();
        for (int i = 0; i < 3; i++) {
            r.apply(idleAfter::add);
        }
        assertThat(copies.get()).isEqualTo(before);
        assertThat(idleAfter).hasSize(1);
    }
}
