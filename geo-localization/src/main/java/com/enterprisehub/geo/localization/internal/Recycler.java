package com.enterprisehub.geo.localization.internal;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Copies of a formatter that is not thread-safe (ICU's {@code MessageFormat}, {@code DateFormat}), handed
 * to one caller at a time and taken back for the next: a copy is made only when every existing one is in
 * use, so in steady state no formatter is built or cloned on the hot path (cloning a {@code MessageFormat}
 * costs about as much as parsing its pattern). Lock-free; holds at most {@code capacity} idle copies.
 * Thread-safe. Not part of the API.
 *
 * @param <T> the formatter type
 */
public final class Recycler<T> {
    private final T prototype;
    private final UnaryOperator<T> copier;
    private final int capacity;
    private final ConcurrentLinkedDeque<T> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    public Recycler(T prototype, UnaryOperator<T> copier, int capacity) {
        this.prototype = prototype;
        this.copier = copier;
        this.capacity = capacity;
    }

    /** Applies {@code work} to a copy no other thread is using, then keeps the copy for reuse. */
    public <R> R apply(Function<T, R> work) {
        T copy = idle.pollFirst();
        if (copy == null) {
            copy = copier.apply(prototype);
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
