package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.test.ListingFeedContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The RESO Web API feed passes geo-test's listing-feed kit against the Olingo server: 230 listings, 7 per timestamp
 * (page boundaries fall inside ties), 3 deletions, 2 invalid records; the server pages by 20 and throttles every
 * 9th request; Media are expanded.
 */
class ResoFeedContractTest extends ListingFeedContract {
    private static final TenantId TENANT = TenantId.of("kit-co");
    private static ResoFixture reso;
    private static final Set<String> KEYS = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        reso = new ResoFixture();
        List<ResoServer.Row> rows = new ArrayList<>(ResoServer.generate(230, 7, Instant.parse("2026-03-01T00:00:00Z")));
        rows.forEach(r -> KEYS.add(r.key()));
        for (int i : new int[] {3, 100, 229}) {
            ResoServer.Row r = rows.get(i);
            r.fields().put("StandardStatus", "Delete");
        }
        ResoServer.Row sold = rows.get(50);
        sold.fields().put("StandardStatus", "Sold"); // not a RESO StandardStatus
        ResoServer.Row noUnits = rows.get(51);
        noUnits.fields().remove("LivingAreaUnits");
        KEYS.remove(sold.key());
        KEYS.remove(noUnits.key());
        reso.server.load(rows);
        reso.server.pageSize = 20;
        reso.server.tooManyEvery = 9;
        reso.credentials(TENANT, "crmls", ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
        reso.credentials(TenantId.of("wrong-co"), "crmls", ResoFixture.CLIENT_ID, "not-the-secret-7d1");
    }

    @AfterAll
    static void stop() {
        reso.close();
    }

    @Override
    protected ListingFeed newFeed() {
        // the kit checks exactly-once delivery; the overlap window (on by default) re-delivers by design: ResoCatchUpTest
        return reso.open(TENANT, "crmls", Map.of("expand-media", "true", "overlap", "PT0S"));
    }

    @Override
    protected Set<String> expectedKeys() {
        return KEYS;
    }

    @Override
    protected int expectedRejected() {
        return 2;
    }

    @Override
    protected Currency expectedCurrency() {
        return Listings.USD;
    }

    @Override
    protected Optional<Map.Entry<ListingFeed, String>> newFeedWithRefusedCredentials() {
        return Optional.of(Map.entry(reso.open(TenantId.of("wrong-co"), "crmls", Map.of()), "not-the-secret-7d1"));
    }
}
