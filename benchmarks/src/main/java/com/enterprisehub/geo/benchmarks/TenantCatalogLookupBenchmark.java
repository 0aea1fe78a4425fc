package com.enterprisehub.geo.benchmarks;

import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What looking a tenant up by id costs in the in-memory catalog, against a bare
 * {@code ConcurrentHashMap<TenantId, Tenant>.get} holding the same tenants, for catalogs of
 * {@link #size} tenants. One operation looks up one id (always present) and returns the tenant found.
 *
 * <p>The thing compared is {@link #variant}:
 * <ul>
 *   <li>{@code baseline}: {@code map.get(id)} on a bare {@code ConcurrentHashMap};</li>
 *   <li>{@code find}: {@code catalog.find(id).orElseThrow()}, through the {@link TenantCatalog}
 *       interface as a host calls it;</li>
 *   <li>{@code require}: {@code catalog.require(id)} (the interface's default method, whose not-found
 *       path is a capturing lambda);</li>
 *   <li>{@code get}: {@link InMemoryTenantCatalog#get(TenantId)}, the implementation's null-returning
 *       lookup.</li>
 * </ul>
 *
 * <p>How the ids are looked up, identically for every variant: tenants have ids {@code t0000000},
 * {@code t0000001}, ...; the ids looked up are a random permutation of all of them (fixed seed), walked
 * in a cycle, so every pass touches every tenant once in the same scattered order and the cache
 * behaviour is the same for the baseline and the catalog. The looked-up ids are <em>fresh</em>
 * {@code TenantId} instances over fresh strings, equal to but not the same objects as the stored keys,
 * as an id parsed from a request would be: {@code equals} must compare the characters and cannot
 * succeed on identity. (Their string hash codes are cached after the first pass; computing one for
 * 8 characters would add the same few nanoseconds to every variant.) Each fork builds only the
 * structure its variant needs, the same way, so the baseline map and the catalog's map have the same
 * shape and a similar memory layout.
 *
 * <p>Each (variant, size) runs in its own forked JVM with a fixed 2 GB heap. Run (about 3.5 minutes with
 * 2 forks; setting up 1,000,000 tenants takes about 6 seconds per fork):
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar TenantCatalogLookupBenchmark -f 2 -wi 3 -w 1s -i 5 -r 1s -prof gc
 * }</pre>
 * Results and their reading: {@code docs/benchmarks.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TenantCatalogLookupBenchmark {

    /** The compared lookups; see the class comment. */
    public enum Variant { baseline, find, require, get }

    @Param({"10", "10000", "1000000"})
    int size;

    @Param
    Variant variant;

    private ConcurrentHashMap<TenantId, Tenant> map;
    private TenantCatalog catalog;
    private InMemoryTenantCatalog impl;

    /** The ids looked up, in a random order; see the class comment. */
    TenantId[] lookups;

    @Setup(Level.Trial)
    public void setUp() {
        MarketId market = MarketId.of("us-ca");
        Tenant[] tenants = new Tenant[size];
        for (int i = 0; i < size; i++) {
            tenants[i] = Tenant.builder(id(i)).market(market).organization("Org " + i)
                    .state(TenantState.ACTIVE).build();
        }
        switch (variant) {
            case baseline -> {
                map = new ConcurrentHashMap<>();
                for (Tenant t : tenants) {
                    map.put(t.id(), t);
                }
            }
            case find, require, get -> {
                catalog = InMemoryTenantCatalog.create();
                for (Tenant t : tenants) {
                    catalog.create(t);
                }
                impl = (InMemoryTenantCatalog) catalog;
            }
            default -> throw new AssertionError(variant);
        }

        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        lookups = new TenantId[size];
        for (int i = 0; i < size; i++) {
            // id() makes a new String: equal characters, another object, as a parsed id would be.
            lookups[i] = TenantId.of(id(order[i]));
        }

        for (TenantId id : lookups) {
            if (lookup(id) == null) {
                throw new IllegalStateException("tenant " + id + " not found in the " + variant + " structure");
            }
        }
        System.gc(); // start measuring without setup garbage, in every variant alike
    }

    /** Where this thread is in the cycle of ids. */
    @State(Scope.Thread)
    public static class Cursor {
        int index;
    }

    @Benchmark
    public Tenant lookup(Cursor cursor) {
        TenantId[] ids = lookups;
        int i = cursor.index;
        TenantId id = ids[i];
        cursor.index = ++i == ids.length ? 0 : i;
        return lookup(id);
    }

    private Tenant lookup(TenantId id) {
        switch (variant) {
            case baseline:
                return map.get(id);
            case find:
                return catalog.find(id).orElseThrow();
            case require:
                return catalog.require(id);
            case get:
                return impl.get(id);
            default:
                throw new AssertionError(variant);
        }
    }

    /** {@code t} and {@code i} in 7 digits: {@code t0000042}. */
    static String id(int i) {
        char[] c = {'t', '0', '0', '0', '0', '0', '0', '0'};
        for (int p = 7, v = i; v > 0; p--, v /= 10) {
            c[p] = (char) ('0' + v % 10);
        }
        return new String(c);
    }
}
