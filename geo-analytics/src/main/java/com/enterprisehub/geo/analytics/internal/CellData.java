package com.enterprisehub.geo.analytics.internal;

import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * An immutable copy of one market's window: tenant counters, histograms and probes. The histograms are
 * private copies and are never handed out mutable.
 */
public final class CellData {
    private final Currency currency;
    private final Map<TenantId, long[]> tenants;
    private final Histogram latencyMicros;
    private final Histogram responseMillis;
    private final long probes;
    private final long probesUp;

    public CellData(Currency currency, Map<TenantId, long[]> tenants, Histogram latencyMicros,
            Histogram responseMillis, long probes, long probesUp) {
        this.currency = currency;
        this.tenants = Collections.unmodifiableMap(tenants);
        this.latencyMicros = latencyMicros;
        this.responseMillis = responseMillis;
        this.probes = probes;
        this.probesUp = probesUp;
    }

    public Currency currency() {
        return currency;
    }

    /** Tenant counters; the arrays must not be modified. */
    public Map<TenantId, long[]> tenants() {
        return tenants;
    }

    public long probes() {
        return probes;
    }

    public long probesUp() {
        return probesUp;
    }

    /** Request latencies in µs; must not be modified. */
    public Histogram latencyMicros() {
        return latencyMicros;
    }

    /** Lead response times in ms; must not be modified. */
    public Histogram responseMillis() {
        return responseMillis;
    }

    /** Whether {@code other} holds the same currency, counters, probes and histogram buckets. */
    public boolean sameAs(CellData other) {
        if (!currency.equals(other.currency) || probes != other.probes || probesUp != other.probesUp
                || !tenants.keySet().equals(other.tenants.keySet())) {
            return false;
        }
        for (Map.Entry<TenantId, long[]> t : tenants.entrySet()) {
            if (!Arrays.equals(t.getValue(), other.tenants.get(t.getKey()))) {
                return false;
            }
        }
        return latencyMicros.equals(other.latencyMicros) && responseMillis.equals(other.responseMillis);
    }

    /** The sum of this cell and {@code other}, which must be for the same market. */
    public CellData plus(CellData other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("currencies differ: " + currency + " and " + other.currency);
        }
        Map<TenantId, long[]> sum = new TreeMap<>(tenants);
        other.tenants.forEach((id, values) -> sum.merge(id, values, CellData::add));
        Histogram latency = new Histogram(MarketCell.SIGNIFICANT_DIGITS);
        latency.add(latencyMicros);
        latency.add(other.latencyMicros);
        Histogram response = new Histogram(MarketCell.SIGNIFICANT_DIGITS);
        response.add(responseMillis);
        response.add(other.responseMillis);
        return new CellData(currency, sum, latency, response, Math.addExact(probes, other.probes),
                Math.addExact(probesUp, other.probesUp));
    }

    private static long[] add(long[] a, long[] b) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.addExact(a[i], b[i]);
        }
        return out;
    }
}
