package com.enterprisehub.geo.core.event;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers platform events to listeners, in the order they subscribed. Thread-safe: listeners may
 * subscribe and unsubscribe while events are published.
 */
public final class PlatformEvents {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformEvents.class);

    private final CopyOnWriteArrayList<PlatformEventListener> listeners = new CopyOnWriteArrayList<>();

    private PlatformEvents() {
    }

    /** A dispatcher with no listeners yet. */
    public static PlatformEvents create() {
        return new PlatformEvents();
    }

    /** Adds a listener; close the returned subscription to remove it. */
    public Subscription subscribe(PlatformEventListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Hands {@code event} to every listener. A listener that throws is logged (event type only, never
     * the event's contents) and the others still get the event.
     */
    public void publish(PlatformEvent event) {
        Objects.requireNonNull(event, "event");
        for (PlatformEventListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Platform event listener {} failed on a '{}' event; other listeners still received it",
                        listener.getClass().getName(), event.type(), e);
            }
        }
    }

    /** A listener's registration. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        /** Stops delivering events to the listener. */
        @Override
        void close();
    }
}
