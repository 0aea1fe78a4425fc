package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.listing.AreaUnits;
import com.enterprisehub.geo.spi.listing.FeedBatch;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.Listing;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedProvider;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import com.enterprisehub.geo.spi.listing.StandardStatus;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the REAXML feed reads from the sample files, and replication of a directory with its checkpoint by file. */
class ReaxmlTest {

    private static Map<String, ListingRecord> readAll(Path dir) {
        Map<String, ListingRecord> byKey = new HashMap<>();
        try (ListingFeed feed = ReaxmlFiles.open(TenantId.of("harbour"), "reaxml-au", dir)) {
            FeedBatch batch = feed.pull(FeedCheckpoint.START, 1_000);
            assertThat(batch.caughtUp()).isTrue();
            int rejected = 0;
            for (ListingRecord r : batch.records()) {
                if (r.key().isPresent()) {
                    byKey.put(r.key().get(), r);
                } else {
                    byKey.put("rejected-" + rejected++, r);
                }
            }
        }
        return byKey;
    }

    private static Listing listing(Map<String, ListingRecord> records, String key) {
        return ((ListingRecord.Upsert) records.get(key)).listing();
    }

    @Test
    void residentialRentalAndLandListingsAreNormalised() throws Exception {
        Map<String, ListingRecord> records = readAll(ReaxmlFiles.directoryWithSamples());
        Listing townhouse = listing(records, "XNWXNW-R1001");
        assertThat(townhouse.standardStatus()).isEqualTo(StandardStatus.ACTIVE);
        assertThat(townhouse.modificationTimestamp()).isEqualTo(Instant.parse("2026-02-28T21:55:00Z")); // AEDT +11
        assertThat(townhouse.propertyType()).contains("Residential");
        assertThat(townhouse.propertySubType()).contains("Townhouse");
        assertThat(townhouse.listPrice()).contains(new BigDecimal("1250000"));
        assertThat(townhouse.currency().getCurrencyCode()).isEqualTo("AUD");
        assertThat(townhouse.bedroomsTotal().getAsInt()).isEqualTo(3);
        // 18 squares of 100 sq ft = 167.23 m²
        assertThat(townhouse.livingArea().orElseThrow().value()).isEqualByComparingTo("167.23");
        assertThat(townhouse.livingArea().orElseThrow().units()).isEqualTo(AreaUnits.SQUARE_METERS);
        assertThat(townhouse.lotSize().orElseThrow().value()).isEqualByComparingTo("210");
        assertThat(townhouse.address().unparsedAddress()).contains("2/39 Example Road");
        assertThat(townhouse.address().stateOrProvince()).contains("NSW");
        assertThat(townhouse.address().country()).contains("AU");
        assertThat(townhouse.media()).extracting(m -> m.mediaUrl().toString())
                .containsExactly("https://images.example.com.au/R1001-m.jpg",
                        "https://images.example.com.au/R1001-a.jpg");
        assertThat(listing(records, "XNWXNW-R1002").standardStatus()).isEqualTo(StandardStatus.ACTIVE_UNDER_CONTRACT);
        Listing rental = listing(records, "XNWXNW-L2001");
        assertThat(rental.propertyType()).contains("ResidentialLease");
        assertThat(rental.listPrice()).contains(new BigDecimal("650"));
        Listing land = listing(records, "XNWXNW-D4001");
        assertThat(land.propertyType()).contains("Land");
        assertThat(land.lotSize().orElseThrow().units()).isEqualTo(AreaUnits.HECTARES);
    }

