package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The measurement behind docs/mls.md, skipped unless asked for (it takes a few minutes):
 * {@code mvn -o -B -pl geo-mls test -Dtest=ThroughputMeasurement -Dgeo.mls.measure=true}. It replicates 100,000
 * listings into a BASIC and an ENHANCED tenant, once from a feed held in memory (the writer alone) and once from the
 * Olingo RESO server over loopback HTTP (the whole path), and prints listings per second and the heap in use after a
 * collection at each 10,000 listings (flat memory: the replicator holds at most the batch it writes and the one it pulls). It asserts the rows
 * landed, never a speed.
 */
class ThroughputMeasurement {
    private static final int COUNT = 100_000;

    @Test
    void measure() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("geo.mls.measure"), "set -Dgeo.mls.measure=true to measure");
        MlsFixture env = MlsFixture.get();
        List<String> lines = new ArrayList<>();
        try (ResoFixture reso = new ResoFixture()) {
            reso.server.load(ResoServer.generate(COUNT, 7, Instant.parse("2025-01-01T00:00:00Z")));
            reso.server.pageSize = 1_000;
            for (IsolationLevel level : List.of(IsolationLevel.BASIC, IsolationLevel.ENHANCED)) {
                Tenant tenant = env.tenant(level);
                // warm-up: 5,000 listings, not measured
                String warm = MlsFixture.feedId("warm");
                env.replicator(1_000).replicate(new ListFeed(new FeedSubscription(tenant.id(), warm, Listings.USD),
                        records(5_000)));
                String inMemory = MlsFixture.feedId("mem");
                List<ListingRecord> all = records(COUNT);
                lines.add(run(level + " writer (in-memory feed)", env, tenant, inMemory,
                        () -> new ListFeed(new FeedSubscription(tenant.id(), inMemory, Listings.USD), all)));
                String http = MlsFixture.feedId("reso");
                reso.credentials(tenant.id(), http, ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
                lines.add(run(level + " RESO Web API over loopback", env, tenant, http,
                        () -> reso.open(tenant.id(), http, Map.of())));
            }
        }
        lines.forEach(System.out::println);
    }

    private static List<ListingRecord> records(int count) {
        List<ListingRecord> out = new ArrayList<>(count);
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            out.add(new ListingRecord.Upsert(Listings.listing(String.format("M%07d", i), t0.plusSeconds(i / 7),
                    400_000 + i)));
        }
        return out;
    }

    private static String run(String what, MlsFixture env, Tenant tenant, String feedId,
            Supplier<com.enterprisehub.geo.spi.listing.ListingFeed> feed) throws Exception {
        ListingReplicator replicator = env.replicator(1_000);
        List<Long> heap = new ArrayList<>();
        long start = System.nanoTime();
        try (var f = feed.get()) {
            for (int done = 0; done < COUNT; done += 10_000) {
                replicator.replicate(f, 10);
                System.gc();
                heap.add(usedHeapMb());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ?", feedId)).isEqualTo(COUNT);
        return String.format("%-40s %,8.0f listings/s  (%,d in %.1f s incl. 10 GCs)  heap after GC per 10k (MB): %s",
                what, COUNT / seconds, COUNT, seconds, heap);
    }

    private static long usedHeapMb() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        return used / (1024 * 1024);
    }
}
