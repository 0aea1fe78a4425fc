package com.enterprisehub.geo.mls.internal;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.listing.Area;
import com.enterprisehub.geo.spi.listing.AreaUnits;
import com.enterprisehub.geo.spi.listing.GeoPoint;
import com.enterprisehub.geo.spi.listing.Listing;
import com.enterprisehub.geo.spi.listing.ListingAddress;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import com.enterprisehub.geo.spi.listing.MediaReference;
import com.enterprisehub.geo.spi.listing.StandardStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * Reads one RESO Web API Property entity (OData JSON) into a {@link ListingRecord}. Field names are the RESO Data
 * Dictionary 2.0's. A record that fails validation becomes {@link ListingRecord.Rejected} with the reason.
 */
final class ResoJson {
    /** The fields requested with {@code $select}: what the listing model reads. */
    static final List<String> SELECT = List.of("ListingKey", "ListingId", "StandardStatus", "ModificationTimestamp",
            "PropertyType", "PropertySubType", "ListPrice", "BedroomsTotal", "BathroomsTotalInteger", "LivingArea",
            "LivingAreaUnits", "LotSizeArea", "LotSizeUnits", "UnparsedAddress", "City", "StateOrProvince", "PostalCode",
            "Country", "Latitude", "Longitude");

    private ResoJson() {
    }

    /** The record's {@code ModificationTimestamp} and {@code ListingKey} when both are valid (for the checkpoint). */
    record Position(Instant modified, String key) {
    }

    static Optional<Position> position(JsonNode node) {
        try {
            String key = Listing.checkKey(text(node, "ListingKey").orElse(null));
            Optional<String> ts = text(node, "ModificationTimestamp");
            return ts.map(t -> new Position(OffsetDateTime.parse(t).toInstant(), key));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    static ListingRecord read(JsonNode node, Currency currency) {
        Optional<String> key = Optional.empty();
        try {
            String listingKey = Listing.checkKey(text(node, "ListingKey").orElse(null));
            key = Optional.of(listingKey);
            Instant modified = text(node, "ModificationTimestamp").map(t -> OffsetDateTime.parse(t).toInstant())
                    .orElseThrow(() -> new GeoValidationException("ModificationTimestamp is missing."));
            String statusText = text(node, "StandardStatus")
                    .orElseThrow(() -> new GeoValidationException("StandardStatus is missing."));
            StandardStatus status = StandardStatus.fromReso(statusText).orElseThrow(() -> new GeoValidationException(
                    "StandardStatus '" + statusText + "' is not a RESO Data Dictionary value."));
            if (status == StandardStatus.DELETE) {
                return new ListingRecord.Removal(listingKey, modified, status);
            }
            Listing.Builder b = Listing.builder(listingKey, status, modified, currency)
                    .listingId(text(node, "ListingId").orElse(null))
                    .propertyType(text(node, "PropertyType").map(ResoJson::propertyType).orElse(null))
                    .propertySubType(text(node, "PropertySubType").orElse(null))
                    .listPrice(decimal(node, "ListPrice").orElse(null))
                    .bedroomsTotal(integer(node, "BedroomsTotal"))
                    .bathroomsTotalInteger(integer(node, "BathroomsTotalInteger"))
                    .livingArea(area(node, "LivingArea", "LivingAreaUnits").orElse(null))
                    .lotSize(area(node, "LotSizeArea", "LotSizeUnits").orElse(null))
                    .address(ListingAddress.of(text(node, "UnparsedAddress").orElse(null),
                            text(node, "City").orElse(null), text(node, "StateOrProvince").orElse(null),
                            text(node, "PostalCode").orElse(null), text(node, "Country").orElse(null)));
            JsonNode media = node.get("Media");
            if (media != null && media.isArray()) {
                int position = 0;
                for (JsonNode m : media) {
                    String url = text(m, "MediaURL").orElseThrow(() -> new GeoValidationException(
                            "A Media record without MediaURL."));
                    URI uri;
                    try {
                        uri = new URI(url);
                    } catch (URISyntaxException e) {
                        throw new GeoValidationException("MediaURL '" + url + "' is not a URL.");
                    }
                    Integer order = integer(m, "Order");
                    b.media(new MediaReference(text(m, "MediaKey").orElse(listingKey + "-" + position), uri,
                            order == null ? position : order));
                    position++;
                }
            }
            Optional<BigDecimal> lat = decimal(node, "Latitude");
            Optional<BigDecimal> lon = decimal(node, "Longitude");
            if (lat.isPresent() && lon.isPresent()) {
                b.location(new GeoPoint(lat.get().doubleValue(), lon.get().doubleValue()));
            }
            return new ListingRecord.Upsert(b.build());
        } catch (GeoValidationException e) {
            return new ListingRecord.Rejected(key, e.getMessage(), node.toString());
        } catch (DateTimeParseException e) {
            return new ListingRecord.Rejected(key, "ModificationTimestamp is not an ISO-8601 date-time with offset.",
                    node.toString());
        } catch (RuntimeException e) {
            // Whatever else one record does (a number beyond a double's range, ...), it is that record's fault.
            return new ListingRecord.Rejected(key, "The record could not be read (" + e.getClass().getSimpleName()
                    + ").", node.toString());
        }
    }

    /**
     * The DD 2.0 {@code PropertyType} lookup values
     * (<a href="https://ddwiki.reso.org/display/DDW20/PropertyType+Field">DD 2.0: PropertyType</a>), by their
     * compact names; a server may send the display names with spaces ("Residential Lease").
     */
    static final java.util.Set<String> PROPERTY_TYPES = java.util.Set.of("BusinessOpportunity", "CommercialLease",
            "CommercialSale", "Farm", "Land", "ManufacturedInPark", "Residential", "ResidentialIncome",
            "ResidentialLease");

    /** A PropertyType as its compact lookup name when it is one with spaces; otherwise as sent (a local value). */
    static String propertyType(String value) {
        String compact = value.replace(" ", "");
        return PROPERTY_TYPES.contains(compact) ? compact : value;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new GeoValidationException(field + " must be a string; got " + v.getNodeType() + ".");
        }
        return Optional.of(v.asText());
    }

    private static Optional<BigDecimal> decimal(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isNumber()) {
            throw new GeoValidationException(field + " must be a number; got " + v.getNodeType() + ".");
        }
        return Optional.of(v.decimalValue());
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new GeoValidationException(field + " must be a whole number; got " + v + ".");
        }
        return v.intValue();
    }

    private static Optional<Area> area(JsonNode node, String field, String unitsField) {
        Optional<BigDecimal> value = decimal(node, field);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String unitsText = text(node, unitsField).orElseThrow(() -> new GeoValidationException(field + " is given"
                + " without " + unitsField + "."));
        AreaUnits units = AreaUnits.fromReso(unitsText).orElseThrow(() -> new GeoValidationException(unitsField
                + " '" + unitsText + "' is not a unit the SDK knows (SquareFeet, SquareMeters, Acres, Hectares)."));
        return Optional.of(new Area(value.get(), units));
    }
}
