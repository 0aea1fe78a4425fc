package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.isolation.internal.SecurityReporter;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Publishes a data source's {@link SecurityEvent}s and counts them by kind. Thread-safe. Not part of the API.
 */
final class SecurityEvents implements SecurityReporter {
    private final PlatformEvents events;
    private final Clock clock;
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    SecurityEvents(PlatformEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void report(String kind, String tenant, String detail) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
        events.publish(new SecurityEvent(clock.instant(), kind, tenant, detail));
    }

    /** The events published so far, by kind. */
    Map<String, Long> counts() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((kind, count) -> snapshot.put(kind, count.sum()));
        return snapshot;
    }
}
