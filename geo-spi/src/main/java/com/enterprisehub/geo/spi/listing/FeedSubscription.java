package com.enterprisehub.geo.spi.listing;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.Currency;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which feed is opened for which tenant, and the market's currency its prices are in (RESO has no currency field).
 * The feed's credentials are in the cloud's {@link com.enterprisehub.geo.spi.cloud.SecretStore}: the tenant's own under
 * {@link #secretPrefix()}, else the feed's shared ones ({@link FeedSecrets}). Immutable.
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
     * Where the tenant's own credentials for this feed are in the secret store: {@code mls/<feedId>/<tenant>}
     * ({@link FeedSecrets#tenantPrefix}); a provider reads {@link ListingFeedProvider#secretNames()} below it, or
     * below the feed's shared {@link FeedSecrets#feedPrefix} when the tenant has none ({@link FeedSecrets#read}).
     */
    public String secretPrefix() {
        return FeedSecrets.tenantPrefix(feedId, tenant);
    }
}
