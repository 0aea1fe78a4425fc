package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.analytics.internal.CellData;
import com.enterprisehub.geo.analytics.internal.Counter;
import com.enterprisehub.geo.analytics.internal.MarketCell;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Takes the events a host sends about its tenants and markets and keeps counts, sums and latency
 * histograms per market, tenant and time window, never the events themselves.
 *
 * <p>Thread-safe and lock-free on the recording path: counters are atomic and latencies go to HdrHistogram
 * histograms (two significant digits, so any percentile is within 1% of the exact value). Memory is
 * bounded whatever the volume: one small counter array per tenant, market and window, and two histograms
 * per market and window, whose size depends on the spread of the values (a few tens of kilobytes for
 * latencies from a millisecond to a minute), not on their number. Windows older
 * than the retention are dropped; events that fall before it, or more than one window after the clock,
 * are not recorded and are counted in {@link #rejectedEvents()}.
 *
 * <p>{@link #snapshot()} copies what has been recorded; snapshots of several host instances
 * {@linkplain AnalyticsSnapshot#merge merge} into one, and {@link PerformanceAnalysis} turns a snapshot
 * into a report.
 *
 * <pre>{@code
 * AnalyticsRecorder recorder = AnalyticsRecorder.builder(MarketCatalog.defaults()).build();
 * recorder.leadCreated(MarketId.of("us-ca"), TenantId.of("acme"), Instant.now());
 * recorder.requestServed(MarketId.of("us-ca"), TenantId.of("acme"), Instant.now(), Duration.ofMillis(42));
 * GlobalPerformanceReport report = PerformanceAnalysis.defaults().analyze(recorder.snapshot());
 * }</pre>
 */
public final class AnalyticsRecorder {
    private final MarketCatalog catalog;
    private final long windowMillis;
    private final int retainedWindows;
    private final Clock clock;
    private final long latencyTargetMicros;
    private final ConcurrentSkipListMap<Long, ConcurrentHashMap<MarketId, MarketCell>> windows =
            new ConcurrentSkipListMap<>();
    /** The newest window used so far: most events land in it, found without boxing or a map lookup. */
    private volatile Window latest = new Window(Long.MIN_VALUE, new ConcurrentHashMap<>());
    private final LongAdder tooOld = new LongAdder();
    private final LongAdder tooNew = new LongAdder();

    private AnalyticsRecorder(Builder b) {
        this.catalog = b.catalog;
        this.windowMillis = b.window.toMillis();
        this.retainedWindows = (int) (b.retention.toMillis() / windowMillis);
        this.clock = b.clock;
        this.latencyTargetMicros = toMicros(b.latencyTarget);
    }

    /** A builder for a recorder of events in the markets of {@code catalog}. */
    public static Builder builder(MarketCatalog catalog) {
        return new Builder(catalog);
    }

    /** A lead was created for {@code tenant} in {@code market} at {@code at}. */
    public void leadCreated(MarketId market, TenantId tenant, Instant at) {
        MarketCell cell = cell(market, tenant, at);
        if (cell != null) {
            cell.tenant(tenant).incrementAndGet(Counter.LEADS_CREATED);
        }
    }

    /** A lead got its first response {@code responseTime} after it was created. */
    public void leadResponded(MarketId market, TenantId tenant, Instant at, Duration responseTime) {
        long millis = nonNegative(responseTime, "responseTime").toMillis();
        MarketCell cell = cell(market, tenant, at);
        if (cell != null) {
            AtomicLongArray counters = cell.tenant(tenant);
            counters.incrementAndGet(Counter.LEADS_RESPONDED);
            counters.addAndGet(Counter.RESPONSE_MILLIS_SUM, millis);
            cell.recordResponse(millis);
        }
    }

    /** A lead became a client (signed, listed or bought: the host decides what converted means). */
    public void leadConverted(MarketId market, TenantId tenant, Instant at) {
        MarketCell cell = cell(market, tenant, at);
        if (cell != null) {
            cell.tenant(tenant).incrementAndGet(Counter.LEADS_CONVERTED);
        }
    }

    /**
     * A deal closed for {@code value} in the market's own currency.
     *
     * @throws GeoValidationException if the value is negative, in another currency, or has more decimals
     *     than the currency allows
     */
    public void dealClosed(MarketId market, TenantId tenant, Instant at, BigDecimal value, Currency currency) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(currency, "currency");
        Market m = market(market);
        if (!m.currency().equals(currency)) {
            throw new GeoValidationException("Deal values in market '" + market + "' are recorded in "
                    + m.currency() + "; got " + currency + ". Convert the value before recording it.");
        }
        if (value.signum() < 0) {
            throw new GeoValidationException("A deal value must be zero or more; got " + value.toPlainString() + ".");
        }
        long minor;
        try {
            minor = value.movePointRight(Math.max(0, currency.getDefaultFractionDigits())).longValueExact();
        } catch (ArithmeticException e) {
            throw new GeoValidationException("Deal value " + value.toPlainString() + " has more decimals than "
                    + currency + " allows (" + currency.getDefaultFractionDigits() + ") or is too large; round it "
                    + "to the currency's minor unit first.");
        }
        MarketCell cell = cell(market, tenant, at);
        if (cell != null) {
            AtomicLongArray counters = cell.tenant(tenant);
            counters.incrementAndGet(Counter.DEALS_CLOSED);
            counters.addAndGet(Counter.DEAL_VALUE_MINOR, minor);
        }
    }

    /** A request of {@code tenant} was served in {@code latency}. */
    public void requestServed(MarketId market, TenantId tenant, Instant at, Duration latency) {
        long micros = toMicros(nonNegative(latency, "latency"));
        MarketCell cell = cell(market, tenant, at);
        if (cell != null) {
            AtomicLongArray counters = cell.tenant(tenant);
            counters.incrementAndGet(Counter.REQUESTS);
            if (micros <= latencyTargetMicros) {
                counters.incrementAndGet(Counter.REQUESTS_WITHIN_TARGET);
            }
            counters.addAndGet(Counter.LATENCY_MICROS_SUM, micros);
            cell.recordLatency(micros);
        }
    }

    /** An availability probe of {@code market}'s deployment found it {@code up} or not. */
    public void availabilityProbe(MarketId market, Instant at, boolean up) {
        MarketCell cell = cell(market, at);
        if (cell != null) {
            cell.probe(up);
        }
    }

    /** Events not recorded because their time fell before the retention or after the current window. */
    public long rejectedEvents() {
        return tooOld.sum() + tooNew.sum();
    }

    /**
     * A copy of everything recorded in the retained windows. Events recorded while the copy is taken land
     * either in it or in the next one, whole in the histograms; a counter and a histogram of the same
     * in-flight event may be seen one without the other.
     */
    public AnalyticsSnapshot snapshot() {
        evictExpired(currentWindow());
        Map<Long, Map<MarketId, CellData>> copy = new TreeMap<>();
        windows.forEach((index, markets) -> {
            Map<MarketId, CellData> cells = new TreeMap<>();
            markets.forEach((id, cell) -> cells.put(id, cell.copy()));
            copy.put(index, cells);
        });
        return new AnalyticsSnapshot(windowMillis, latencyTargetMicros, copy, tooOld.sum(), tooNew.sum());
    }

    private MarketCell cell(MarketId market, TenantId tenant, Instant at) {
        Objects.requireNonNull(tenant, "tenant");
        return cell(market, at);
    }

    private MarketCell cell(MarketId market, Instant at) {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(at, "at");
        long index = Math.floorDiv(at.toEpochMilli(), windowMillis);
        long current = currentWindow();
        if (index > current + 1) {
            market(market);
            tooNew.increment();
            return null;
        }
        if (index <= current - retainedWindows) {
            market(market);
            tooOld.increment();
            return null;
        }
        Window w = latest;
        ConcurrentHashMap<MarketId, MarketCell> cells;
        if (w.index == index) {
            cells = w.cells;
        } else {
            cells = windows.get(index);
            if (cells == null) {
                cells = windows.computeIfAbsent(index, i -> new ConcurrentHashMap<>());
                evictExpired(current);
            }
            if (index > w.index) {
                latest = new Window(index, cells);
            }
        }
        MarketCell cell = cells.get(market);
        if (cell == null) {
            Currency currency = market(market).currency();
            cell = cells.computeIfAbsent(market, m -> new MarketCell(currency));
        }
        return cell;
    }

    private record Window(long index, ConcurrentHashMap<MarketId, MarketCell> cells) {
    }

    private void evictExpired(long current) {
        windows.headMap(current - retainedWindows, true).clear();
    }

    private long currentWindow() {
        return Math.floorDiv(clock.millis(), windowMillis);
    }

    private Market market(MarketId id) {
        return catalog.find(id).orElseThrow(() -> new GeoValidationException("Market '" + id
                + "' is not in the recorder's catalog " + catalog.ids() + "; record events for a catalog market "
                + "or build the recorder with a catalog that has it."));
    }

    private static Duration nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new GeoValidationException(name + " must be zero or more; got " + d + ".");
        }
        return d;
    }

    private static long toMicros(Duration d) {
        try {
            return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1_000);
        } catch (ArithmeticException e) {
            throw new GeoValidationException("Duration " + d + " is too long to record in microseconds.");
        }
    }

    /** Configures an {@link AnalyticsRecorder}. Not thread-safe. */
    public static final class Builder {
        private final MarketCatalog catalog;
        private Duration window = Duration.ofDays(1);
        private Duration retention = Duration.ofDays(35);
        private Duration latencyTarget = Duration.ofMillis(200);
        private Clock clock = Clock.systemUTC();

        private Builder(MarketCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
        }

        /**
         * The length of a window, the finest time resolution of reports: whole seconds that divide a day
         * (default one day). Each market holds two histograms per window: shorter windows cost memory.
         */
        public Builder window(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero() || window.getNano() != 0
                    || Duration.ofDays(1).getSeconds() % window.getSeconds() != 0) {
                throw new GeoValidationException("A window must be a whole number of seconds that divides a day "
                        + "(1 min, 15 min, 1 h, 1 d ...); got " + window + ".");
            }
            this.window = window;
            return this;
        }

        /** How long windows are kept (default 35 days): a whole number of windows, at least one. */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * The latency target requests are counted against exactly (default 200 ms, the seed's global
         * latency goal). Reports compare percentiles with it and count the requests within it.
         */
        public Builder latencyTarget(Duration target) {
            this.latencyTarget = nonNegative(target, "latencyTarget");
            return this;
        }

        /** The clock that decides which windows are current (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public AnalyticsRecorder build() {
            if (retention.toMillis() < window.toMillis() || retention.toMillis() % window.toMillis() != 0) {
                throw new GeoValidationException("Retention must be a whole number of windows (window " + window
                        + "); got " + retention + ".");
            }
            if (retention.toMillis() / window.toMillis() > 100_000) {
                throw new GeoValidationException("Retention " + retention + " holds more than 100,000 windows of "
                        + window + "; use longer windows.");
            }
            return new AnalyticsRecorder(this);
        }
    }
}
