package com.enterprisehub.geo.analytics.internal;

import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * What one market recorded in one window: counters per tenant, the market's two latency histograms and
 * its availability probes. Recording is lock-free: counters are atomic and the histograms are HdrHistogram
 * {@link ConcurrentHistogram}s, whose recording is wait-free and whose reads are safe while it records.
 * {@link #copy()} reads them without stopping writers; a value recorded during the copy may or may not
 * be in it, and is never lost from the cell.
 */
public final class MarketCell {
    /**
     * HdrHistogram precision: two significant digits, so a percentile is within 1% of the exact value.
     * Three digits would take eight times the memory per market and window.
     */
    public static final int SIGNIFICANT_DIGITS = 2;

    private final Currency currency;
    private final ConcurrentHashMap<TenantId, AtomicLongArray> tenants = new ConcurrentHashMap<>();
    private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(SIGNIFICANT_DIGITS);
    private final ConcurrentHistogram responseMillis = new ConcurrentHistogram(SIGNIFICANT_DIGITS);
    private final AtomicLongArray probes = new AtomicLongArray(2);

    public MarketCell(Currency currency) {
        this.currency = currency;
    }

    public Currency currency() {
        return currency;
    }

    /** The counters of {@code tenant}, created on first use; see {@link Counter} for the layout. */
    public AtomicLongArray tenant(TenantId tenant) {
        AtomicLongArray counters = tenants.get(tenant);
        return counters != null ? counters : tenants.computeIfAbsent(tenant, t -> new AtomicLongArray(Counter.COUNT));
    }

    public void recordLatency(long micros) {
        latencyMicros.recordValue(micros);
    }

    public void recordResponse(long millis) {
        responseMillis.recordValue(millis);
    }

    public void probe(boolean up) {
        probes.incrementAndGet(0);
        if (up) {
            probes.incrementAndGet(1);
        }
    }

    /** The histograms' estimated footprint in bytes (HdrHistogram's own estimate). */
    public long histogramBytes() {
        return (long) latencyMicros.getEstimatedFootprintInBytes() + responseMillis.getEstimatedFootprintInBytes();
    }

    /** An immutable copy of everything recorded so far. */
    public CellData copy() {
        Map<TenantId, long[]> counters = new TreeMap<>();
        tenants.forEach((id, array) -> {
            long[] values = new long[Counter.COUNT];
            // backwards: a share's successes are counted after its trials and read before them, so a copy
            // taken while recording never shows more requests within target than requests
            for (int i = values.length - 1; i >= 0; i--) {
                values[i] = array.get(i);
            }
            counters.put(id, values);
        });
        Histogram latency = new Histogram(SIGNIFICANT_DIGITS);
        latency.add(latencyMicros);
        Histogram response = new Histogram(SIGNIFICANT_DIGITS);
        response.add(responseMillis);
        long up = probes.get(1);
        return new CellData(currency, counters, latency, response, probes.get(0), up);
    }
}
