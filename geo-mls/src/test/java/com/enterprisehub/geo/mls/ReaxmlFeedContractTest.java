package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.test.ListingFeedContract;
import java.nio.file.Path;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;

/**
 * The REAXML feed passes geo-test's listing-feed kit over the sample files (residential, rental, land; sold, leased,
 * withdrawn, offmarket; a commercial listing and a bad modTime rejected; a file broken half-way) and two generated
 * files of 40 listings.
 */
class ReaxmlFeedContractTest extends ListingFeedContract {
    private static Path dir;
    private static final Set<String> KEYS = new HashSet<>();

    @BeforeAll
    static void files() throws Exception {
        dir = ReaxmlFiles.directoryWithSamples();
        ReaxmlFiles.generate(dir, "20260302-090000-bulk.xml", 40, 0);
        ReaxmlFiles.generate(dir, "20260302-100000-bulk.xml", 40, 40);
        for (String k : List.of("R1001", "R1002", "R0990", "R0991", "L2001", "L1999", "D4001", "D3999", "R1004")) {
            KEYS.add("XNWXNW-" + k);
        }
        for (int i = 0; i < 80; i++) {
            KEYS.add(String.format("GEN-G%04d", i));
        }
    }

    @Override
    protected ListingFeed newFeed() {
        return ReaxmlFiles.open(TenantId.of("kit-au"), "reaxml-au", dir);
    }

    @Override
    protected Set<String> expectedKeys() {
        return KEYS;
    }

    @Override
    protected int expectedRejected() {
        return 3; // the commercial listing, the bad modTime, the broken file
    }

    @Override
    protected Currency expectedCurrency() {
        return ReaxmlFiles.AUD;
    }
}
