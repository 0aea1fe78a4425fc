package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.spi.listing.Area;
import com.enterprisehub.geo.spi.listing.AreaUnits;
import com.enterprisehub.geo.spi.listing.GeoPoint;
import com.enterprisehub.geo.spi.listing.Listing;
import com.enterprisehub.geo.spi.listing.ListingAddress;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import com.enterprisehub.geo.spi.listing.MediaReference;
import com.enterprisehub.geo.spi.listing.StandardStatus;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/** Generated listings for the tests: deterministic from their number. */
final class Listings {
    static final Currency USD = Currency.getInstance("USD");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private Listings() {
    }

    static Listing listing(String key, Instant modified, long price) {
        return Listing.builder(key, StandardStatus.ACTIVE, modified, USD).listingId("ML" + key)
                .propertyType("Residential").propertySubType("SingleFamilyResidence")
                .listPrice(BigDecimal.valueOf(price)).bedroomsTotal(3).bathroomsTotalInteger(2)
                .livingArea(new Area(new BigDecimal("1850"), AreaUnits.SQUARE_FEET))
                .lotSize(new Area(new BigDecimal("0.25"), AreaUnits.ACRES))
                .address(ListingAddress.of("1 Main St", "Sacramento", "CA", "95814", "US"))
                .location(new GeoPoint(38.58, -121.49))
                .media(new MediaReference("m-" + key, URI.create("https://photos.example.com/" + key + ".jpg"), 0))
                .build();
    }

    /**
     * {@code count} records: listing {@code i} is key {@code prefix-i}; every 50th is a removal (Withdrawn), every
     * 100th (from 7) a rejected record.
     */
    static List<ListingRecord> records(String prefix, int count) {
        List<ListingRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant at = T0.plusSeconds(i);
            String key = prefix + "-" + i;
            if (i % 100 == 7) {
                records.add(new ListingRecord.Rejected(Optional.of(key), "ListPrice is negative",
                        "{\"ListingKey\":\"" + key + "\",\"ListPrice\":-1}"));
            } else if (i % 50 == 3) {
                records.add(new ListingRecord.Removal(key, at, StandardStatus.WITHDRAWN));
            } else {
                records.add(new ListingRecord.Upsert(listing(key, at, 500_000 + i)));
            }
        }
        return records;
    }

    static long rejected(List<ListingRecord> records) {
        return records.stream().filter(r -> r instanceof ListingRecord.Rejected).count();
    }

    static long removals(List<ListingRecord> records) {
        return records.stream().filter(r -> r instanceof ListingRecord.Removal).count();
    }
}
