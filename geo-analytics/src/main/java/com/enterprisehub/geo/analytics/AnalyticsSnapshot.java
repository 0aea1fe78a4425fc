package com.enterprisehub.geo.analytics;

import com.enterprisehub.geo.analytics.internal.CellData;
import com.enterprisehub.geo.analytics.internal.Counter;
import com.enterprisehub.geo.analytics.internal.MarketCell;
import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Currency;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * An immutable copy of what one or more {@link AnalyticsRecorder}s recorded: per window, per market, the
 * tenants' counters, the market's latency histograms and its availability probes.
 *
 * <p>Snapshots of several host instances {@linkplain #merge(AnalyticsSnapshot) merge}: counts and sums
 * add, histograms add bucket by bucket, so merging the snapshots of any split of one event stream gives
 * a snapshot equal to that of the whole stream. {@link #writeTo(OutputStream)} and
 * {@link #readFrom(InputStream)} carry a snapshot between processes in a compact, versioned binary form
 * ending in a CRC-32, so a damaged copy is refused rather than merged.
 */
public final class AnalyticsSnapshot {
    private static final int MAGIC = 0x45484741; // "EHGA"
    private static final int FORMAT = 1;
    private static final int MAX_ENTRIES = 10_000_000;

    private final long windowMillis;
    private final long latencyTargetMicros;
    private final SortedMap<Long, Map<MarketId, CellData>> windows;
    private final long rejectedTooOld;
    private final long rejectedTooNew;

    AnalyticsSnapshot(long windowMillis, long latencyTargetMicros, Map<Long, Map<MarketId, CellData>> windows,
            long rejectedTooOld, long rejectedTooNew) {
        this.windowMillis = windowMillis;
        this.latencyTargetMicros = latencyTargetMicros;
        SortedMap<Long, Map<MarketId, CellData>> copy = new TreeMap<>();
        windows.forEach((index, cells) -> {
            if (!cells.isEmpty()) {
                copy.put(index, Collections.unmodifiableMap(new TreeMap<>(cells)));
            }
        });
        this.windows = Collections.unmodifiableSortedMap(copy);
        this.rejectedTooOld = rejectedTooOld;
        this.rejectedTooNew = rejectedTooNew;
    }

    /** The length of one window. */
    public Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    /** The latency target requests were counted against. */
    public Duration latencyTarget() {
        return Duration.ofNanos(latencyTargetMicros * 1_000);
    }

    /** The start of the first window with data, if any. */
    public Optional<Instant> start() {
        return windows.isEmpty() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(windows.firstKey() * windowMillis));
    }

    /** The end (exclusive) of the last window with data, if any. */
    public Optional<Instant> end() {
        return windows.isEmpty() ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli((windows.lastKey() + 1) * windowMillis));
    }

    /** The markets with data, in id order. */
    public Set<MarketId> markets() {
        Set<MarketId> ids = new TreeSet<>();
        windows.values().forEach(cells -> ids.addAll(cells.keySet()));
        return Collections.unmodifiableSet(ids);
    }

    /** How many distinct tenants sent events. */
    public int tenantCount() {
        Set<TenantId> ids = new HashSet<>();
        windows.values().forEach(cells -> cells.values().forEach(c -> ids.addAll(c.tenants().keySet())));
        return ids.size();
    }

    /** Whether nothing was recorded. */
    public boolean isEmpty() {
        return windows.isEmpty();
    }

    /** Events the recorders refused because their time was outside the retained windows. */
    public long rejectedEvents() {
        return rejectedTooOld + rejectedTooNew;
    }

    /**
     * The windows that start in {@code [from, to)}; a report over this snapshot covers that span rounded to
     * whole windows.
     */
    public AnalyticsSnapshot between(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new AnalyticsException("The period's start " + from + " must be before its end " + to + ".");
        }
        long first = Math.floorDiv(from.toEpochMilli() + windowMillis - 1, windowMillis);
        long last = Math.floorDiv(to.toEpochMilli() + windowMillis - 1, windowMillis);
        return new AnalyticsSnapshot(windowMillis, latencyTargetMicros, windows.subMap(first, last), 0, 0);
    }

    /**
     * This snapshot plus {@code other}, as if one recorder had seen both event streams.
     *
     * @throws AnalyticsException if the snapshots use different windows or latency targets, or a market's
     *     currency differs between them
     */
    public AnalyticsSnapshot merge(AnalyticsSnapshot other) {
        Objects.requireNonNull(other, "other");
        if (other.windowMillis != windowMillis || other.latencyTargetMicros != latencyTargetMicros) {
            throw new AnalyticsException("Snapshots recorded with different settings cannot be merged: window "
                    + window() + " vs " + other.window() + ", latency target " + latencyTarget() + " vs "
                    + other.latencyTarget() + ". Configure every host's recorder alike.");
        }
        Map<Long, Map<MarketId, CellData>> sum = new TreeMap<>();
        windows.forEach((index, cells) -> sum.put(index, new TreeMap<>(cells)));
        other.windows.forEach((index, cells) -> {
            Map<MarketId, CellData> into = sum.computeIfAbsent(index, i -> new TreeMap<>());
            cells.forEach((market, cell) -> into.merge(market, cell, (a, b) -> {
                if (!a.currency().equals(b.currency())) {
                    throw new AnalyticsException("Market '" + market + "' records deal values in " + a.currency()
                            + " in one snapshot and " + b.currency() + " in the other; hosts must share one catalog.");
                }
                return a.plus(b);
            }));
        });
        return new AnalyticsSnapshot(windowMillis, latencyTargetMicros, sum,
                Math.addExact(rejectedTooOld, other.rejectedTooOld), Math.addExact(rejectedTooNew, other.rejectedTooNew));
    }

    /** All of {@code snapshots} merged; see {@link #merge(AnalyticsSnapshot)}. */
    public static AnalyticsSnapshot merge(Collection<AnalyticsSnapshot> snapshots) {
        if (snapshots.isEmpty()) {
            throw new AnalyticsException("Give at least one snapshot to merge.");
        }
        AnalyticsSnapshot result = null;
        for (AnalyticsSnapshot s : snapshots) {
            result = result == null ? Objects.requireNonNull(s, "snapshot") : result.merge(s);
        }
        return result;
    }

    SortedMap<Long, Map<MarketId, CellData>> cells() {
        return windows;
    }

    long latencyTargetMicros() {
        return latencyTargetMicros;
    }

    /** Writes this snapshot in the binary form {@link #readFrom(InputStream)} reads. Does not close the stream. */
    public void writeTo(OutputStream out) {
        try {
            CheckedOutputStream checked = new CheckedOutputStream(out, new CRC32());
            DataOutputStream data = new DataOutputStream(checked);
            data.writeInt(MAGIC);
            data.writeInt(FORMAT);
            data.writeLong(windowMillis);
            data.writeLong(latencyTargetMicros);
            data.writeLong(rejectedTooOld);
            data.writeLong(rejectedTooNew);
            data.writeInt(windows.size());
            for (Map.Entry<Long, Map<MarketId, CellData>> window : windows.entrySet()) {
                data.writeLong(window.getKey());
                data.writeInt(window.getValue().size());
                for (Map.Entry<MarketId, CellData> entry : window.getValue().entrySet()) {
                    CellData cell = entry.getValue();
                    data.writeUTF(entry.getKey().value());
                    data.writeUTF(cell.currency().getCurrencyCode());
                    data.writeLong(cell.probes());
                    data.writeLong(cell.probesUp());
                    writeHistogram(data, cell.latencyMicros());
                    writeHistogram(data, cell.responseMillis());
                    data.writeInt(cell.tenants().size());
                    for (Map.Entry<TenantId, long[]> tenant : cell.tenants().entrySet()) {
                        data.writeUTF(tenant.getKey().value());
                        for (long v : tenant.getValue()) {
                            data.writeLong(v);
                        }
                    }
                }
            }
            data.flush();
            new DataOutputStream(out).writeInt((int) checked.getChecksum().getValue());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the analytics snapshot: " + e.getMessage(), e);
        }
    }

    /** This snapshot as bytes; see {@link #writeTo(OutputStream)}. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeTo(out);
        return out.toByteArray();
    }

    /** A snapshot from bytes written by {@link #toBytes()}. */
    public static AnalyticsSnapshot fromBytes(byte[] bytes) {
        return readFrom(new ByteArrayInputStream(bytes));
    }

    /**
     * Reads a snapshot written by {@link #writeTo(OutputStream)}, by this or another host.
     *
     * @throws AnalyticsException if the bytes are not a snapshot of a format this version reads, or are
     *     damaged (every id, count and histogram is checked)
     */
    public static AnalyticsSnapshot readFrom(InputStream in) {
        CheckedInputStream checked = new CheckedInputStream(in, new CRC32());
        DataInputStream data = new DataInputStream(checked);
        try {
            if (data.readInt() != MAGIC) {
                throw new AnalyticsException("These bytes are not an analytics snapshot (wrong magic number).");
            }
            int format = data.readInt();
            if (format != FORMAT) {
                throw new AnalyticsException("Snapshot format " + format + " is not readable by this version, which "
                        + "reads format " + FORMAT + "; upgrade the reading host.");
            }
            long windowMillis = positive(data.readLong(), "window");
            long target = nonNegative(data.readLong(), "latency target");
            long tooOld = nonNegative(data.readLong(), "rejected events");
            long tooNew = nonNegative(data.readLong(), "rejected events");
            int windowCount = count(data.readInt(), "windows");
            Map<Long, Map<MarketId, CellData>> windows = new TreeMap<>();
            for (int w = 0; w < windowCount; w++) {
                long index = data.readLong();
                int marketCount = count(data.readInt(), "markets");
                Map<MarketId, CellData> cells = new TreeMap<>();
                for (int m = 0; m < marketCount; m++) {
                    MarketId market = MarketId.of(data.readUTF());
                    Currency currency = Currency.getInstance(data.readUTF());
                    long probes = nonNegative(data.readLong(), "probes");
                    long probesUp = nonNegative(data.readLong(), "probes up");
                    if (probesUp > probes) {
                        throw new AnalyticsException("Damaged snapshot: more probes up than probes in " + market + ".");
                    }
                    Histogram latency = readHistogram(data);
                    Histogram response = readHistogram(data);
                    int tenantCount = count(data.readInt(), "tenants");
                    Map<TenantId, long[]> tenants = new TreeMap<>();
                    for (int t = 0; t < tenantCount; t++) {
                        TenantId tenant = TenantId.of(data.readUTF());
                        long[] values = new long[Counter.COUNT];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = nonNegative(data.readLong(), "counter");
                        }
                        if (values[Counter.REQUESTS_WITHIN_TARGET] > values[Counter.REQUESTS]) {
                            throw new AnalyticsException("Damaged snapshot: more requests within target than "
                                    + "requests for " + tenant + ".");
                        }
                        tenants.put(tenant, values);
                    }
                    if (cells.put(market, new CellData(currency, tenants, latency, response, probes, probesUp)) != null) {
                        throw new AnalyticsException("Damaged snapshot: market " + market + " twice in one window.");
                    }
                }
                if (windows.put(index, cells) != null) {
                    throw new AnalyticsException("Damaged snapshot: window " + index + " twice.");
                }
            }
            int computed = (int) checked.getChecksum().getValue();
            if (new DataInputStream(in).readInt() != computed) {
                throw new AnalyticsException("Damaged snapshot: its CRC-32 does not match its content.");
            }
            return new AnalyticsSnapshot(windowMillis, target, windows, tooOld, tooNew);
        } catch (EOFException e) {
            throw new AnalyticsException("The snapshot is truncated.", e);
        } catch (UTFDataFormatException e) {
            throw new AnalyticsException("Damaged snapshot: an id is not valid text.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the analytics snapshot: " + e.getMessage(), e);
        } catch (IllegalArgumentException | GeoException e) {
            if (e instanceof AnalyticsException ae) {
                throw ae;
            }
            throw new AnalyticsException("Damaged snapshot: " + e.getMessage(), e);
        }
    }

    private static void writeHistogram(DataOutputStream data, Histogram histogram) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        data.writeInt(length);
        data.write(buffer.array(), 0, length);
    }

    private static Histogram readHistogram(DataInputStream data) throws IOException {
        int length = count(data.readInt(), "histogram bytes");
        byte[] bytes = new byte[length];
        data.readFully(bytes);
        try {
            Histogram decoded = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
            if (decoded.getNumberOfSignificantValueDigits() != MarketCell.SIGNIFICANT_DIGITS) {
                throw new AnalyticsException("Damaged snapshot: a histogram has "
                        + decoded.getNumberOfSignificantValueDigits() + " significant digits, expected "
                        + MarketCell.SIGNIFICANT_DIGITS + ".");
            }
            Histogram copy = new Histogram(MarketCell.SIGNIFICANT_DIGITS);
            copy.add(decoded);
            return copy;
        } catch (DataFormatException | RuntimeException e) {
            if (e instanceof AnalyticsException ae) {
                throw ae;
            }
            throw new AnalyticsException("Damaged snapshot: a histogram cannot be decoded (" + e + ").", e);
        }
    }

    private static long positive(long v, String what) {
        if (v <= 0) {
            throw new AnalyticsException("Damaged snapshot: " + what + " is " + v + ".");
        }
        return v;
    }

    private static long nonNegative(long v, String what) {
        if (v < 0) {
            throw new AnalyticsException("Damaged snapshot: " + what + " is negative.");
        }
        return v;
    }

    private static int count(int v, String what) {
        if (v < 0 || v > MAX_ENTRIES) {
            throw new AnalyticsException("Damaged snapshot: " + v + " " + what + ".");
        }
        return v;
    }

    /** Equal when the settings, every counter, every histogram bucket and the rejected counts are equal. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AnalyticsSnapshot that)) {
            return false;
        }
        if (windowMillis != that.windowMillis || latencyTargetMicros != that.latencyTargetMicros
                || rejectedTooOld != that.rejectedTooOld || rejectedTooNew != that.rejectedTooNew
                || !windows.keySet().equals(that.windows.keySet())) {
            return false;
        }
        for (Map.Entry<Long, Map<MarketId, CellData>> e : windows.entrySet()) {
            Map<MarketId, CellData> mine = e.getValue();
            Map<MarketId, CellData> theirs = that.windows.get(e.getKey());
            if (!mine.keySet().equals(theirs.keySet())) {
                return false;
            }
            for (Map.Entry<MarketId, CellData> c : mine.entrySet()) {
                if (!c.getValue().sameAs(theirs.get(c.getKey()))) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowMillis, latencyTargetMicros, windows.keySet(), markets(), rejectedTooOld, rejectedTooNew);
    }

    @Override
    public String toString() {
        return "AnalyticsSnapshot[window=" + window() + ", windows=" + windows.size() + ", markets=" + markets()
                + ", rejected=" + rejectedEvents() + "]";
    }
}
