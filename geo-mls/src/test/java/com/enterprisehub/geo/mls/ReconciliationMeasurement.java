package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation measurement behind docs/mls.md, skipped unless asked for:
 * {@code mvn -o -B -pl geo-mls test -Dtest=ReconciliationMeasurement -Dgeo.mls.measure=true}. 100,000 listings are
 * written into a BASIC tenant's table (from a feed held in memory), the Olingo server holds the same keys but 1,000,
 * and one reconciliation with pages of 5,000 keys withdraws those 1,000; it prints the time of the run and the keys per
 * second. It asserts what was withdrawn, never a speed.
 */
class ReconciliationMeasurement {
    private static final int COUNT = 100_000;

    @Test
    void measure() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("geo.mls.measure"), "set -Dgeo.mls.measure=true to measure");
        MlsFixture env = MlsFixture.get();
        Tenant tenant = env.tenant(IsolationLevel.BASIC);
        String feedId = MlsFixture.feedId("recon-measure");
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        List<ListingRecord> local = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            local.add(new ListingRecord.Upsert(Listings.listing(String.format("L%07d", i), t0.plusSeconds(i / 7),
                    400_000 + i)));
        }
        env.replicator(1_000).replicate(new ListFeed(new FeedSubscription(tenant.id(), feedId, Listings.USD), local));
        try (ResoFixture reso = new ResoFixture()) {
            List<ResoServer.Row> rows = new ArrayList<>(ResoServer.generate(COUNT, 7, t0));
            rows.removeIf(r -> Integer.parseInt(r.key().substring(1)) % 100 == 42);
            reso.server.load(rows);
            reso.server.pageSize = 5_000;
            reso.credentials(tenant.id(), feedId, ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
            ListingReconciler reconciler = ListingReconciler.builder().listings(env.dataSource).tenants(env.tenants)
                    .pageSize(5_000).build();
            long start = System.nanoTime();
            ReconciliationResult result;
            try (ListingFeed feed = reso.open(tenant.id(), feedId, Map.of())) {
                result = reconciler.reconcile(feed);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(result.withdrawn()).isEqualTo(1_000);
            System.out.printf("reconciliation of %,d listings (%,d source keys, %,d withdrawn): %.1f s, %,.0f keys/s"
                    + ", %d key requests%n", result.localListings(), result.sourceKeys(), result.withdrawn(), seconds,
                    result.localListings() / seconds, reso.server.dataRequests.get());
        }
    }
}
