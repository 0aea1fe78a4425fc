package com.enterprisehub.geo.localization.internal;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Copies of a formatter that is not thread-safe (ICU's {@code MessageFormat}, {@code DateFormat}), handed
 * to one caller at a time and taken back for the next: a copy is built only when every existing one is in
 * use, so in steady state no formatter is built on the hot path. Copies are built by the factory, never
 * cloned: ICU's {@code MessageFormat.clone()} shares its argument formatters between the clones (and costs
 * about as much as parsing the pattern). Lock-free; holds at most {@code capacity} idle copies.
 * Thread-safe. Not part of the API.
 *
 * @param <T> the formatter type
 */
public final class Recycler<T> {
    private final Supplier<T> factory;
    private final int capacity;
    private final ConcurrentLinkedDeque<T> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    /** {@code first}, already built, becomes the first idle copy; {@code factory} builds the others. */
    public Recycler(T first, Supplier<T> factory, int capacity) {
        this.factory = factory;
        this.capacity = capacity;
        idle.offerFirst(first);
        idleCount.incrementAndGet();
    }

    /** Applies {@code work} to a copy no other thread is using, then keeps the copy for reuse. */
    public <R> R apply(Function<T, R> work) {
        T copy = idle.pollFirst();
        if (copy == null) {
            copy = factory.get();
        } else {
            idleCount.decrementAndGet();
        }
        R result = work.apply(copy);
        if (idleCount.incrementAndGet() <= capacity) {
            idle.offerFirst(copy); // most recently used first: its caches are warm
        } else {
            idleCount.decrementAndGet();
        }
        return result;
    }
}
