package com.enterprisehub.geo.benchmarks;

import com.enterprisehub.geo.analytics.AnalyticsRecorder;
import com.enterprisehub.geo.analytics.AnalyticsSnapshot;
import com.enterprisehub.geo.analytics.GlobalPerformanceReport;
import com.enterprisehub.geo.analytics.PerformanceAnalysis;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * What geo-analytics costs a host: recording events on its request path, and turning what was recorded
 * into a report.
 *
 * <p><b>Ingestion</b> (throughput, events per second, summed over the threads): one operation records one
 * event into an {@link AnalyticsRecorder} over {@link MarketCatalog#defaults()} (12 markets) shared by all
 * threads. The events are drawn from a precomputed per-thread sequence of 4,096 slots (no random numbers
 * or allocation on the measured path): 1,000 tenants spread round-robin over the 12 markets, and a mix of
 * 80% {@code requestServed} (latency from a precomputed log-normal array, median 80 ms), 12%
 * {@code leadCreated}, 6% {@code leadResponded} (response time from a precomputed array) and 2%
 * {@code leadConverted}. The recorder's clock is {@link Clock#fixed fixed} and every event is stamped with
 * that instant, so all events land in the current window, no window is created or evicted during the run,
 * and none is rejected (checked after each trial). {@code ingest1Thread} and {@code ingest2Threads} run it
 * from one and two threads; {@code longAdder1Thread} and {@code longAdder2Threads} are the baseline: the
 * same slot selection, then one {@link LongAdder#increment()} of a shared per-event-kind adder, so the
 * ratio reads "recording an event costs N LongAdder increments". On a 2-core machine the 2-thread
 * variants use both cores, so they show contention, not spare-core scaling.
 *
 * <p><b>Report</b> (average time, milliseconds): a recorder is fed once per trial with 10,000 tenants
 * spread round-robin over the 12 markets (about 24 leads, 85% of them responded to, 8-13.5% converted
 * depending on the market, and about 100 requests with market-dependent log-normal latencies per tenant),
 * plus one availability probe per market per minute; the same events are spread over {@code windows} (a
 * {@code @Param}) hourly windows: 1 for an hour's report, 24 for a day's. {@code analyze} measures
 * {@code PerformanceAnalysis.defaults().analyze(snapshot)} over one snapshot taken in setup (12 markets,
 * 10,000 tenant figures, rankings, pairwise insights, recommendations); {@code snapshot} measures
 * {@link AnalyticsRecorder#snapshot()} of that recorder (copying every tenant's counters and both
 * histograms of every market and window).
 *
 * <p>Run (about 3 minutes):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar AnalyticsBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * }</pre>
 * Add {@code -prof gc} for the allocation per operation.
 */
public class AnalyticsBenchmark {
    /** Any instant; the recorders' fixed clock and every ingested event use it. */
    static final Instant NOW = Instant.parse("2026-11-24T18:30:00Z");

    private static final int SLOTS = 4096;
    private static final int MASK = SLOTS - 1;
    private static final byte REQUEST = 0;
    private static final byte LEAD = 1;
    private static final byte RESPONSE = 2;
    private static final byte CONVERSION = 3;

    /** The recorder (and baseline adders) all ingesting threads share. */
    @State(Scope.Benchmark)
    public static class Ingestion {
        static final int TENANTS = 1_000;

        AnalyticsRecorder recorder;
        final LongAdder[] adders = new LongAdder[4];
        MarketId[] tenantMarket;
        TenantId[] tenantId;

        @Setup(Level.Trial)
        public void setUp() {
            MarketCatalog catalog = MarketCatalog.defaults();
            recorder = AnalyticsRecorder.builder(catalog).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
            for (int k = 0; k < adders.length; k++) {
                adders[k] = new LongAdder();
            }
            List<MarketId> markets = catalog.ids();
            tenantMarket = new MarketId[TENANTS];
            tenantId = new TenantId[TENANTS];
            for (int t = 0; t < TENANTS; t++) {
                tenantMarket[t] = markets.get(t % markets.size());
                tenantId[t] = TenantId.of(String.format("tenant-%04d", t));
            }
        }

        @TearDown(Level.Trial)
        public void check() {
            if (recorder.rejectedEvents() != 0) {
                throw new IllegalStateException(recorder.rejectedEvents() + " events were rejected; the benchmark "
                        + "must record every event into the current window");
            }
        }
    }

    /** One thread's precomputed event sequence and its position in it. */
    @State(Scope.Thread)
    public static class Events {
        final byte[] kind = new byte[SLOTS];
        final MarketId[] market = new MarketId[SLOTS];
        final TenantId[] tenant = new TenantId[SLOTS];
        final Duration[] duration = new Duration[SLOTS];
        int index;

        @Setup(Level.Trial)
        public void setUp(Ingestion ingestion, ThreadParams thread) {
            SplittableRandom random = new SplittableRandom(0x6E0_A11L + thread.getThreadIndex());
            for (int i = 0; i < SLOTS; i++) {
                int t = random.nextInt(Ingestion.TENANTS);
                market[i] = ingestion.tenantMarket[t];
                tenant[i] = ingestion.tenantId[t];
                double r = random.nextDouble();
                if (r < 0.80) {
                    kind[i] = REQUEST;
                    duration[i] = Duration.ofNanos(1_000 * logNormal(random, 80_000, 0.6));
                } else if (r < 0.92) {
                    kind[i] = LEAD;
                } else if (r < 0.98) {
                    kind[i] = RESPONSE;
                    duration[i] = Duration.ofMillis(logNormal(random, 15 * 60_000, 1.0));
                } else {
                    kind[i] = CONVERSION;
                }
            }
            index = random.nextInt(SLOTS);
        }

        int next() {
            int i = index;
            index = (i + 1) & MASK;
            return i;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public void ingest1Thread(Ingestion ingestion, Events events) {
        ingest(ingestion.recorder, events);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public void ingest2Threads(Ingestion ingestion, Events events) {
        ingest(ingestion.recorder, events);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(1)
    public void longAdder1Thread(Ingestion ingestion, Events events) {
        ingestion.adders[events.kind[events.next()]].increment();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public void longAdder2Threads(Ingestion ingestion, Events events) {
        ingestion.adders[events.kind[events.next()]].increment();
    }

    private static void ingest(AnalyticsRecorder recorder, Events events) {
        int i = events.next();
        switch (events.kind[i]) {
            case REQUEST -> recorder.requestServed(events.market[i], events.tenant[i], NOW, events.duration[i]);
            case LEAD -> recorder.leadCreated(events.market[i], events.tenant[i], NOW);
            case RESPONSE -> recorder.leadResponded(events.market[i], events.tenant[i], NOW, events.duration[i]);
            default -> recorder.leadConverted(events.market[i], events.tenant[i], NOW);
        }
    }

    /** A recorder fed with 10,000 tenants' events in 12 markets, and one snapshot of it. */
    @State(Scope.Benchmark)
    public static class Report {
        static final int TENANTS = 10_000;

        /** How many hourly windows the events are spread over. */
        @Param({"1", "24"})
        int windows;

        AnalyticsRecorder recorder;
        AnalyticsSnapshot snapshot;
        PerformanceAnalysis analysis;

        @Setup(Level.Trial)
        public void setUp() {
            MarketCatalog catalog = MarketCatalog.defaults();
            List<MarketId> markets = catalog.ids();
            recorder = AnalyticsRecorder.builder(catalog).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
            SplittableRandom random = new SplittableRandom(42);
            Instant[] windowTimes = new Instant[windows];
            for (int w = 0; w < windows; w++) {
                windowTimes[w] = NOW.minus(Duration.ofHours(w));
            }
            for (int t = 0; t < TENANTS; t++) {
                int m = t % markets.size();
                MarketId market = markets.get(m);
                TenantId tenant = TenantId.of(String.format("tenant-%05d", t));
                // Markets differ in conversion (8% to 13.5%) and latency (median 50 to 105 ms), so the
                // report has verdicts, insights and recommendations to compute, not only "in line".
                double conversion = 0.08 + 0.005 * m;
                long medianLatencyMicros = 50_000 + 5_000L * m;
                int leads = 12 + random.nextInt(25);
                for (int l = 0; l < leads; l++) {
                    Instant at = windowTimes[random.nextInt(windows)];
                    recorder.leadCreated(market, tenant, at);
                    if (random.nextDouble() < 0.85) {
                        recorder.leadResponded(market, tenant, at,
                                Duration.ofMillis(logNormal(random, 15 * 60_000, 1.0)));
                    }
                    if (random.nextDouble() < conversion) {
                        recorder.leadConverted(market, tenant, at);
                    }
                }
                int requests = 40 + random.nextInt(121);
                for (int r = 0; r < requests; r++) {
                    recorder.requestServed(market, tenant, windowTimes[random.nextInt(windows)],
                            Duration.ofNanos(1_000 * logNormal(random, medianLatencyMicros, 0.6)));
                }
            }
            for (int m = 0; m < markets.size(); m++) {
                // One market fails 0.4% of its probes, over the 0.1% budget; the others 0.05%.
                double failure = m == 3 ? 0.004 : 0.0005;
                for (int w = 0; w < windows; w++) {
                    for (int minute = 0; minute < 60; minute++) {
                        recorder.availabilityProbe(markets.get(m), windowTimes[w], random.nextDouble() >= failure);
                    }
                }
            }
            snapshot = recorder.snapshot();
            analysis = PerformanceAnalysis.defaults();
            if (snapshot.tenantCount() != TENANTS || snapshot.markets().size() != markets.size()
                    || snapshot.rejectedEvents() != 0) {
                throw new IllegalStateException("unexpected setup: " + snapshot + ", " + snapshot.tenantCount()
                        + " tenants");
            }
            GlobalPerformanceReport report = analysis.analyze(snapshot);
            if (report.totalTenants() != TENANTS || report.tenants().size() != TENANTS) {
                throw new IllegalStateException("unexpected report: " + report.totalTenants() + " tenants");
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public GlobalPerformanceReport analyze(Report report) {
        return report.analysis.analyze(report.snapshot);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public AnalyticsSnapshot snapshot(Report report) {
        return report.recorder.snapshot();
    }

    /** A log-normal value (in the median's unit) with the given median and shape, at least 1. */
    static long logNormal(SplittableRandom random, long median, double sigma) {
        double gaussian = gaussian(random);
        return Math.max(1, Math.round(median * Math.exp(sigma * gaussian)));
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian in Java 17.
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