    @Test
    void soldLeasedWithdrawnAndOffmarketAreRemovalsAndBadRecordsAreRejectedWithTheirReason() throws Exception {
        Map<String, ListingRecord> records = readAll(ReaxmlFiles.directoryWithSamples());
        assertThat(records.get("XNWXNW-R0990")).isEqualTo(new ListingRecord.Removal("XNWXNW-R0990",
                Instant.parse("2026-02-28T21:57:00Z"), StandardStatus.CLOSED));
        assertThat(((ListingRecord.Removal) records.get("XNWXNW-L1999")).status()).isEqualTo(StandardStatus.CLOSED);
        assertThat(((ListingRecord.Removal) records.get("XNWXNW-R0991")).status())
                .isEqualTo(StandardStatus.WITHDRAWN);
        assertThat(((ListingRecord.Removal) records.get("XNWXNW-D3999")).status())
                .isEqualTo(StandardStatus.WITHDRAWN);
        assertThat(((ListingRecord.Rejected) records.get("XNWXNW-C3001")).reason())
                .contains("<commercial> listings are not read");
        assertThat(((ListingRecord.Rejected) records.get("XNWXNW-R1003")).reason()).contains("modTime");
        assertThat(((ListingRecord.Rejected) records.get("rejected-0")).reason())
                .contains("20260301-120000-broken.xml").contains("not well-formed");
        assertThat(records).containsKey("XNWXNW-R1004").doesNotContainKey("XNWXNW-R1005");
    }

