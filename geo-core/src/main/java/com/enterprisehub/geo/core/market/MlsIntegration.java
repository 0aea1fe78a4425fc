package com.enterprisehub.geo.core.market;

import com.enterprisehub.geo.core.GeoValidationException;
import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A listing feed (an MLS or a portal) a market declares it integrates with.
 *
 * @param id a short lowercase id, unique within the market ("crmls")
 * @param name the feed's name ("California Regional Multiple Listing Service")
 * @param protocol how the feed is read
 * @param website the operator's public web site
 */
public record MlsIntegration(String id, String name, FeedProtocol protocol, URI website) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,39}");

    public MlsIntegration {
        if (id == null || !ID.matcher(id).matches()) {
            throw new GeoValidationException("An MLS integration id is 2 to 40 lowercase letters, digits or hyphens,"
                    + " starting with a letter; got '" + id + "'.");
        }
        if (name == null || name.isBlank()) {
            throw new GeoValidationException("MLS integration '" + id + "' needs a name.");
        }
        Objects.requireNonNull(protocol, "protocol");
        if (website == null || !"https".equals(website.getScheme())) {
            throw new GeoValidationException("MLS integration '" + id + "' needs an https:// web site; got "
                    + website + ".");
        }
    }
}
