package com.enterprisehub.geo.spi.listing;

import com.enterprisehub.geo.core.GeoValidationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A listing, normalised from the RESO Data Dictionary 2.0 Property resource
 * (<a href="https://ddwiki.reso.org/display/DDW20/Property+Resource">DD 2.0: Property</a>). Components carry the DD
 * field names in camel case: {@code ListingKey}, {@code ListingId}, {@code StandardStatus},
 * {@code ModificationTimestamp}, {@code PropertyType}, {@code PropertySubType}, {@code ListPrice},
 * {@code BedroomsTotal}, {@code BathroomsTotalInteger}, {@code LivingArea} + {@code LivingAreaUnits},
 * {@code LotSizeArea} + {@code LotSizeUnits}, the address fields ({@link ListingAddress}), {@code Latitude} +
 * {@code Longitude} ({@link GeoPoint}) and the Media resource ({@link MediaReference}). RESO has no currency field:
 * {@link #currency()} is the currency of the market the feed belongs to.
 *
 * <p>Immutable; the constructor checks every value (a provider turns the {@link GeoValidationException} of a bad
 * record into a {@link ListingRecord.Rejected} with its message as the reason).
 *
 * @param listingKey {@code ListingKey}: the record's unique key at the source, 1 to 255 characters
 * @param listingId {@code ListingId}: the number people use to find the listing
 * @param standardStatus {@code StandardStatus}
 * @param modificationTimestamp {@code ModificationTimestamp}: when the source last changed the record
 * @param propertyType {@code PropertyType} ("Residential", "ResidentialLease", "Land", ...)
 * @param propertySubType {@code PropertySubType} ("SingleFamilyResidence", "Condominium", ...)
 * @param listPrice {@code ListPrice}, in {@link #currency()}, zero or more
 * @param currency the market's currency (ISO 4217)
 * @param bedroomsTotal {@code BedroomsTotal}, zero or more
 * @param bathroomsTotalInteger {@code BathroomsTotalInteger}, zero or more
 * @param livingArea {@code LivingArea} with {@code LivingAreaUnits}
 * @param lotSize {@code LotSizeArea} with {@code LotSizeUnits}
 * @param address the address
 * @param location {@code Latitude} and {@code Longitude}
 * @param media the listing's media, by {@code Order}
 */
public record Listing(String listingKey, Optional<String> listingId, StandardStatus standardStatus,
        Instant modificationTimestamp, Optional<String> propertyType, Optional<String> propertySubType,
        Optional<BigDecimal> listPrice, Currency currency, OptionalInt bedroomsTotal,
        OptionalInt bathroomsTotalInteger, Optional<Area> livingArea, Optional<Area> lotSize, ListingAddress address,
        Optional<GeoPoint> location, List<MediaReference> media) {
    /** The longest {@code ListingKey} accepted (the DD's maximum length for the field). */
    public static final int MAX_KEY_LENGTH = 255;
    /** ListPrice is below 10^14 with at most 2 decimals (what the listing table's {@code numeric(16,2)} holds). */
    public static final BigDecimal PRICE_LIMIT = BigDecimal.TEN.pow(14);
    /** LivingArea is below 10^12 with at most 2 decimals ({@code numeric(14,2)}). */
    public static final BigDecimal LIVING_AREA_LIMIT = BigDecimal.TEN.pow(12);
    /** LotSizeArea is below 10^12 with at most 4 decimals ({@code numeric(16,4)}). */
    public static final BigDecimal LOT_SIZE_LIMIT = BigDecimal.TEN.pow(12);

    /**
     * Checks the listing.
     *
     * @throws GeoValidationException naming the listing and the value at fault (an amount beyond
     *     {@link #PRICE_LIMIT}, {@link #LIVING_AREA_LIMIT} or {@link #LOT_SIZE_LIMIT}, or with more decimals, included)
     */
    public Listing {
        checkKey(listingKey);
        Objects.requireNonNull(listingId, "listingId");
        Objects.requireNonNull(standardStatus, "standardStatus");
        Objects.requireNonNull(modificationTimestamp, "modificationTimestamp");
        Objects.requireNonNull(propertyType, "propertyType");
        Objects.requireNonNull(propertySubType, "propertySubType");
        Objects.requireNonNull(listPrice, "listPrice");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(bedroomsTotal, "bedroomsTotal");
        Objects.requireNonNull(bathroomsTotalInteger, "bathroomsTotalInteger");
        Objects.requireNonNull(livingArea, "livingArea");
        Objects.requireNonNull(lotSize, "lotSize");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(location, "location");
        media = List.copyOf(Objects.requireNonNull(media, "media"));
        if (listPrice.isPresent() && listPrice.get().signum() < 0) {
            throw new GeoValidationException("Listing '" + listingKey + "' has a negative ListPrice ("
                    + listPrice.get().toPlainString() + ").");
        }
        if (listPrice.isPresent()) {
            checkAmount(listingKey, "ListPrice", listPrice.get(), PRICE_LIMIT, 2);
        }
        if (livingArea.isPresent()) {
            checkAmount(listingKey, "LivingArea", livingArea.get().value(), LIVING_AREA_LIMIT, 2);
        }
        if (lotSize.isPresent()) {
            checkAmount(listingKey, "LotSizeArea", lotSize.get().value(), LOT_SIZE_LIMIT, 4);
        }
        if (bedroomsTotal.isPresent() && bedroomsTotal.getAsInt() < 0) {
            throw new GeoValidationException("Listing '" + listingKey + "' has a negative BedroomsTotal.");
        }
        if (bathroomsTotalInteger.isPresent() && bathroomsTotalInteger.getAsInt() < 0) {
            throw new GeoValidationException("Listing '" + listingKey + "' has a negative BathroomsTotalInteger.");
        }
        if (livingArea.isPresent() && livingArea.get().units() != AreaUnits.SQUARE_FEET
                && livingArea.get().units() != AreaUnits.SQUARE_METERS) {
            throw new GeoValidationException("Listing '" + listingKey + "' gives its LivingArea in "
                    + livingArea.get().units().resoName() + "; LivingAreaUnits is SquareFeet or SquareMeters.");
        }
    }

    private static void checkAmount(String listingKey, String field, BigDecimal value, BigDecimal limit, int scale) {
        if (value.abs().compareTo(limit) >= 0 || value.stripTrailingZeros().scale() > scale) {
            String shown = value.abs().compareTo(limit) >= 0 ? value.toEngineeringString()
                    : value.toPlainString().substring(0, Math.min(40, value.toPlainString().length()));
            throw new GeoValidationException("Listing '" + listingKey + "' has a " + field + " (" + shown
                    + ") out of range: below " + limit.toPlainString() + " with at most " + scale + " decimals.");
        }
    }

    /**
     * Checks a {@code ListingKey}: 1 to {@value #MAX_KEY_LENGTH} characters, no control characters, not blank.
     *
     * @return the key
     * @throws GeoValidationException if it is not such a key
     */
    public static String checkKey(String listingKey) {
        if (listingKey == null || listingKey.isBlank() || listingKey.length() > MAX_KEY_LENGTH
                || listingKey.chars().anyMatch(Character::isISOControl)) {
            throw new GeoValidationException("A ListingKey is 1 to " + MAX_KEY_LENGTH + " characters, not blank and"
                    + " without control characters; got " + (listingKey == null ? "none" : "'"
                    + listingKey.substring(0, Math.min(40, listingKey.length())).replaceAll("\\p{Cntrl}", "?")
                    + "'") + ".");
        }
        return listingKey;
    }

    /** A builder of a listing with the required values; the others are absent until set. */
    public static Builder builder(String listingKey, StandardStatus status, Instant modificationTimestamp,
            Currency currency) {
        return new Builder(listingKey, status, modificationTimestamp, currency);
    }

    /** Builds a {@link Listing}; the values are checked by {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final String listingKey;
        private final StandardStatus status;
        private final Instant modificationTimestamp;
        private final Currency currency;
        private String listingId;
        private String propertyType;
        private String propertySubType;
        private BigDecimal listPrice;
        private Integer bedrooms;
        private Integer bathrooms;
        private Area livingArea;
        private Area lotSize;
        private ListingAddress address = ListingAddress.UNKNOWN;
        private GeoPoint location;
        private final List<MediaReference> media = new ArrayList<>();

        private Builder(String listingKey, StandardStatus status, Instant modificationTimestamp, Currency currency) {
            this.listingKey = listingKey;
            this.status = status;
            this.modificationTimestamp = modificationTimestamp;
            this.currency = currency;
        }

        /** {@code ListingId}. */
        public Builder listingId(String value) {
            this.listingId = value;
            return this;
        }

        /** {@code PropertyType}. */
        public Builder propertyType(String value) {
            this.propertyType = value;
            return this;
        }

        /** {@code PropertySubType}. */
        public Builder propertySubType(String value) {
            this.propertySubType = value;
            return this;
        }

        /** {@code ListPrice}, in the listing's currency. */
        public Builder listPrice(BigDecimal value) {
            this.listPrice = value;
            return this;
        }

        /** {@code BedroomsTotal}. */
        public Builder bedroomsTotal(Integer value) {
            this.bedrooms = value;
            return this;
        }

        /** {@code BathroomsTotalInteger}. */
        public Builder bathroomsTotalInteger(Integer value) {
            this.bathrooms = value;
            return this;
        }

        /** {@code LivingArea} with its units. */
        public Builder livingArea(Area value) {
            this.livingArea = value;
            return this;
        }

        /** {@code LotSizeArea} with its units. */
        public Builder lotSize(Area value) {
            this.lotSize = value;
            return this;
        }

        /** The address. */
        public Builder address(ListingAddress value) {
            this.address = Objects.requireNonNull(value, "address");
            return this;
        }

        /** {@code Latitude} and {@code Longitude}. */
        public Builder location(GeoPoint value) {
            this.location = value;
            return this;
        }

        /** Adds a media reference. */
        public Builder media(MediaReference value) {
            this.media.add(Objects.requireNonNull(value, "media"));
            return this;
        }

        /**
         * The listing.
         *
         * @throws GeoValidationException if a value is invalid
         */
        public Listing build() {
            return new Listing(listingKey, Optional.ofNullable(listingId).filter(s -> !s.isBlank()), status,
                    modificationTimestamp, Optional.ofNullable(propertyType).filter(s -> !s.isBlank()),
                    Optional.ofNullable(propertySubType).filter(s -> !s.isBlank()), Optional.ofNullable(listPrice),
                    currency, bedrooms == null ? OptionalInt.empty() : OptionalInt.of(bedrooms),
                    bathrooms == null ? OptionalInt.empty() : OptionalInt.of(bathrooms),
                    Optional.ofNullable(livingArea), Optional.ofNullable(lotSize), address,
                    Optional.ofNullable(location), media);
        }
    }
}
