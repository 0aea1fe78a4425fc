package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.FeedProtocol;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MlsIntegration;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.platform.internal.Reports;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spi.listing.FeedSecrets;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLS step of {@link Platform#assess} and the go-live checklist, per tenant of the market: for each feed, each
 * tenant served in the market (PROVISIONING, ACTIVE or SUSPENDED) reads its credentials where {@link FeedSecrets#read}
 * does — its own place ({@code mls/<feed>/<tenant>/}) if it holds any name there, else the feed's ({@code mls/<feed>/})
 * — and they are checked as a feed checks them ({@link FeedSecrets#check}). When the platform was given the feed's
 * settings ({@link Platform.Builder#mlsFeed}), the feed is then opened with the provider of its protocol and its first
 * page read ({@link ListingFeed#check()}): once per credential place, i.e. once for all the tenants reading the
 * feed's and once for each tenant holding its own, at most {@link #MAX_FEED_OPENS} times per feed, with the short
 * {@link #CHECK_DEFAULTS} unless the settings give those values. Findings name the tenants and the secrets to store, never a value.
 * A market with no tenant yet is checked at the feed's place only (what its first tenants would read). Thread-safe.
 */
final class MlsReadiness {
    private static final Logger LOG = LoggerFactory.getLogger(MlsReadiness.class);
    /** Tenant findings of one code reported one by one for a feed; past it, one summary finding for that code. */
    static final int MAX_TENANT_FINDINGS = 20;
    /**
     * Feed opens per feed and assessment, at most: the shared credentials' first, then tenants with their own in id
     * order; the rest are named in one finding. With {@link #CHECK_DEFAULTS}, a feed's check takes at most about
     * 5 &times; 20 s.
     */
    static final int MAX_FEED_OPENS = 5;
    /**
     * Settings a readiness check uses unless the platform's settings give them, by provider name: no retry and short
     * timeouts, since {@code deploy} runs the check under its market's lock.
     */
    static final Map<String, Map<String, String>> CHECK_DEFAULTS = Map.of("reso-web-api", Map.of("max-retries", "0",
            "max-retry-wait", "PT5S", "request-timeout", "PT10S", "max-pull-time", "PT20S"));
    private static final Set<TenantState> SERVED = EnumSet.of(TenantState.PROVISIONING, TenantState.ACTIVE,
            TenantState.SUSPENDED);

    private final TenantCatalog tenants;
    private final Map<String, Map<String, String>> settings;
    private final Clock clock;

    MlsReadiness(TenantCatalog tenants, Map<String, Map<String, String>> settings, Clock clock) {
        this.tenants = tenants;
        this.settings = Map.copyOf(settings);
        this.clock = clock;
    }

    /**
     * Whether the step can open {@code feed} with one settings map for all its tenants: not REAXML, whose directory is
     * per tenant (and which reads no secrets).
     */
    static boolean openable(MlsIntegration feed) {
        return feed.protocol() != FeedProtocol.REAXML;
    }

    /** Whether the feed's endpoint is configured, so that its first page is read. */
    boolean opens(MlsIntegration feed) {
        return settings.containsKey(feed.id());
    }

    /**
     * What keeps {@code feed} of {@code market} from being read for its tenants, as findings {@code mls.credentials}
     * (missing or unusable secrets) and {@code mls.feed} (the feed does not open or its first page is not served);
     * empty when nothing does.
     */
    List<Finding> check(Market market, MlsIntegration feed, CloudRegion region) {
        List<ListingFeedProvider> providers = MarketLayout.feedProviders(feed);
        List<String> names = MarketLayout.credentialNames(feed, providers);
        SecretStore store = region.secrets();
        String shared = MarketLayout.feedCredentials(feed);
        List<String> sharedProblems = FeedSecrets.check(store, shared, names);
        List<Tenant> served = tenants.inMarket(market.id()).stream().filter(t -> SERVED.contains(t.state()))
                .sorted(Comparator.comparing(t -> t.id().value())).toList();
        List<Finding> findings = new ArrayList<>();
        if (served.isEmpty()) {
            if (!sharedProblems.isEmpty()) {
                findings.add(new Finding("mls.credentials", "MLS feed '" + feed.id() + "' (" + feed.name()
                        + ") in region " + region.region() + ": " + String.join("; ", sharedProblems) + ". Tenants"
                        + " without credentials of their own (under '" + shared + "/<tenant>/') will not sync until"
                        + " the feed's are stored."));
            }
            return findings;
        }
        List<Tenant> onShared = new ArrayList<>();
        List<Tenant> ownUsable = new ArrayList<>();
        List<Finding> own = new ArrayList<>();
        List<Finding> ownFeed = new ArrayList<>();
        for (Tenant tenant : served) {
            String prefix = FeedSecrets.tenantPrefix(feed.id(), tenant.id());
            if (names.stream().noneMatch(n -> store.get(prefix + "/" + n).isPresent())) {
                onShared.add(tenant);
                continue;
            }
            List<String> problems = FeedSecrets.check(store, prefix, names);
            if (!problems.isEmpty()) {
                own.add(new Finding("mls.credentials", "Tenant '" + tenant.id() + "' of market '" + market.id()
                        + "', MLS feed '" + feed.id() + "': it holds credentials of its own under '" + prefix + "/', so"
                        + " the feed's are not read, and they cannot be used: " + String.join("; ", problems)
                        + ". Store " + quoted(prefix, names) + " with SecretStore.put (or remove the tenant's to use"
                        + " the feed's)."));
            } else {
                ownUsable.add(tenant);
            }
        }
        boolean opening = opens(feed) && !providers.isEmpty() && openable(feed);
        int opened = 0;
        Optional<Finding> sharedFinding = Optional.empty();
        if (!onShared.isEmpty()) {
            String who = "Tenant(s) " + Reports.abbreviate(onShared.stream().map(t -> "'" + t.id() + "'").toList(), 10)
                    + (onShared.size() > 10 ? " (" + onShared.size() + " in all)" : "");
            if (!sharedProblems.isEmpty()) {
                sharedFinding = Optional.of(new Finding("mls.credentials", who + " of market '" + market.id() + "' hold"
                        + " no credentials of their own for MLS feed '" + feed.id() + "' (" + feed.name() + ") and read"
                        + " the feed's, in region " + region.region() + ": " + String.join("; ", sharedProblems)
                        + ". Store " + quoted(shared, names) + " (the feed's, for every tenant without its own), or"
                        + " each tenant's own under '" + shared + "/<tenant>/' (" + String.join(", ", names) + "),"
                        + " with SecretStore.put."));
            } else if (opening) {
                // first: one open serves every tenant on the feed's credentials
                opened++;
                sharedFinding = firstPage(market, feed, providers, store, onShared.get(0)).map(why -> new Finding(
                        "mls.feed", who + " of market '" + market.id() + "': MLS feed '" + feed.id() + "' does not"
                                + " open with the feed's credentials (under '" + shared + "/'): " + why));
            }
        }
        List<Tenant> unopened = new ArrayList<>();
        for (Tenant tenant : ownUsable) {
            if (!opening) {
                continue;
            }
            if (opened >= MAX_FEED_OPENS) {
                unopened.add(tenant);
                continue;
            }
            opened++;
            String prefix = FeedSecrets.tenantPrefix(feed.id(), tenant.id());
            firstPage(market, feed, providers, store, tenant).ifPresent(why -> ownFeed.add(new Finding("mls.feed",
                    "Tenant '" + tenant.id() + "' of market '" + market.id() + "': MLS feed '" + feed.id()
                            + "' does not open with its own credentials (under '" + prefix + "/'): " + why)));
        }
        capped(findings, own, market, feed);
        capped(findings, ownFeed, market, feed);
        if (!unopened.isEmpty()) {
            findings.add(new Finding("mls.feed", unopened.size() + " tenant(s) of market '" + market.id() + "' with"
                    + " credentials of their own for MLS feed '" + feed.id() + "' ("
                    + Reports.abbreviate(unopened.stream().map(t -> "'" + t.id() + "'").toList(), 10) + ") were not"
                    + " opened: an assessment opens a feed at most " + MAX_FEED_OPENS + " times, to keep deploy"
                    + " short. Their credentials are stored and well formed; check each with ListingFeeds.check."));
        }
        sharedFinding.ifPresent(findings::add);
        return findings;
    }

    /**
     * Opens the feed for {@code tenant} and reads its first page, when the feed's settings are configured and a
     * provider reads its protocol; why it failed, if it did.
     */
    Optional<String> firstPage(Market market, MlsIntegration feed, List<ListingFeedProvider> providers,
            SecretStore store, Tenant tenant) {
        Map<String, String> configured = settings.get(feed.id());
        if (configured == null || providers.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> effective = new HashMap<>(CHECK_DEFAULTS.getOrDefault(providers.get(0).name(), Map.of()));
        effective.putAll(configured); // the caller's settings win
        ProviderContext context = ProviderContext.builder().settings(effective).object(SecretStore.class, store)
                .clock(clock).build();
        try (ListingFeed opened = providers.get(0).open(new FeedSubscription(tenant.id(), feed.id(),
                market.currency()), context)) {
            opened.check();
            return Optional.empty();
        } catch (GeoException e) {
            return Optional.of(redacted(e.getMessage()));
        } catch (RuntimeException e) {
            // A provider's bug: logged with its stack trace, its message scrubbed of URLs' user-info and queries and
            // of the credential values the feed could read; the finding names the exception's class only.
            RuntimeException logged = new RuntimeException(e.getClass().getName() + ": " + scrubbed(e.getMessage(),
                    store, feed, tenant, providers.get(0).secretNames()));
            logged.setStackTrace(e.getStackTrace());
            LOG.warn("MLS feed '{}' of market '{}', tenant '{}': provider '{}' failed unexpectedly opening the feed or"
                    + " reading its first page", feed.id(), market.id(), tenant.id(), providers.get(0).name(), logged);
            return Optional.of("provider '" + providers.get(0).name() + "' failed: " + e.getClass().getSimpleName()
                    + " (logged at WARN with its stack trace)");
        }
    }

    /** A URL's user-info (a user name or password) in a setting's value: {@code scheme://...@}. */
    private static final Pattern USER_INFO = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@");
    /** In a message: a URL's user-info, and its query or fragment (an API key, say). */
    private static final Pattern URL_USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\\s'\"]*@");
    private static final Pattern URL_QUERY = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^?#\\s'\"]*)[?#][^\\s'\"]*");

    /**
     * Refuses settings of {@link Platform.Builder#mlsFeed} that hold a credential in a URL (user-info), since settings
     * are not secret: they reach findings, the journal and logs.
     *
     * @throws GeoValidationException naming the setting (never its value) and where credentials go
     */
    static void refuseCredentialsIn(String feedId, Map<String, String> settings) {
        settings.forEach((name, value) -> {
            if (USER_INFO.matcher(value.strip()).find()) {
                throw new GeoValidationException("MLS feed '" + feedId + "': setting '" + name + "' holds a user name"
                        + " or password in its URL (user@host; the value is not repeated here). Settings are not"
                        + " secret: they appear in findings, the journal and logs. Remove it from the URL and store the"
                        + " feed's credentials in the region's SecretStore under 'mls/" + feedId + "/<name>' (a tenant's"
                        + " own under 'mls/" + feedId + "/<tenant>/<name>'), with the names its provider reads"
                        + " (client-id and client-secret for reso-web-api).");
            }
        });
    }

    /**
     * Checks the settings given with {@link Platform.Builder#mlsFeed} against {@code markets}: each feed id must be an
     * MLS integration of a market, and its settings must be accepted by the provider of its protocol, when one is on
     * the class path (the provider opens the feed with an empty secret store: opening sends nothing, and a feed
     * refused only for its missing credentials has good settings).
     *
     * @throws GeoValidationException naming the feed and what to fix
     */
    static void checkFeeds(MarketCatalog markets, Map<String, Map<String, String>> feeds) {
        for (Map.Entry<String, Map<String, String>> entry : feeds.entrySet()) {
            String feedId = entry.getKey();
            Optional<Market> market = markets.markets().stream().filter(m -> m.mlsIntegrations().stream()
                    .anyMatch(i -> i.id().equals(feedId))).findFirst();
            if (market.isEmpty()) {
                throw new GeoValidationException("Platform.Builder.mlsFeed: no market of the catalog has an MLS feed"
                        + " '" + feedId + "'; its feeds are " + markets.markets().stream().flatMap(m -> m
                        .mlsIntegrations().stream()).map(i -> "'" + i.id() + "'").distinct().sorted().toList()
                        + ". Give the id of a market's MlsIntegration.");
            }
            MlsIntegration feed = market.get().mlsIntegrations().stream().filter(i -> i.id().equals(feedId))
                    .findFirst().orElseThrow();
            if (!openable(feed)) {
                throw new GeoValidationException("Platform.Builder.mlsFeed: MLS feed '" + feedId + "' is REAXML, whose"
                        + " files arrive in a directory per tenant, while the platform holds one settings map per feed;"
                        + " the MLS step does not open REAXML feeds (it checks their credentials only: REAXML reads"
                        + " none). Remove this mlsFeed, and check each tenant's directory with ListingFeeds.check.");
            }
            List<ListingFeedProvider> providers = MarketLayout.feedProviders(feed);
            if (providers.isEmpty()) {
                continue; // reported by assess as mls.provider
            }
            ProviderContext context = ProviderContext.builder().settings(entry.getValue())
                    .object(SecretStore.class, new NoSecrets()).build();
            try (ListingFeed opened = providers.get(0).open(new FeedSubscription(SETTINGS_CHECK, feedId,
                    market.get().currency()), context)) {
                // settings accepted
            } catch (GeoValidationException e) {
                throw new GeoValidationException("Platform.Builder.mlsFeed: the settings of MLS feed '" + feedId
                        + "' are not accepted by its provider '" + providers.get(0).name() + "': "
                        + redacted(e.getMessage()));
            } catch (GeoException e) {
                // refused for its (absent) credentials only: the settings passed
            }
        }
    }

    /** The tenant named when settings are checked with no tenant. */
    private static final TenantId SETTINGS_CHECK = TenantId.of("settings-check");

    /** A secret store holding nothing (settings are checked without credentials). */
    private static final class NoSecrets implements SecretStore {
        @Override
        public Optional<String> get(String name) {
            return Optional.empty();
        }

        @Override
        public void put(String name, String value) {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public void delete(String name) {
            throw new UnsupportedOperationException("read only");
        }
    }

    /** {@link #redacted} and without the values of the credentials {@code tenant} could read for {@code feed}. */
    private static String scrubbed(String message, SecretStore store, MlsIntegration feed, Tenant tenant,
            List<String> names) {
        String out = redacted(message);
        for (String prefix : List.of(FeedSecrets.tenantPrefix(feed.id(), tenant.id()), MarketLayout.feedCredentials(
                feed))) {
            for (String name : names) {
                Optional<String> value = store.get(prefix + "/" + name);
                if (value.isPresent() && !value.get().isEmpty()) {
                    out = out.replace(value.get(), "[" + name + "]");
                }
            }
        }
        return out;
    }

    /** {@code message} without any URL's user-info, query or fragment. */
    static String redacted(String message) {
        if (message == null) {
            return "(no message)";
        }
        String out = URL_USER_INFO.matcher(message).replaceAll("$1");
        return URL_QUERY.matcher(out).replaceAll("$1");
    }

    /** {@code kind} (findings of one code) into {@code findings}, at most {@link #MAX_TENANT_FINDINGS} and a summary. */
    private static void capped(List<Finding> findings, List<Finding> kind, Market market, MlsIntegration feed) {
        findings.addAll(kind.subList(0, Math.min(kind.size(), MAX_TENANT_FINDINGS)));
        if (kind.size() > MAX_TENANT_FINDINGS) {
            findings.add(new Finding(kind.get(MAX_TENANT_FINDINGS).code(), (kind.size() - MAX_TENANT_FINDINGS)
                    + " more tenant(s) of market '" + market.id() + "' cannot read MLS feed '" + feed.id() + "' with"
                    + " their own credentials (" + kind.get(MAX_TENANT_FINDINGS).code() + "); fix the ones above and"
                    + " assess again."));
        }
    }

    private static String quoted(String prefix, List<String> names) {
        return String.join(" and ", names.stream().map(n -> "'" + prefix + "/" + n + "'").toList());
    }
}
