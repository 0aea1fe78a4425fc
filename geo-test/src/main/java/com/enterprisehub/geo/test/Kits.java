package com.enterprisehub.geo.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** What the kits share: running a task from many threads at once, and searching bytes and messages. Stateless. */
final class Kits {
    private Kits() {
    }

    /**
     * Runs {@code task} on {@code threads} threads released together, and returns each thread's result in thread
     * order. A task's exception fails the call (as the cause of an
     * {@link java.util.concurrent.ExecutionException}).
     */
    static <T> List<T> race(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return task.call();
                }));
            }
            ready.await(30, TimeUnit.SECONDS);
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Whether {@code haystack} holds {@code needle} as consecutive bytes. */
    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Whether {@code haystack} holds any {@code window} consecutive bytes of {@code needle}. */
    static boolean containsAnyRun(byte[] haystack, byte[] needle, int window) {
        for (int start = 0; start + window <= needle.length; start++) {
            if (contains(haystack, java.util.Arrays.copyOfRange(needle, start, start + window))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Everything {@code thrown} says: its {@code toString} and those of its causes and suppressed exceptions, each
     * once (cycles are followed once).
     */
    static String everythingSaid(Throwable thrown) {
        StringBuilder said = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> todo = new ArrayList<>(List.of(thrown));
        while (!todo.isEmpty()) {
            Throwable t = todo.remove(todo.size() - 1);
            if (t == null || !seen.add(t)) {
                continue;
            }
            said.append(t).append('\n');
            todo.add(t.getCause());
            todo.addAll(List.of(t.getSuppressed()));
        }
        return said.toString();
    }
}
