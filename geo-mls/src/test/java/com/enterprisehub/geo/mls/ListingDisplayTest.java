package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.localization.Localization;
import com.enterprisehub.geo.spi.listing.Area;
import com.enterprisehub.geo.spi.listing.AreaUnits;
import com.enterprisehub.geo.spi.listing.Listing;
import com.enterprisehub.geo.spi.listing.StandardStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import org.junit.jupiter.api.Test;

/** Listings shown in their market's currency and area units. */
class ListingDisplayTest {
    private static final MarketCatalog MARKETS = MarketCatalog.defaults();
    private static final Localization L10N = Localization.defaults();

    private static ListingDisplay display(String market) {
        return ListingDisplay.of(L10N.localizer(MARKETS.require(MarketId.of(market))));
    }

    @Test
    void aCaliforniaListingInSquareFeetAndDollars() {
        Listing l = Listing.builder("k1", StandardStatus.ACTIVE, Instant.EPOCH, Currency.getInstance("USD"))
                .listPrice(new BigDecimal("1250000")).livingArea(new Area(new BigDecimal("1850"), AreaUnits.SQUARE_FEET))
                .lotSize(new Area(new BigDecimal("0.25"), AreaUnits.ACRES)).build();
        ListingDisplay us = display("us-ca");
        assertThat(us.price(l)).hasValueSatisfying(p -> assertThat(p).contains("$").contains("1,250,000"));
        assertThat(us.livingArea(l)).contains("1,850 sq ft");
        assertThat(us.lotSize(l)).contains("10,890 sq ft"); // a quarter acre: below the market's switch to acres
    }

    @Test
    void anAustralianListingGivenInSquareFeetIsShownInSquareMetres() {
        Listing l = Listing.builder("k2", StandardStatus.ACTIVE, Instant.EPOCH, Currency.getInstance("AUD"))
                .livingArea(new Area(new BigDecimal("1850"), AreaUnits.SQUARE_FEET)).build();
        ListingDisplay au = display("au");
        assertThat(au.livingArea(l)).contains("172 m²"); // 1,850 ft² = 171.87 m²
        assertThat(au.price(l)).isEmpty();
    }
}
