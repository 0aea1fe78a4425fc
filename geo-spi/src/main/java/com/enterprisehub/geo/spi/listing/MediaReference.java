package com.enterprisehub.geo.spi.listing;

import com.enterprisehub.geo.core.GeoValidationException;
import java.net.URI;
import java.util.Objects;

/**
 * A reference to a listing's photo or document, RESO Data Dictionary 2.0 Media resource fields {@code MediaKey},
 * {@code MediaURL} and {@code Order}. The SDK stores the reference, never the file. Immutable.
 *
 * @param mediaKey the media record's key at the source
 * @param mediaUrl where the file is (http or https)
 * @param order its position among the listing's media, from 0
 */
public record MediaReference(String mediaKey, URI mediaUrl, int order) {
    /**
     * Checks the reference.
     *
     * @throws GeoValidationException if the key is blank, the URL is not absolute http(s), or the order negative
     */
    public MediaReference {
        if (mediaKey == null || mediaKey.isBlank()) {
            throw new GeoValidationException("A media reference needs a MediaKey.");
        }
        Objects.requireNonNull(mediaUrl, "mediaUrl");
        if (!"https".equals(mediaUrl.getScheme()) && !"http".equals(mediaUrl.getScheme())) {
            throw new GeoValidationException("Media '" + mediaKey + "' needs an http or https MediaURL; got '"
                    + mediaUrl + "'.");
        }
        if (order < 0) {
            throw new GeoValidationException("Media '" + mediaKey + "' has a negative Order (" + order + ").");
        }
    }
}
