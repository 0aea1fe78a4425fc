package com.enterprisehub.geo.benchmarks;

import com.enterprisehub.geo.benchmarks.IsolationBenchmark.Variant;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A drift-resistant cross-check of {@link IsolationBenchmark}: the same operation, the same setups, but
 * all variants live in one JVM and measured in short interleaved blocks, so that they see the same
 * machine conditions.
 *
 * <p>Why: on the machine of {@code docs/benchmarks.md} (a 2-vCPU VM) the speed of a loopback round trip
 * changes by up to 3-4x within seconds, as does the CPU time the same work takes, for reasons outside
 * this VM. JMH runs one variant after another (each in its own forks, tens of seconds each), so a
 * ratio between two variants can be distorted by such a change between them. Here each variant gets
 * one block of {@value #BLOCK_MILLIS} ms per round, in an order that rotates every round; the first
 * operation of each block is not counted (it may rebind a connection).
 *
 * <p>Each variant is an {@link IsolationBenchmark} instance with its own embedded PostgreSQL server
 * (each built exactly as in the JMH run; the idle servers wait on their sockets), and one operation is
 * {@link IsolationBenchmark#pointQuery()} itself. Results: per variant, operations per second over all
 * its blocks and the ratio against {@code bare}; the measured time is cut into 10 equal batches and the
 * ratio is computed per batch, giving a mean with a 99.9% confidence interval (Student t, 9 degrees of
 * freedom) and the range; CPU time per operation of this JVM (all threads) and of each variant's
 * PostgreSQL backends (from {@code /proc/<pid>/schedstat}, Linux only), read between blocks. A second
 * table gives the same batch ratios against each variant's own baseline
 * ({@link IsolationBenchmark.Variant#baseline()}: {@code bareSchema}, a table of exactly the ENHANCED
 * shape, for the ENHANCED variants).
 *
 * <p>Run (arguments: warm-up seconds, measured seconds, and optionally the variants, comma-separated;
 * defaults 30, 240 and all seven; {@code bare} is always included). With all seven variants a round takes
 * 0.7 s; {@code 20 180} takes about 4 minutes in all, set-up included:
 * <pre>{@code
 * java -cp benchmarks.jar com.enterprisehub.geo.benchmarks.IsolationInterleaved 20 180
 * java -cp benchmarks.jar com.enterprisehub.geo.benchmarks.IsolationInterleaved 20 150 \
 *      bare,bareExtraRoundTrip,basicRepeat,basicSwitch
 * }</pre>
 */
public final class IsolationInterleaved {
    static final long BLOCK_MILLIS = 100;
    private static final int BATCHES = 10;
    private static final double T_999_9DF = 4.781;

    private IsolationInterleaved() {
    }

    public static void main(String[] args) throws Exception {
        double warmupSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 30;
        double measureSeconds = args.length > 1 ? Double.parseDouble(args[1]) : 240;
        Variant[] variants = args.length > 2 ? selected(args[2]) : Variant.values();
        int n = variants.length;
        IsolationBenchmark[] benches = new IsolationBenchmark[n];
        List<List<Path>> backends = new ArrayList<>();
        try {
            for (int v = 0; v < n; v++) {
                benches[v] = new IsolationBenchmark();
                benches[v].variant = variants[v];
                benches[v].setUp();
            }
            for (int v = 0; v < n; v++) {
                benches[v].pointQuery(); // let each pool open its connections before they are listed
            }
            Thread.sleep(1000);
            for (int v = 0; v < n; v++) {
                backends.add(backendStats(benches[v]));
            }
            System.out.printf("warm-up %.0f s, then %.0f s measured in blocks of %d ms, %s%n", warmupSeconds,
                    measureSeconds, BLOCK_MILLIS, System.getProperty("java.vm.version"));
            run(benches, backends, warmupSeconds, null);
            Totals totals = new Totals(n);
            run(benches, backends, measureSeconds, totals);
            report(variants, totals, false);
            report(variants, totals, true);
        } finally {
            for (IsolationBenchmark b : benches) {
                if (b != null) {
                    b.tearDown();
                }
            }
        }
    }

    /** Sums per variant; per batch too. */
    private static final class Totals {
        final long[] ops;
        final long[] nanos;
        final long[] jvmCpu;
        final long[] serverCpu;
        final long[][] batchOps;
        final long[][] batchNanos;
        int rounds;

        Totals(int n) {
            ops = new long[n];
            nanos = new long[n];
            jvmCpu = new long[n];
            serverCpu = new long[n];
            batchOps = new long[BATCHES][n];
            batchNanos = new long[BATCHES][n];
        }
    }

    private static void run(IsolationBenchmark[] benches, List<List<Path>> backends, double seconds, Totals totals)
            throws Exception {
        int n = benches.length;
        long blockNanos = BLOCK_MILLIS * 1_000_000;
        long start = System.nanoTime();
        long length = (long) (seconds * 1e9);
        int round = 0;
        while (System.nanoTime() - start < length) {
            int batch = (int) Math.min(BATCHES - 1, (System.nanoTime() - start) * BATCHES / length);
            for (int k = 0; k < n; k++) {
                int v = (round + k) % n;
                IsolationBenchmark b = benches[v];
                b.pointQuery(); // not counted: the first borrow of a block may rebind
                long server0 = cpu(backends.get(v));
                long jvm0 = jvmCpu();
                long t0 = System.nanoTime();
                long ops = 0;
                long t;
                do {
                    b.pointQuery();
                    ops++;
                    t = System.nanoTime();
                } while (t - t0 < blockNanos);
                long jvm1 = jvmCpu();
                long server1 = cpu(backends.get(v));
                if (totals != null) {
                    totals.ops[v] += ops;
                    totals.nanos[v] += t - t0;
                    totals.jvmCpu[v] += jvm1 - jvm0;
                    totals.serverCpu[v] += server0 < 0 || server1 < 0 ? 0 : server1 - server0;
                    totals.batchOps[batch][v] += ops;
                    totals.batchNanos[batch][v] += t - t0;
                }
            }
            round++;
        }
        if (totals != null) {
            totals.rounds = round;
        }
    }

    /** The variants named in {@code list} (comma-separated), {@code bare} first, in declaration order. */
    private static Variant[] selected(String list) {
        java.util.EnumSet<Variant> chosen = java.util.EnumSet.of(Variant.bare);
        for (String name : list.split(",")) {
            Variant v = Variant.valueOf(name.trim());
            chosen.add(v);
            chosen.add(v.baseline());
        }
        return chosen.toArray(new Variant[0]);
    }

    private static int indexOf(Variant[] variants, Variant wanted) {
        for (int v = 0; v < variants.length; v++) {
            if (variants[v] == wanted) {
                return v;
            }
        }
        throw new IllegalStateException(wanted + " is not measured");
    }

    /**
     * Prints each variant against {@code bare}, or with {@code ownBaseline} the variants whose
     * {@link Variant#baseline()} is not {@code bare} against that baseline.
     */
    private static void report(Variant[] variants, Totals t, boolean ownBaseline) {
        int n = variants.length;
        if (ownBaseline && java.util.Arrays.stream(variants).allMatch(v -> v.baseline() == Variant.bare)) {
            return;
        }
        if (ownBaseline) {
            System.out.println("against each variant's own baseline (the bare pool on a table of the same shape):");
        } else {
            System.out.printf("%d rounds%n", t.rounds);
        }
        System.out.printf("%-28s %10s %8s %22s %16s %9s %9s %9s%n", "variant", "ops/s",
                ownBaseline ? "vs base" : "vs bare", "batch ratio (99.9%)", "batch min-max", "wall us", "jvm cpu",
                "pg cpu");
        for (int v = 0; v < n; v++) {
            if (ownBaseline && (variants[v].baseline() == Variant.bare || variants[v].baseline() == variants[v])) {
                continue;
            }
            int bare = indexOf(variants, ownBaseline ? variants[v].baseline() : Variant.bare);
            double bareRate = t.ops[bare] * 1e9 / t.nanos[bare];
            double rate = t.ops[v] * 1e9 / t.nanos[v];
            double[] ratios = new double[BATCHES];
            double sum = 0;
            double min = Double.MAX_VALUE;
            double max = 0;
            for (int b = 0; b < BATCHES; b++) {
                double r = (t.batchOps[b][v] * 1e9 / t.batchNanos[b][v])
                        / (t.batchOps[b][bare] * 1e9 / t.batchNanos[b][bare]);
                ratios[b] = r;
                sum += r;
                min = Math.min(min, r);
                max = Math.max(max, r);
            }
            double mean = sum / BATCHES;
            double ss = 0;
            for (double r : ratios) {
                ss += (r - mean) * (r - mean);
            }
            double half = T_999_9DF * Math.sqrt(ss / (BATCHES - 1)) / Math.sqrt(BATCHES);
            System.out.printf("%-28s %10.0f %8.3f %14.3f ± %5.3f %8.3f-%-7.3f %9.2f %9.2f %9.2f%n",
                    ownBaseline ? variants[v] + " / " + variants[bare] : variants[v],
                    rate, rate / bareRate, mean, half, min, max, t.nanos[v] / 1e3 / t.ops[v],
                    t.jvmCpu[v] / 1e3 / t.ops[v], t.serverCpu[v] / 1e3 / t.ops[v]);
        }
        if (!ownBaseline) {
            System.out.println("(wall us, jvm cpu, pg cpu: microseconds per operation; jvm cpu counts all threads"
                    + " of this JVM, pg cpu the variant's PostgreSQL backends)");
        }
    }

    private static List<Path> backendStats(IsolationBenchmark b) throws SQLException {
        List<Path> stats = new ArrayList<>();
        try (Connection admin = b.adminConnection(); Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE usename = '"
                        + IsolationBenchmark.APP_ROLE + "' AND backend_type = 'client backend'")) {
            while (rs.next()) {
                stats.add(Path.of("/proc", Integer.toString(rs.getInt(1)), "schedstat"));
            }
        }
        return stats;
    }

    private static long cpu(List<Path> stats) {
        long sum = 0;
        for (Path p : stats) {
            try {
                sum += Long.parseLong(Files.readString(p).trim().split(" ")[0]);
            } catch (Exception e) {
                return -1; // a backend went away (or not Linux)
            }
        }
        return sum;
    }

    private static long jvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
