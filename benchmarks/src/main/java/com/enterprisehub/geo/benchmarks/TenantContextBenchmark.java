package com.enterprisehub.geo.benchmarks;

import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What binding the current tenant costs: one operation binds a tenant to the calling thread, reads
 * it back while bound, and unbinds it (nothing was bound before, so the thread ends as it started).
 * The tenant read while bound is returned, so JMH consumes it through its blackhole in every variant.
 *
 * <p>The thing compared is {@link #variant}:
 * <ul>
 *   <li>{@code threadLocal} (the baseline): a bare {@code ThreadLocal<Tenant>}: {@code set}, {@code get},
 *       {@code remove}. Note that {@code remove()} drops the thread's map entry, so the next {@code set}
 *       allocates a new one: this baseline allocates one {@code ThreadLocalMap.Entry} (32 bytes) per
 *       operation;</li>
 *   <li>{@code threadLocalKeep} (a reference floor, not the baseline): the same, but unbinding with
 *       {@code set(null)} instead of {@code remove()}, so the thread's map entry is reused and not
 *       re-allocated on every bind;</li>
 *   <li>{@code run}: {@link TenantContext#run(Tenant, Runnable)} with one pre-allocated {@code Runnable}
 *       that reads {@link TenantContext#require()} into a field;</li>
 *   <li>{@code call}: {@link TenantContext#call(Tenant, Supplier)} with the non-capturing
 *       {@code TenantContext::require};</li>
 *   <li>{@code scope}: {@code try (Scope s = TenantContext.open(t)) { return TenantContext.require(); }};</li>
 *   <li>{@code scopeCurrent}: the same, reading {@code TenantContext.current().orElseThrow()} (whether
 *       the {@code Optional} is optimized away).</li>
 * </ul>
 * {@code TenantContext} also puts the tenant id into the SLF4J MDC and removes it; this module has no
 * SLF4J provider, so that is SLF4J's no-op MDC adapter, as in a host without a logging backend.
 *
 * <p>Each variant runs in its own forked JVM (JMH's default per parameter value), so no call site
 * sees more than one variant. Run (about 1.5 minutes with 2 forks):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar TenantContextBenchmark -f 2 -wi 3 -w 1s -i 5 -r 1s -prof gc
 * }</pre>
 * Results and their reading: {@code docs/benchmarks.md}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TenantContextBenchmark {

    /** The compared ways of binding; see the class comment. */
    public enum Variant { threadLocal, threadLocalKeep, run, call, scope, scopeCurrent }

    private static final ThreadLocal<Tenant> BARE = new ThreadLocal<>();

    private static final Supplier<Tenant> REQUIRE = TenantContext::require;

    @Param
    Variant variant;

    private Tenant tenant;
    private ReadTask readTask;

    @Setup(Level.Trial)
    public void setUp() {
        tenant = Tenant.builder("acme-realty").market(MarketId.of("us-ca")).organization("Acme")
                .state(TenantState.ACTIVE).build();
        readTask = new ReadTask();
        if (TenantContext.isBound() || BARE.get() != null) {
            throw new IllegalStateException("a tenant is bound before the benchmark starts");
        }
    }

    @Benchmark
    public Tenant bindReadUnbind() {
        Tenant t = tenant;
        switch (variant) {
            case threadLocal: {
                BARE.set(t);
                Tenant seen = BARE.get();
                BARE.remove();
                return seen;
            }
            case threadLocalKeep: {
                BARE.set(t);
                Tenant seen = BARE.get();
                BARE.set(null);
                return seen;
            }
            case run: {
                ReadTask task = readTask;
                TenantContext.run(t, task);
                return task.seen;
            }
            case call:
                return TenantContext.call(t, REQUIRE);
            case scope:
                try (TenantContext.Scope s = TenantContext.open(t)) {
                    return TenantContext.require();
                }
            case scopeCurrent:
                try (TenantContext.Scope s = TenantContext.open(t)) {
                    return TenantContext.current().orElseThrow();
                }
            default:
                throw new AssertionError(variant);
        }
    }

    /** The pre-allocated task of the {@code run} variant. */
    static final class ReadTask implements Runnable {
        Tenant seen;

        @Override
        public void run() {
            seen = TenantContext.require();
        }
    }
}
