package com.enterprisehub.geo.mls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.spi.listing.ListingRecord;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Currency;
import org.junit.jupiter.api.Test;

/** One bad RESO record becomes a rejected record, never an exception that stops the feed. */
class ResoJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Currency USD = Currency.getInstance("USD");

    private static ListingRecord read(String fields) throws Exception {
        return ResoJson.read(JSON.readTree("{\"ListingKey\":\"K1\",\"ModificationTimestamp\":\"2026-05-01T00:00:00Z\","
                + "\"StandardStatus\":\"Active\"," + fields + "}"), USD);
    }

    @Test
    void aNumberBeyondDoubleIsRejectedNotThrown() throws Exception {
        ListingRecord r = read("\"Latitude\":1e400,\"Longitude\":1");
        assertThat(r).isInstanceOf(ListingRecord.Rejected.class);
        assertThat(((ListingRecord.Rejected) r).key()).contains("K1");
    }

    @Test
    void aPriceTheTablesCannotHoldIsRejected() throws Exception {
        assertThat(read("\"ListPrice\":123456789012345678")).isInstanceOf(ListingRecord.Rejected.class);
        assertThat(read("\"ListPrice\":1.005")).isInstanceOf(ListingRecord.Rejected.class);
        assertThat(read("\"LivingArea\":1e13,\"LivingAreaUnits\":\"SquareFeet\""))
                .isInstanceOf(ListingRecord.Rejected.class);
        assertThat(read("\"LotSizeArea\":0.00001,\"LotSizeUnits\":\"Acres\""))
                .isInstanceOf(ListingRecord.Rejected.class);
        assertThat(read("\"ListPrice\":99999999999999.99,\"LotSizeArea\":0.1234,\"LotSizeUnits\":\"Acres\""))
                .isInstanceOf(ListingRecord.Upsert.class);
    }

    @Test
    void theDataDictionarysSpacedSpellingsAreRead() throws Exception {
        ListingRecord r = ResoJson.read(JSON.readTree("{\"ListingKey\":\"K2\",\"ModificationTimestamp\":"
                + "\"2026-05-01T00:00:00Z\",\"StandardStatus\":\"Active Under Contract\","
                + "\"PropertyType\":\"Residential Lease\"}"), USD);
        com.enterprisehub.geo.spi.listing.Listing listing = ((ListingRecord.Upsert) r).listing();
        assertThat(listing.standardStatus())
                .isEqualTo(com.enterprisehub.geo.spi.listing.StandardStatus.ACTIVE_UNDER_CONTRACT);
        assertThat(listing.propertyType()).contains("ResidentialLease");
        assertThat(com.enterprisehub.geo.spi.listing.StandardStatus.fromReso("Coming Soon"))
                .contains(com.enterprisehub.geo.spi.listing.StandardStatus.COMING_SOON);
        assertThat(com.enterprisehub.geo.spi.listing.StandardStatus.fromReso("Coming  Soon!")).isEmpty();
    }
}
