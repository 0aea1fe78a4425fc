package com.enterprisehub.geo.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnalyticsRecorderTest {
    static final MarketCatalog CATALOG = MarketCatalog.defaults();
    static final Instant NOW = Instant.parse("2026-11-24T12:30:00Z");
    static final MarketId CA = MarketId.of("us-ca");
    static final MarketId TX = MarketId.of("us-tx");
    static final MarketId UK = MarketId.of("gb");
    static final TenantId ACME = TenantId.of("acme");
    static final TenantId BETA = TenantId.of("beta");

    static AnalyticsRecorder recorder() {
        return AnalyticsRecorder.builder(CATALOG).window(Duration.ofHours(1)).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    @Test
    void countsSumsAndDealValuesAreExact() {
        AnalyticsRecorder r = recorder();
        for (int i = 0; i < 10; i++) {
            r.leadCreated(CA, ACME, NOW);
        }
        r.leadResponded(CA, ACME, NOW, Duration.ofMinutes(3));
        r.leadResponded(CA, ACME, NOW, Duration.ofMinutes(5));
        r.leadConverted(CA, ACME, NOW);
        r.dealClosed(CA, ACME, NOW, new BigDecimal("1250000.10"), Currency.getInstance("USD"));
        r.dealClosed(CA, ACME, NOW, new BigDecimal("750000"), Currency.getInstance("USD"));
        r.requestServed(CA, ACME, NOW, Duration.ofMillis(200));
        r.requestServed(CA, ACME, NOW, Duration.ofMillis(200).plusNanos(1_000));
        r.requestServed(CA, BETA, NOW, Duration.ofMillis(50));
        r.availabilityProbe(CA, NOW, true);
        r.availabilityProbe(CA, NOW, false);

        GlobalPerformanceReport report = PerformanceAnalysis.defaults().analyze(r.snapshot());
        Performance ca = report.market(CA).orElseThrow().performance();
        assertThat(ca.tenants()).isEqualTo(2);
        assertThat(ca.volumes().leadsCreated()).isEqualTo(10);
        assertThat(ca.volumes().leadsResponded()).isEqualTo(2);
        assertThat(ca.volumes().dealsClosed()).isEqualTo(2);
        assertThat(ca.volumes().dealValue()).containsEntry(Currency.getInstance("USD"), new BigDecimal("2000000.10"));
        assertThat(ca.conversion().orElseThrow().successes()).isEqualTo(1);
        assertThat(ca.conversion().orElseThrow().trials()).isEqualTo(10);
        // the target is inclusive: 200 ms counts, 200.001 ms does not
        assertThat(ca.withinLatencyTarget().orElseThrow().successes()).isEqualTo(2);
        assertThat(ca.withinLatencyTarget().orElseThrow().trials()).isEqualTo(3);
        assertThat(ca.latency().orElseThrow().mean()).isEqualTo(Duration.ofNanos(150_000_333));
        assertThat(ca.leadResponse().orElseThrow().mean()).isEqualTo(Duration.ofMinutes(4));
        Availability availability = ca.availability().orElseThrow();
        assertThat(availability.failures()).isEqualTo(1);
        assertThat(availability.errorBudgetRemaining()).isLessThan(0);
        assertThat(report.totalMarkets()).isEqualTo(1);
        assertThat(report.totalTenants()).isEqualTo(2);
        TenantPerformance beta = report.tenants().stream().filter(t -> t.tenant().equals(BETA)).findFirst().orElseThrow();
        assertThat(beta.meanLatency()).contains(Duration.ofMillis(50));
        assertThat(beta.conversion()).isEmpty();
    }

    @Test
    void badInputIsRefusedWithAReason() {
        AnalyticsRecorder r = recorder();
        assertThatThrownBy(() -> r.leadCreated(MarketId.of("us-zz"), ACME, NOW))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("us-zz").hasMessageContaining("catalog");
        assertThatThrownBy(() -> r.dealClosed(CA, ACME, NOW, BigDecimal.TEN, Currency.getInstance("EUR")))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("USD").hasMessageContaining("Convert");
        assertThatThrownBy(() -> r.dealClosed(CA, ACME, NOW, new BigDecimal("10.001"), Currency.getInstance("USD")))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("decimals");
        assertThatThrownBy(() -> r.dealClosed(CA, ACME, NOW, new BigDecimal("-1"), Currency.getInstance("USD")))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("zero or more");
        assertThatThrownBy(() -> r.requestServed(CA, ACME, NOW, Duration.ofMillis(-1)))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("latency");
        assertThatThrownBy(() -> r.leadCreated(CA, null, NOW)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AnalyticsRecorder.builder(CATALOG).window(Duration.ofMinutes(7)))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("divides a day");
        assertThatThrownBy(() -> AnalyticsRecorder.builder(CATALOG).window(Duration.ofHours(1))
                .retention(Duration.ofMinutes(90)).build()).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("whole number of windows");
        // nothing half-recorded by the refused calls
        assertThat(r.snapshot().isEmpty()).isTrue();
    }

    @Test
    void retentionBoundsTheWindowsAndCountsWhatItRefuses() {
        Instant[] now = {NOW};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        AnalyticsRecorder r = AnalyticsRecorder.builder(CATALOG).window(Duration.ofHours(1))
                .retention(Duration.ofHours(3)).clock(clock).build();
        for (int hour = 0; hour < 48; hour++) {
            now[0] = NOW.plus(Duration.ofHours(hour));
            r.leadCreated(CA, ACME, now[0]);
            r.leadCreated(CA, ACME, now[0].minus(Duration.ofHours(1)));
        }
        AnalyticsSnapshot snapshot = r.snapshot();
        // three windows retained however long it ran
        assertThat(Duration.between(snapshot.start().orElseThrow(), snapshot.end().orElseThrow())).isEqualTo(Duration.ofHours(3));
        r.leadCreated(CA, ACME, now[0].minus(Duration.ofHours(3)));  // before the retention
        r.leadCreated(CA, ACME, now[0].plus(Duration.ofHours(2)));   // more than a window ahead
        r.leadCreated(CA, ACME, now[0].plus(Duration.ofHours(1)));   // next window: accepted (clock skew)
        assertThat(r.rejectedEvents()).isEqualTo(2);
        assertThat(r.snapshot().rejectedEvents()).isEqualTo(2);
    }

    @Test
    void percentilesAreWithinTheHistogramsStatedErrorOfExactOnes() {
        AnalyticsRecorder r = recorder();
        SplittableRandom random = new SplittableRandom(7);
        int n = 200_000;
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            // log-normal latencies around 80 ms with a long tail, to the microsecond
            micros[i] = Math.max(1, Math.round(Math.exp(Math.log(80_000) + 0.8 * gaussian(random))));
            r.requestServed(UK, ACME, NOW, Duration.ofNanos(micros[i] * 1_000));
        }
        Arrays.sort(micros);
        DurationSummary latency = PerformanceAnalysis.defaults().analyze(r.snapshot()).market(UK).orElseThrow()
                .performance().latency().orElseThrow();
        assertThat(latency.count()).isEqualTo(n);
        check(latency.p50(), exact(micros, 50));
        check(latency.p95(), exact(micros, 95));
        check(latency.p99(), exact(micros, 99));
        check(latency.max(), micros[n - 1]);
        double mean = Arrays.stream(micros).average().orElseThrow();
        assertThat(latency.mean().toNanos()).isEqualTo(Math.round(mean * 1_000));
    }

    /** Nearest rank, as HdrHistogram defines the value at a percentile. */
    private static long exact(long[] sorted, double percentile) {
        long rank = Math.max(1, (long) (percentile / 100 * sorted.length + 0.5));
        return sorted[(int) rank - 1];
    }

    private static void check(Duration fromHistogram, long exactMicros) {
        double micros = fromHistogram.toNanos() / 1_000.0;
        assertThat(Math.abs(micros - exactMicros)).as("histogram %s vs exact %s µs", micros, exactMicros)
                .isLessThanOrEqualTo(exactMicros * 1e-2);
    }

    @Test
    void mergedSnapshotsEqualOneRecorderThatSawEverything() {
        AnalyticsRecorder whole = recorder();
        List<AnalyticsRecorder> hosts = List.of(recorder(), recorder(), recorder());
        SplittableRandom random = new SplittableRandom(11);
        List<MarketId> markets = CATALOG.ids();
        for (int i = 0; i < 50_000; i++) {
            AnalyticsRecorder host = hosts.get(random.nextInt(hosts.size()));
            MarketId market = markets.get(random.nextInt(markets.size()));
            TenantId tenant = TenantId.of("tenant-" + random.nextInt(40));
            Instant at = NOW.minus(Duration.ofMinutes(random.nextInt(60 * 24 * 7)));
            switch (random.nextInt(6)) {
                case 0 -> {
                    whole.leadCreated(market, tenant, at);
                    host.leadCreated(market, tenant, at);
                }
                case 1 -> {
                    Duration d = Duration.ofSeconds(random.nextInt(100_000));
                    whole.leadResponded(market, tenant, at, d);
                    host.leadResponded(market, tenant, at, d);
                }
                case 2 -> {
                    whole.leadConverted(market, tenant, at);
                    host.leadConverted(market, tenant, at);
                }
                case 3 -> {
                    BigDecimal value = BigDecimal.valueOf(random.nextLong(1_000_000_00L), 2);
                    Currency currency = CATALOG.require(market).currency();
                    BigDecimal v = currency.getDefaultFractionDigits() == 0 ? value.setScale(0, java.math.RoundingMode.DOWN) : value;
                    whole.dealClosed(market, tenant, at, v, currency);
                    host.dealClosed(market, tenant, at, v, currency);
                }
                case 4 -> {
                    Duration d = Duration.ofNanos(1_000L * (1 + random.nextInt(5_000_000)));
                    whole.requestServed(market, tenant, at, d);
                    host.requestServed(market, tenant, at, d);
                }
                default -> {
                    boolean up = random.nextInt(100) != 0;
                    whole.availabilityProbe(market, at, up);
                    host.availabilityProbe(market, at, up);
                }
            }
        }
        AnalyticsSnapshot merged = AnalyticsSnapshot.merge(hosts.stream().map(AnalyticsRecorder::snapshot).toList());
        AnalyticsSnapshot expected = whole.snapshot();
        assertThat(merged).isEqualTo(expected);
        // through the wire format too, in another order
        AnalyticsSnapshot viaBytes = AnalyticsSnapshot.fromBytes(hosts.get(2).snapshot().toBytes())
                .merge(AnalyticsSnapshot.fromBytes(hosts.get(0).snapshot().toBytes()))
                .merge(AnalyticsSnapshot.fromBytes(hosts.get(1).snapshot().toBytes()));
        assertThat(viaBytes).isEqualTo(expected);
        // and the reports agree
        PerformanceAnalysis analysis = PerformanceAnalysis.defaults();
        assertThat(analysis.analyze(viaBytes)).isEqualTo(analysis.analyze(expected));
        // a change anywhere is seen
        AnalyticsRecorder one = recorder();
        one.requestServed(CA, ACME, NOW, Duration.ofMillis(1));
        assertThat(merged.merge(one.snapshot())).isNotEqualTo(expected);
    }

    @Test
    void snapshotsWithDifferentSettingsDoNotMerge() {
        AnalyticsSnapshot hourly = recorder().snapshot();
        AnalyticsSnapshot daily = AnalyticsRecorder.builder(CATALOG).window(Duration.ofHours(6))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build().snapshot();
        assertThatThrownBy(() -> hourly.merge(daily)).isInstanceOf(AnalyticsException.class)
                .hasMessageContaining("window").hasMessageContaining("alike");
    }

    @Test
    void damagedBytesAreRefused() {
        AnalyticsRecorder r = recorder();
        r.requestServed(CA, ACME, NOW, Duration.ofMillis(5));
        r.leadCreated(TX, BETA, NOW);
        byte[] bytes = r.snapshot().toBytes();
        assertThatThrownBy(() -> AnalyticsSnapshot.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(AnalyticsException.class).hasMessageContaining("truncated");
        byte[] wrongMagic = bytes.clone();
        wrongMagic[0] ^= 1;
        assertThatThrownBy(() -> AnalyticsSnapshot.fromBytes(wrongMagic)).isInstanceOf(AnalyticsException.class)
                .hasMessageContaining("not an analytics snapshot");
        byte[] future = bytes.clone();
        future[7] = 9;
        assertThatThrownBy(() -> AnalyticsSnapshot.fromBytes(future)).isInstanceOf(AnalyticsException.class)
                .hasMessageContaining("format 9");
        // damage any one byte: refused, never merged as data
        for (int i = 0; i < bytes.length; i++) {
            byte[] damaged = bytes.clone();
            damaged[i] ^= (byte) 0x40;
            assertThatThrownBy(() -> AnalyticsSnapshot.fromBytes(damaged)).as("byte %d", i)
                    .isInstanceOf(AnalyticsException.class);
        }
        byte[] counterChanged = bytes.clone();
        counterChanged[bytes.length - 5] ^= 1; // the last counter's lowest bit, just before the CRC
        assertThatThrownBy(() -> AnalyticsSnapshot.fromBytes(counterChanged)).isInstanceOf(AnalyticsException.class)
                .hasMessageContaining("CRC-32");
        assertThat(AnalyticsSnapshot.fromBytes(bytes)).isEqualTo(r.snapshot());
    }

    @Test
    void concurrentRecordingLosesNothing() throws Exception {
        AnalyticsRecorder r = recorder();
        int threads = 4;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        List<AnalyticsSnapshot> during = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int id = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    TenantId tenant = TenantId.of("tenant-" + (i % 8));
                    r.leadCreated(CA, tenant, NOW);
                    r.requestServed(CA, tenant, NOW, Duration.ofNanos(1_000L * (1 + (i % 1000))));
                    if (id == 0 && i % 10_000 == 0) {
                        during.add(r.snapshot());
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Performance ca = PerformanceAnalysis.defaults().analyze(r.snapshot()).market(CA).orElseThrow().performance();
        assertThat(ca.volumes().leadsCreated()).isEqualTo((long) threads * perThread);
        assertThat(ca.volumes().requests()).isEqualTo((long) threads * perThread);
        assertThat(ca.latency().orElseThrow().count()).isEqualTo((long) threads * perThread);
        assertThat(during).isNotEmpty();
        // snapshots taken while recording never count more than was recorded
        for (AnalyticsSnapshot s : during) {
            Performance p = PerformanceAnalysis.defaults().analyze(s).market(CA).orElseThrow().performance();
            assertThat(p.latency().orElseThrow().count()).isLessThanOrEqualTo((long) threads * perThread);
        }
    }

    @Test
    void periodsSelectWholeWindows() {
        AnalyticsRecorder r = recorder();
        r.leadCreated(CA, ACME, Instant.parse("2026-11-24T10:15:00Z"));
        r.leadCreated(CA, ACME, Instant.parse("2026-11-24T11:59:59Z"));
        r.leadCreated(CA, ACME, Instant.parse("2026-11-24T12:00:00Z"));
        AnalyticsSnapshot all = r.snapshot();
        AnalyticsSnapshot morning = all.between(Instant.parse("2026-11-24T10:00:00Z"), Instant.parse("2026-11-24T12:00:00Z"));
        assertThat(PerformanceAnalysis.defaults().analyze(morning).totals().volumes().leadsCreated()).isEqualTo(2);
        assertThat(morning.start()).contains(Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(morning.end()).contains(Instant.parse("2026-11-24T12:00:00Z"));
        assertThatThrownBy(() -> all.between(NOW, NOW)).isInstanceOf(AnalyticsException.class);
        Map<?, ?> empty = Map.of();
        assertThat(PerformanceAnalysis.defaults().analyze(all.between(NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(2))))
                .markets()).hasSize(empty.size());
    }

    static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
