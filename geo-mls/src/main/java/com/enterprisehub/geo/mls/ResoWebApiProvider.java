package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.FeedProtocol;
import com.enterprisehub.geo.mls.internal.ResoWebApiFeed;
import com.enterprisehub.geo.mls.internal.SafeUrls;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spi.listing.FeedSecrets;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedProvider;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code reso-web-api} listing-feed provider: a RESO Web API (OData v4) {@code Property} feed with OAuth2 client
 * credentials. Settings:
 * <ul>
 *   <li>{@code service-url} (required): the OData service root ({@code https://api.example-mls.com/reso/odata});</li>
 *   <li>{@code token-url} (required): the OAuth2 token endpoint;</li>
 *   <li>{@code resource}: the entity set, default {@code Property};</li>
 *   <li>{@code scope}: the OAuth2 scope, if the server wants one;</li>
 *   <li>{@code max-retries}: attempts after the first for a request, 0 to 20, default 6;</li>
 *   <li>{@code max-retry-wait}: the longest {@code Retry-After} honoured, ISO-8601, default {@code PT2M}, at most
 *       {@code PT15M};</li>
 *   <li>{@code request-timeout}: the longest wait for one whole answer (headers and body), default {@code PT30S},
 *       at most {@code PT10M};</li>
 *   <li>{@code min-request-interval}: the least time between two requests (the MLS's rate limit), default none, at
 *       most {@code PT1M};</li>
 *   <li>{@code max-response-size}: the largest answer body read, in bytes, default 64 MiB (67108864), 1,000 to
 *       1 GiB;</li>
 *   <li>{@code max-pull-time}: the longest one pull may take, retries and waits included, default {@code PT15M},
 *       at most {@code PT6H};</li>
 *   <li>{@code expand-media}: {@code true} to read each listing's RESO Media records with
 *       {@code $expand=Media($select=MediaKey,MediaURL,Order)}, default {@code false}.</li>
 * </ul>
 * The URLs must be {@code https}, except on a loopback address (tests), with no user name or password (refused:
 * credentials belong in the secret store), query or fragment; messages show a URL as {@code scheme://host:port/path}
 * only. Every setting is checked before the secrets are read. The credentials are read from the
 * {@link SecretStore} given as {@code context.object(SecretStore.class)}, where {@link FeedSecrets} says: the
 * tenant's own {@code mls/<feed>/<tenant>/client-id} and {@code .../client-secret}, else the feed's
 * {@code mls/<feed>/client-id} and {@code .../client-secret}. Thread-safe; each feed
 * it opens is used by one replicator at a time.
 */
public final class ResoWebApiProvider implements ListingFeedProvider {
    private static final String WHO = "the reso-web-api listing feed";
    private static final Set<String> SETTINGS = Set.of("service-url", "token-url", "resource", "scope", "max-retries",
            "max-retry-wait", "request-timeout", "min-request-interval", "expand-media", "max-response-size",
            "max-pull-time", "overlap");

    /** For {@link java.util.ServiceLoader}. */
    public ResoWebApiProvider() {
    }

    @Override
    public String name() {
        return "reso-web-api";
    }

    @Override
    public FeedProtocol protocol() {
        return FeedProtocol.RESO_WEB_API;
    }

    @Override
    public ListingFeed open(FeedSubscription subscription, ProviderContext context) {
        context.refuseSettingsOtherThan(SETTINGS, WHO);
        URI service = url(context, "service-url", "the RESO Web API service root");
        URI token = url(context, "token-url", "the OAuth2 token endpoint");
        String resource = context.setting("resource").orElse("Property");
        if (!resource.matches("[A-Za-z][A-Za-z0-9_]{0,63}")) {
            throw new GeoValidationException("The setting 'resource' of " + WHO + " is an OData entity set name such as"
                    + " Property; got '" + resource + "'.");
        }
        Duration interval = context.setting("min-request-interval").isPresent()
                ? bounded(context, "min-request-interval", Duration.ZERO, Duration.ofMinutes(1)) : Duration.ZERO;
        // Every setting is checked before the secrets are read: a platform checks settings with no credentials.
        int maxRetries = context.intSetting("max-retries", 6, 0, 20, WHO);
        Duration maxRetryWait = bounded(context, "max-retry-wait", Duration.ofMinutes(2), Duration.ofMinutes(15));
        Duration requestTimeout = bounded(context, "request-timeout", Duration.ofSeconds(30), Duration.ofMinutes(10));
        boolean expandMedia = context.booleanSetting("expand-media", false, WHO);
        int maxResponseSize = context.intSetting("max-response-size", 64 << 20, 1_000, 1 << 30, WHO);
        Duration maxPullTime = bounded(context, "max-pull-time", Duration.ofMinutes(15), Duration.ofHours(6));
        Duration overlap = overlap(context);
        SecretStore secrets = context.requireObject(SecretStore.class, WHO, "where the tenant's feed credentials are");
        FeedSecrets.Found credentials = FeedSecrets.read(secrets, subscription, secretNames());
        return new ResoWebApiFeed(subscription, new ResoWebApiFeed.Settings(service, token, resource,
                context.setting("scope"), credentials.prefix(), credentials.value(FeedSecrets.CLIENT_ID),
                credentials.value(FeedSecrets.CLIENT_SECRET), maxRetries, maxRetryWait, requestTimeout, interval,
                context.clock(), expandMedia, maxResponseSize, maxPullTime, overlap));
    }

    /** {@code overlap}: PT5M by default, PT0S (off) or a positive duration up to P1D. */
    private static Duration overlap(ProviderContext context) {
        String text = context.setting("overlap").orElse("").strip();
        if (!text.isEmpty() && Duration.parse("PT0S").equals(parseOrNull(text))) {
            return Duration.ZERO;
        }
        return bounded(context, "overlap", Duration.ofMinutes(5), Duration.ofDays(1));
    }

    private static Duration parseOrNull(String text) {
        try {
            return Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static Duration bounded(ProviderContext context, String key, Duration fallback, Duration max) {
        Duration d = context.durationSetting(key, fallback, WHO);
        if (d.compareTo(max) > 0) {
            throw new GeoValidationException("The setting '" + key + "' of " + WHO + " is at most " + max + "; got '"
                    + context.setting(key).orElse("") + "'.");
        }
        return d;
    }

    private static URI url(ProviderContext context, String key, String meaning) {
        String text = context.requireSetting(key, WHO, meaning);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            // Not repeated: a URL that does not parse may still hold a password or a key.
            throw new GeoValidationException("The setting '" + key + "' of " + WHO + " is not a URL (" + e.getReason()
                    + " at index " + e.getIndex() + "; the value is not repeated here).");
        }
        if (uri.getUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            throw new GeoValidationException("The setting '" + key + "' of " + WHO + " holds a user name or password"
                    + " (user@host), and settings are not secret: they appear in messages, findings and logs. Remove it"
                    + " from the URL and put the credentials in the secret store (" + FeedSecrets.CLIENT_ID + " and "
                    + FeedSecrets.CLIENT_SECRET + " under mls/<feed>/, or mls/<feed>/<tenant>/ for a tenant's own);"
                    + " got '" + SafeUrls.shown(uri) + "'.");
        }
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new GeoValidationException("The setting '" + key + "' of " + WHO + " must be an absolute URL with a"
                    + " host and no user, query or fragment (a key belongs in the secret store); got '"
                    + SafeUrls.shown(uri) + "'" + (uri.getRawQuery() != null || uri.getRawFragment() != null
                    ? " (its query or fragment not shown)" : "") + ".");
        }
        boolean https = "https".equals(uri.getScheme());
        if (!https && !("http".equals(uri.getScheme()) && loopback(uri.getHost()))) {
            // Credentials and bearer tokens never travel in clear text beyond this machine.
            throw new GeoValidationException("The setting '" + key + "' of " + WHO + " must be an https URL (plain http"
                    + " only on a loopback address); got '" + SafeUrls.shown(uri) + "'.");
        }
        return uri;
    }

    private static boolean loopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")) {
            return false; // a name: resolving it could reach the network
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