    @Test
    void anExternalEntityIsNeverResolved() throws Exception {
        Path dir = Files.createTempDirectory("geo-mls-xxe");
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        Files.writeString(dir.resolve("a.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE propertyList [<!ENTITY x SYSTEM \""
                + secret.toUri() + "\">]>\n<propertyList><residential modTime=\"2026-03-01-08:00:00\" status=\"current\">"
                + "<agentID>A</agentID><uniqueID>U1</uniqueID><headline>&x;</headline></residential></propertyList>");
        try (ListingFeed feed = ReaxmlFiles.open(TenantId.of("harbour"), "reaxml-au", dir)) {
            List<ListingRecord> records = feed.pull(FeedCheckpoint.START, 10).records();
            assertThat(records).hasSize(1);
            assertThat(records.get(0)).isInstanceOf(ListingRecord.Rejected.class);
            assertThat(records.get(0).toString()).doesNotContain("TOP-SECRET-CONTENT");
        }
    }

    @Test
    void aDirectoryIsReplicatedByFileAndNewFilesAreIncrements() throws Exception {
        MlsFixture env = MlsFixture.get();
        Tenant tenant = env.tenant(IsolationLevel.MAXIMUM);
        String feedId = MlsFixture.feedId("reaxml");
        Path dir = ReaxmlFiles.directoryWithSamples();
        ListingFeedProvider provider = Providers.fromClassPath().select(ListingFeedProvider.class, "reaxml");
        ProviderContext context = ProviderContext.builder().setting("directory", dir.toString())
                .setting("settle-time", "PT0S").build();
        FeedSubscription subscription = new FeedSubscription(tenant.id(), feedId, ReaxmlFiles.AUD);
        ReplicationResult first = env.replicator(4).replicate(provider.open(subscription, context));
        assertThat(first.checkpoint().value()).matches("reaxml2:[0-9a-f]{16}:20260301-120000-broken\\.xml\\|.*");
        assertThat(first.stored()).isEqualTo(5);
        assertThat(first.removed()).isEqualTo(4);
        assertThat(first.quarantined()).isEqualTo(3);
        ReaxmlFiles.generate(dir, "20260302-090000-bulk.xml", 25, 0);
        ReplicationResult second = env.replicator(10).replicate(provider.open(subscription, context));
        assertThat(second.stored()).isEqualTo(25);
        assertThat(second.checkpoint().value()).endsWith(":20260302-090000-bulk.xml|25");
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ? AND NOT removed", feedId))
                .isEqualTo(30);
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ? AND removed", feedId))
                .isEqualTo(4);
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_listing WHERE feed_id = ? AND currency = 'AUD'"
                + " AND living_area_units = 'SquareMeters' AND living_area = 167.23", feedId)).isEqualTo(1);
        assertThat(env.count(tenant, "SELECT count(*) FROM mls_quarantine WHERE feed_id = ?", feedId)).isEqualTo(3);
    }

    @Test
    void aFileStillBeingWrittenLosesNoListingOnceComplete() throws Exception {
        Path dir = Files.createTempDirectory("geo-mls-partial");
        ReaxmlFiles.generate(dir, "a.xml", 10, 0);
        ReaxmlFiles.generate(dir, "b.xml", 10, 100);
        ReaxmlFiles.generate(dir, "c.xml", 5, 200);
        byte[] whole = Files.readAllBytes(dir.resolve("b.xml"));
        Files.write(dir.resolve("b.xml"), java.util.Arrays.copyOf(whole, whole.length * 6 / 10)); // upload under way
        java.util.Set<String> keys = new java.util.HashSet<>();
        List<ListingRecord> rejected = new java.util.ArrayList<>();
        try (ListingFeed feed = ReaxmlFiles.open(TenantId.of("harbour"), "reaxml-au", dir)) {
            FeedCheckpoint at = FeedCheckpoint.START;
            boolean completed = false;
            for (int i = 0; i < 20; i++) {
                FeedBatch batch;
                try {
                    batch = feed.pull(at, 7);
                } catch (com.enterprisehub.geo.spi.listing.ListingFeedException e) {
                    assertThat(e.getMessage()).contains("b.xml").contains("ends early");
                    batch = null;
                }
                if (batch != null) {
                    for (ListingRecord r : batch.records()) {
                        if (r instanceof ListingRecord.Rejected) {
                            rejected.add(r);
                        } else {
                            keys.add(r.key().orElseThrow());
                        }
                    }
                    at = batch.checkpoint();
                }
                if (!completed && (batch == null || batch.caughtUp())) {
                    Files.write(dir.resolve("b.xml"), whole); // the upload completes
                    completed = true;
                } else if (batch != null && batch.caughtUp()) {
                    break;
                }
            }
        }
        assertThat(rejected).isEmpty();
        assertThat(keys).hasSize(25);
    }

    @Test
    void aFileIsReadOnlyOnceUnchangedForTheSettlingPeriod() throws Exception {
        Path dir = Files.createTempDirectory("geo-mls-settle");
        ReaxmlFiles.generate(dir, "a.xml", 3, 0);
        ListingFeedProvider provider = Providers.fromClassPath().select(ListingFeedProvider.class, "reaxml");
        FeedSubscription s = new FeedSubscription(TenantId.of("harbour"), "reaxml-au", ReaxmlFiles.AUD);
        ProviderContext context = ProviderContext.builder().setting("directory", dir.toString())
                .setting("settle-time", "PT1H").build();
        try (ListingFeed feed = provider.open(s, context)) {
            FeedBatch early = feed.pull(FeedCheckpoint.START, 10);
            assertThat(early.records()).isEmpty();
            assertThat(early.checkpoint()).isEqualTo(FeedCheckpoint.START);
            Files.setLastModifiedTime(dir.resolve("a.xml"), java.nio.file.attribute.FileTime.from(
                    Instant.now().minusSeconds(7_200)));
            assertThat(feed.pull(FeedCheckpoint.START, 10).records()).hasSize(3);
        }
    }

    private static List<ListingRecord> pullOne(Path dir) {
        try (ListingFeed feed = ReaxmlFiles.open(TenantId.of("harbour"), "reaxml-au", dir)) {
            return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                    () -> feed.pull(FeedCheckpoint.START, 10).records());
        }
    }

    @Test
    void aBillionLaughsFileIsRejectedWithoutExpandingIt() throws Exception {
        Path dir = Files.createTempDirectory("geo-mls-lol");
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE propertyList [\n"
                + "<!ENTITY lol0 \"lolololololololololololololololololololololololololololololololol\">\n");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                dtd.append("&lol").append(i - 1).append(';');
            }
            dtd.append("\">\n");
        }
        dtd.append("]>\n<propertyList><residential modTime=\"2026-03-01-08:00:00\" status=\"current\">"
                + "<agentID>A</agentID><uniqueID>U1</uniqueID><headline>&lol9;</headline></residential>"
                + "</propertyList>\n");
        Files.writeString(dir.resolve("a.xml"), dtd);
        List<ListingRecord> records = pullOne(dir);
        assertThat(records).hasSize(1).allMatch(r -> r instanceof ListingRecord.Rejected);
        assertThat(records.get(0).toString()).doesNotContain("lolololol");
    }

    @Test
    void aListingNestedTooDeepOrTooLargeIsRejectedAndTheNextOneRead() throws Exception {
        Path dir = Files.createTempDirectory("geo-mls-deep");
        StringBuilder xml = new StringBuilder("<propertyList><residential modTime=\"2026-03-01-08:00:00\""
                + " status=\"current\"><agentID>A</agentID><uniqueID>DEEP</uniqueID>");
        // 60 levels: past the reader's 32, within the parser's own limit (JDK 25's JAXP refuses 100,000 as a whole file)
        xml.append("<x>".repeat(60)).append("</x>".repeat(60)).append("</residential>");
        xml.append("<residential modTime=\"2026-03-01-08:00:00\" status=\"current\"><agentID>A</agentID>"
                + "<uniqueID>WIDE</uniqueID>").append("<y/>".repeat(200_000)).append("</residential>");
        xml.append("<residential modTime=\"2026-03-01-08:00:00\" status=\"current\"><agentID>A</agentID>"
                + "<uniqueID>OK</uniqueID><price>1</price></residential></propertyList>");
        Files.writeString(dir.resolve("a.xml"), xml);
        List<ListingRecord> records = pullOne(dir);
        assertThat(records).hasSize(3);
        assertThat(((ListingRecord.Rejected) records.get(0)).reason()).contains("nested deeper");
        assertThat(((ListingRecord.Rejected) records.get(1)).reason()).contains("elements");
        assertThat(records.get(2)).isInstanceOf(ListingRecord.Upsert.class);
    }

    @Test
    void listingKeysOfDifferentAgentAndUniqueIdsNeverCollide() throws Exception {
        Path dir = Files.createTempDirectory("geo-mls-keys");
        String one = "<residential modTime=\"2026-03-01-08:00:00\" status=\"current\"><agentID>%s</agentID>"
                + "<uniqueID>%s</uniqueID></residential>";
        Files.writeString(dir.resolve("a.xml"), "<propertyList>" + String.format(one, "A-1", "2")
                + String.format(one, "A", "1-2") + String.format(one, "XNW", "R1") + "</propertyList>");
        List<ListingRecord> records = pullOne(dir);
        assertThat(records).extracting(r -> r.key().orElseThrow()).doesNotHaveDuplicates().hasSize(3)
                .contains("XNW-R1");
    }

    @Test
    void aCheckpointOfAnotherDirectoryIsRefused() throws Exception {
        Path a = Files.createTempDirectory("geo-mls-a");
        Path b = Files.createTempDirectory("geo-mls-b");
        ReaxmlFiles.generate(a, "x.xml", 3, 0);
        ReaxmlFiles.generate(b, "x.xml", 3, 0);
        FeedCheckpoint there;
        try (ListingFeed feed = ReaxmlFiles.open(TenantId.of("harbour"), "reaxml-au", a)) {
            there = feed.pull(FeedCheckpoint.START, 2).checkpoint();
        }
        try (ListingFeed feed = ReaxmlFiles.open(TenantId.of("harbour"), "reaxml-au", b)) {
            assertThatThrownBy(() -> feed.pull(there, 2)).isInstanceOf(GeoValidationException.class)
                    .hasMessageContaining("another source");
        }
    }

    @Test
    void settingsAreChecked() throws Exception {
        ListingFeedProvider provider = Providers.fromClassPath().select(ListingFeedProvider.class, "reaxml");
        FeedSubscription s = new FeedSubscription(TenantId.of("harbour"), "reaxml-au", ReaxmlFiles.AUD);
        assertThatThrownBy(() -> provider.open(s, ProviderContext.empty())).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("'directory'");
        assertThatThrownBy(() -> provider.open(s, ProviderContext.builder().setting("directory", "/no/such/dir")
                .build())).hasMessageContaining("names no directory");
        Path dir = Files.createTempDirectory("geo-mls-tz");
        assertThatThrownBy(() -> provider.open(s, ProviderContext.builder().setting("directory", dir.toString())
                .setting("time-zone", "Mars/Olympus").build())).hasMessageContaining("time-zone");
    }
}
