package com.enterprisehub.geo.spi.listing;

import java.util.Objects;
import java.util.Optional;

/**
 * A listing's address, RESO Data Dictionary 2.0 Property fields {@code UnparsedAddress}, {@code City},
 * {@code StateOrProvince}, {@code PostalCode} and {@code Country} (ISO 3166-1 alpha-2). Every part is optional,
 * as feeds withhold addresses (RESO {@code InternetAddressDisplayYN}). Immutable.
 *
 * @param unparsedAddress the street address as one line
 * @param city the city
 * @param stateOrProvince the state or province code ("CA", "ON", "NSW")
 * @param postalCode the postal code
 * @param country the country code ("US", "CA", "AU", "GB")
 */
public record ListingAddress(Optional<String> unparsedAddress, Optional<String> city, Optional<String> stateOrProvince,
        Optional<String> postalCode, Optional<String> country) {
    /** An address with no part known. */
    public static final ListingAddress UNKNOWN = new ListingAddress(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    /** Checks that no part is null; blank parts become empty. */
    public ListingAddress {
        unparsedAddress = clean(unparsedAddress, "unparsedAddress");
        city = clean(city, "city");
        stateOrProvince = clean(stateOrProvince, "stateOrProvince");
        postalCode = clean(postalCode, "postalCode");
        country = clean(country, "country");
    }

    /** An address of these parts, each of which may be null or blank when unknown. */
    public static ListingAddress of(String unparsedAddress, String city, String stateOrProvince, String postalCode,
            String country) {
        return new ListingAddress(Optional.ofNullable(unparsedAddress), Optional.ofNullable(city),
                Optional.ofNullable(stateOrProvince), Optional.ofNullable(postalCode), Optional.ofNullable(country));
    }

    private static Optional<String> clean(Optional<String> part, String name) {
        return Objects.requireNonNull(part, name).map(String::strip).filter(s -> !s.isEmpty());
    }
}
