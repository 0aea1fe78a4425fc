package com.enterprisehub.geo.spi.listing;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.Currency;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which feed is opened for which tenant, and the market's currency its prices are in (RESO has no currency field).
 * The feed's credentials are the tenant's, in the cloud's {@link com.enterprisehub.geo.spi.cloud.SecretStore} under
 * {@link #secretPrefix()}. Immutable.
 *
 * @param tenant the tenant the listings belong to
 * @param feedId the market's MLS integration id ({@code MlsIntegration.id()}, "crmls")
 * @param currency the market's currency
 */
public record FeedSubscription(TenantId tenant, String feedId, Currency currency) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,39}");

    /**
     * Checks the values.
     *
     * @throws GeoValidationException if the feed id is not an MLS integration id
     */
    public FeedSubscription {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(currency, "currency");
        if (feedId == null || !ID.matcher(feedId).matches()) {
            throw new GeoValidationException("A feed id is an MLS integration id: 2 to 40 lowercase letters, digits"
                    + " or hyphens, starting with a letter; got '" + feedId + "'.");
        }
    }

    /**
     * Where the tenant's credentials for this feed are in the secret store: {@code mls/<feedId>/<tenant>}; a provider
     * documents the names it reads below it ({@code .../client-id}, {@code .../client-secret}).
     */
    public String secretPrefix() {
        return "mls/" + feedId + "/" + tenant.value();
    }
}
