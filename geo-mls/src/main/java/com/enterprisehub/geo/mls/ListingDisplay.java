package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.localization.Area;
import com.enterprisehub.geo.localization.AreaKind;
import com.enterprisehub.geo.localization.AreaUnit;
import com.enterprisehub.geo.localization.MarketLocalizer;
import com.enterprisehub.geo.spi.listing.AreaUnits;
import com.enterprisehub.geo.spi.listing.Listing;
import java.util.Objects;
import java.util.Optional;
import org.javamoney.moneta.Money;

/**
 * A listing's price and areas the way its market shows them, through geo-localization's {@link MarketLocalizer}: the
 * price in the listing's currency with the locale's conventions, the living area and lot size converted to the
 * market's customary units ({@code 1,850 sq ft} in California, {@code 172 m²} in Australia). Immutable and thread-safe.
 *
 * <pre>{@code
 * ListingDisplay display = ListingDisplay.of(Localization.defaults().localizer(market));
 * display.price(listing).orElse("Price on request");
 * }</pre>
 */
public final class ListingDisplay {
    private final MarketLocalizer localizer;

    private ListingDisplay(MarketLocalizer localizer) {
        this.localizer = localizer;
    }

    /** A display for the localizer's market and locale. */
    public static ListingDisplay of(MarketLocalizer localizer) {
        return new ListingDisplay(Objects.requireNonNull(localizer, "localizer"));
    }

    /** {@code ListPrice} in the listing's currency, if the listing has one. */
    public Optional<String> price(Listing listing) {
        return listing.listPrice().map(p -> localizer.money(Money.of(p, listing.currency().getCurrencyCode())));
    }

    /** {@code LivingArea} in the market's units for floor areas, if the listing has one. */
    public Optional<String> livingArea(Listing listing) {
        return listing.livingArea().map(a -> localizer.area(area(a), AreaKind.FLOOR));
    }

    /** The lot size in the market's units for land, if the listing has one. */
    public Optional<String> lotSize(Listing listing) {
        return listing.lotSize().map(a -> localizer.area(area(a), AreaKind.LAND));
    }

    private static Area area(com.enterprisehub.geo.spi.listing.Area a) {
        return new Area(a.value(), unit(a.units()));
    }

    private static AreaUnit unit(AreaUnits units) {
        return switch (units) {
            case SQUARE_FEET -> AreaUnit.SQUARE_FOOT;
            case SQUARE_METERS -> AreaUnit.SQUARE_METRE;
            case ACRES -> AreaUnit.ACRE;
            case HECTARES -> AreaUnit.HECTARE;
        };
    }
}
