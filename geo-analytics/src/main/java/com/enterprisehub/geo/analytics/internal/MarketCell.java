package com.enterprisehub.geo.analytics.internal;

import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.Recorder;

/**
 * What one market recorded in one window: counters per tenant, the market's two latency histograms and
 * its availability probes. Recording is lock-free (counters are atomic, histograms are HdrHistogram
 * {@link Recorder}s, whose recording is wait-free); {@link #copy()} drains the recorders under the cell's
 * lock, so no recorded value is lost or counted twice.
 */
public final class MarketCell {
    /** HdrHistogram precision: three significant digits, a relative error of at most 0.1%. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final Currency currency;
    private final ConcurrentHashMap<TenantId, AtomicLongArray> tenants = new ConcurrentHashMap<>();
    private final Recorder latencyMicros = new Recorder(SIGNIFICANT_DIGITS, true);
    private final Recorder responseMillis = new Recorder(SIGNIFICANT_DIGITS, true);
    private final AtomicLongArray probes = new AtomicLongArray(2);
    private final Object drainLock = new Object();
    private final Histogram latencyTotal = new PackedHistogram(SIGNIFICANT_DIGITS);
    private final Histogram responseTotal = new PackedHistogram(SIGNIFICANT_DIGITS);
    private Histogram recycled;

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

    /** An immutable copy of everything recorded so far. */
    public CellData copy() {
        Map<TenantId, long[]> counters = new TreeMap<>();
        tenants.forEach((id, array) -> {
            long[] values = new long[Counter.COUNT];
            for (int i = 0; i < values.length; i++) {
                values[i] = array.get(i);
            }
            counters.put(id, values);
        });
        Histogram latency;
        Histogram response;
        synchronized (drainLock) {
            recycled = latencyMicros.getIntervalHistogram(recycled);
            latencyTotal.add(recycled);
            recycled = responseMillis.getIntervalHistogram(recycled);
            responseTotal.add(recycled);
            latency = latencyTotal.copy();
            response = responseTotal.copy();
        }
        return new CellData(currency, counters, latency, response, probes.get(0), probes.get(1));
    }
}
