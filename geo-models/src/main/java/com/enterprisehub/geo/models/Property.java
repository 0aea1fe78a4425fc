package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.localization.Area;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A residential property as a valuation model sees it.
 *
 * @param market its market
 * @param jurisdiction where it is (one of the market's jurisdictions)
 * @param city its city, when it is in one of the market's cities
 * @param floorArea its floor area in any unit (the encoder converts to square metres)
 * @param bedrooms bedrooms, 0 to 50
 * @param bathrooms bathrooms, 0 to 50
 * @param yearBuilt the year it was built, 1500 or later
 * @param listedOn the day it was listed (or valued)
 */
public record Property(MarketId market, Jurisdiction jurisdiction, Optional<String> city, Area floorArea, int bedrooms,
        int bathrooms, int yearBuilt, LocalDate listedOn) {

    public Property {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(jurisdiction, "jurisdiction");
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(floorArea, "floorArea");
        Objects.requireNonNull(listedOn, "listedOn");
        if (floorArea.value().signum() <= 0) {
            throw new GeoValidationException("A floor area must be positive; got " + floorArea + ".");
        }
        if (bedrooms < 0 || bedrooms > 50 || bathrooms < 0 || bathrooms > 50) {
            throw new GeoValidationException("bedrooms and bathrooms must be in [0, 50]; got " + bedrooms + " and "
                    + bathrooms + ".");
        }
        if (yearBuilt < 1500 || yearBuilt > listedOn.getYear() + 5) {
            throw new GeoValidationException("yearBuilt must be between 1500 and five years after listing; got "
                    + yearBuilt + ".");
        }
    }

    /** A builder for a property in {@code market} and {@code jurisdiction} ({@code AU-NSW}). */
    public static Builder builder(MarketId market, String jurisdiction) {
        return new Builder(market, Jurisdiction.of(jurisdiction));
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private final MarketId market;
        private final Jurisdiction jurisdiction;
        private String city;
        private Area floorArea;
        private int bedrooms;
        private int bathrooms;
        private int yearBuilt;
        private LocalDate listedOn;

        private Builder(MarketId market, Jurisdiction jurisdiction) {
            this.market = Objects.requireNonNull(market, "market");
            this.jurisdiction = jurisdiction;
        }

        /** Its city. */
        public Builder city(String city) {
            this.city = city;
            return this;
        }

        /** Its floor area. */
        public Builder floorArea(Area floorArea) {
            this.floorArea = floorArea;
            return this;
        }

        /** Bedrooms. */
        public Builder bedrooms(int bedrooms) {
            this.bedrooms = bedrooms;
            return this;
        }

        /** Bathrooms. */
        public Builder bathrooms(int bathrooms) {
            this.bathrooms = bathrooms;
            return this;
        }

        /** The year built. */
        public Builder yearBuilt(int yearBuilt) {
            this.yearBuilt = yearBuilt;
            return this;
        }

        /** The day listed. */
        public Builder listedOn(LocalDate listedOn) {
            this.listedOn = listedOn;
            return this;
        }

        /**
         * The property.
         *
         * @throws GeoValidationException if the area, year or date is missing or a value is invalid
         */
        public Property build() {
            if (floorArea == null || listedOn == null || yearBuilt == 0) {
                throw new GeoValidationException("A property needs floorArea, yearBuilt and listedOn; set them.");
            }
            return new Property(market, jurisdiction, Optional.ofNullable(city), floorArea, bedrooms, bathrooms,
                    yearBuilt, listedOn);
        }
    }
}
