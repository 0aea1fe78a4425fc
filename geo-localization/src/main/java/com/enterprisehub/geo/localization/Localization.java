package com.enterprisehub.geo.localization;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.localization.internal.AreaConventions;
import com.enterprisehub.geo.localization.internal.Bundles;
import com.ibm.icu.util.LocaleMatcher;
import com.ibm.icu.util.LocalePriorityList;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of geo-localization: hands out a {@link MarketLocalizer} per market and locale, reports
 * how complete each locale's messages are, and records every message that had to fall back to another
 * language.
 *
 * <pre>{@code
 * Localization l10n = Localization.builder().rates(OfflineRates.load(ratesFile)).build();
 * MarketLocalizer montreal = l10n.localizer(markets.require(MarketId.of("ca")), Locale.CANADA_FRENCH);
 * montreal.money(Money.of(1_250_000, "CAD"));                 // 1 250 000,00 $
 * montreal.area(Area.of(111.5, AreaUnit.SQUARE_METRE), AreaKind.FLOOR);  // 1 200 pi²
 * montreal.message("listing.bedrooms", Map.of("beds", 3));     // 3 chambres
 * }</pre>
 *
 * <p>Nothing here touches the network: ICU's data is in its jar, messages are read from the class path,
 * exchange rates come from the {@link OfflineRates} given. Immutable and thread-safe; localizers are
 * cached, so build one {@code Localization} and share it.
 */
public final class Localization {
    private static final Logger LOG = LoggerFactory.getLogger(Localization.class);
    /** The SDK's own bundles: {@code messages_en.properties} and the locales' files beside it. */
    public static final String BUNDLE_BASE = "com/enterprisehub/geo/localization/messages";

    /** A message that fell back to another language, as recorded. */
    public record Fallback(Locale locale, String key, String usedBundle) {
    }

    private final Clock clock;
    private final boolean strict;
    private final Optional<OfflineRates> rates;
    private final Duration staleAfter;
    private final Map<String, AreaDisplay> areaOverrides;
    private final Bundles bundles;
    private final ConcurrentHashMap<String, MarketLocalizer> localizers = new ConcurrentHashMap<>();
    private final Set<Fallback> fallbacks = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<List<Locale>, LocaleMatcher> matchers = new ConcurrentHashMap<>();
    /** Longer Accept-Language headers are ignored (browsers send well under 200 characters). */
    private static final int MAX_ACCEPT_LANGUAGE = 1024;

    private Localization(Builder b) {
        this.clock = b.clock;
        this.strict = b.strict;
        this.rates = Optional.ofNullable(b.rates);
        this.staleAfter = b.staleAfter;
        this.areaOverrides = Map.copyOf(b.areaOverrides);
        this.bundles = new Bundles(b.bundleBase, b.bundleLoader);
    }

    /** A localization with the defaults: the system clock, lenient fallback, no exchange rates. */
    public static Localization defaults() {
        return builder().build();
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The localizer of {@code market} in its default (first) locale. */
    public MarketLocalizer localizer(Market market) {
        Objects.requireNonNull(market, "market");
        return localizer(market, market.defaultLocale());
    }

    /**
     * The localizer of {@code market} in {@code locale}, one of the market's locales.
     *
     * @throws GeoValidationException if the market is not served in that locale
     */
    public MarketLocalizer localizer(Market market, Locale locale) {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(locale, "locale");
        if (!market.locales().contains(locale)) {
            throw new GeoValidationException("Market '" + market.id() + "' is not served in " + locale.toLanguageTag()
                    + "; its locales are " + market.locales().stream().map(Locale::toLanguageTag).toList() + ".");
        }
        String key = market.id() + "|" + locale.toLanguageTag();
        MarketLocalizer cached = localizers.get(key);
        if (cached != null && cached.market().equals(market)) {
            return cached;
        }
        // First use, or the catalog now holds a changed market under the same id: build for this one.
        return localizers.compute(key, (k, old) -> old != null && old.market().equals(market) ? old
                : new MarketLocalizer(this, market, locale, bundles.chain(locale)));
    }

    /**
     * The locale of {@code market} that best serves a visitor's {@code Accept-Language} header, by ICU's
     * {@code LocaleMatcher} (CLDR language distances: fr-FR is served fr-CA, en-NZ en-AU or en-GB before
     * en-US, en-CA stays en-CA). An absent, empty, malformed or unmatched header gets the market's
     * default (first) locale: the header is visitor input, not configuration.
     */
    public Locale negotiate(Market market, String acceptLanguage) {
        Objects.requireNonNull(market, "market");
        Locale fallback = market.defaultLocale();
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > MAX_ACCEPT_LANGUAGE) {
            return fallback;
        }
        LocaleMatcher matcher = matchers.computeIfAbsent(market.locales(), k -> LocaleMatcher.builder()
                .setSupportedLocales(k).setDefaultLocale(k.get(0)).build());
        try {
            Locale best = matcher.getBestMatchResult(LocalePriorityList.add(acceptLanguage).build()).getSupportedLocale();
            return best == null ? fallback : best;
        } catch (IllegalArgumentException e) {
            LOG.debug("Unparseable Accept-Language header; serving {}", fallback.toLanguageTag());
            return fallback;
        }
    }

    /** The localizer of {@code market} in the locale {@link #negotiate negotiated} for {@code acceptLanguage}. */
    public MarketLocalizer localizer(Market market, String acceptLanguage) {
        return localizer(market, negotiate(market, acceptLanguage));
    }

    /**
     * Builds, ahead of the first request, everything the localizers of {@code markets} would otherwise build
     * on first use (ICU's data loading makes a first call take tens of milliseconds): for each market and
     * locale, its money formatters in both styles and compact, its area units, date and time formatters for
     * the market's and its cities' zones, and every message and term.
     *
     * @return how many localizers were prepared
     */
    public int warmUp(java.util.Collection<Market> markets) {
        Objects.requireNonNull(markets, "markets");
        int prepared = 0;
        Set<String> keys = keys();
        for (Market market : markets) {
            for (Locale locale : market.locales()) {
                localizer(market, locale).warmUp(keys);
                prepared++;
            }
        }
        return prepared;
    }

    /** Every message key (those of the root English bundle), sorted. */
    public Set<String> keys() {
        return bundles.keys();
    }

    /**
     * The message bundles {@code locale} reads, most specific first ({@code fr_CA}, {@code fr}, {@code en}), by
     * name, each with its texts by key (sorted): what a deployment publishes for its market's locales. Bundles
     * that do not exist are left out; the bundles come from this instance's bundle base and class loader.
     */
    public Map<String, Map<String, String>> messageBundles(Locale locale) {
        Objects.requireNonNull(locale, "locale");
        Map<String, Map<String, String>> chain = new LinkedHashMap<>();
        for (Bundles.Bundle b : bundles.chain(locale)) {
            chain.put(b.name(), b.texts());
        }
        return Collections.unmodifiableMap(chain);
    }

    /** How completely each of {@code market}'s locales is covered, in the market's locale order. */
    public List<CompletenessReport> completeness(Market market) {
        Objects.requireNonNull(market, "market");
        return market.locales().stream().map(this::completeness).toList();
    }

    /** How completely {@code locale} is covered. */
    public CompletenessReport completeness(Locale locale) {
        Objects.requireNonNull(locale, "locale");
        List<Bundles.Bundle> chain = bundles.chain(locale);
        Set<String> keys = keys();
        List<String> missing = new ArrayList<>();
        List<String> otherRegion = new ArrayList<>();
        List<String> identical = new ArrayList<>();
        for (String key : keys) {
            int found = -1;
            for (int i = 0; i < chain.size(); i++) {
                if (chain.get(i).texts().containsKey(key)) {
                    found = i;
                    break;
                }
            }
            if (found < 0 || !chain.get(found).ownLanguage()) {
                missing.add(key);
                continue;
            }
            if (Bundles.regional(key) && !chain.get(found).region().equals(locale.getCountry())) {
                otherRegion.add(key);
                continue;
            }
            String text = chain.get(found).texts().get(key);
            for (int i = found + 1; i < chain.size(); i++) {
                String next = chain.get(i).texts().get(key);
                if (next != null) {
                    if (next.equals(text)) {
                        identical.add(key);
                    }
                    break;
                }
            }
        }
        return new CompletenessReport(locale, keys.size(), keys.size() - missing.size() - otherRegion.size(), missing,
                otherRegion, identical);
    }

    /** The messages that fell back to another language so far (empty in strict mode: those throw). */
    public Set<Fallback> fallbacks() {
        return Set.copyOf(fallbacks);
    }

    /** Whether a missing translation is an error. */
    public boolean strict() {
        return strict;
    }

    /** The exchange rates, when configured. */
    public Optional<OfflineRates> rates() {
        return rates;
    }

    Clock clock() {
        return clock;
    }

    /** Rates are stale when older than the limit, or dated in the future (a clock or file error). */
    boolean isStale(LocalDate asOf) {
        LocalDate today = LocalDate.now(clock);
        return asOf.isAfter(today) || asOf.plusDays(staleAfter.toDays()).isBefore(today);
    }

    void fellBack(Locale locale, String key, String usedBundle) {
        if (strict) {
            throw new MissingTranslationException(locale, key);
        }
        if (fallbacks.add(new Fallback(locale, key, usedBundle))) {
            LOG.warn("Message '{}' has no {} text; showing the {} text. Add it to the {} bundle.", key,
                    locale.toLanguageTag(), usedBundle, locale.toLanguageTag());
        }
    }

    AreaDisplay areaDisplay(Market market, AreaKind kind) {
        String country = country(market);
        AreaDisplay override = areaOverrides.get(country + "|" + kind);
        if (override != null) {
            return override;
        }
        return AreaConventions.of(country, kind).orElseThrow(() -> new LocalizationException("No area"
                + " convention is known for market '" + market.id() + "' (country " + country + "); set one with"
                + " Localization.builder().areaDisplay(\"" + country + "\", AreaKind." + kind + ", ...)."));
    }

    private static String country(Market market) {
        return market.jurisdictions().get(0).country(); // a market has at least one (MarketRules)
    }

    /** Configuration of a {@link Localization}. Not thread-safe; build once. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private boolean strict;
        private OfflineRates rates;
        private Duration staleAfter = Duration.ofDays(7);
        private final Map<String, AreaDisplay> areaOverrides = new java.util.HashMap<>();
        private String bundleBase = BUNDLE_BASE;
        private ClassLoader bundleLoader = Localization.class.getClassLoader();

        private Builder() {
        }

        /**
         * Reads messages from other bundles than the SDK's: {@code <base>_en.properties} (every key, US
         * English), then {@code <base>_<lang>.properties} and {@code <base>_<lang>_<COUNTRY>.properties} as
         * needed, UTF-8, from {@code loader}'s class path. Copy the SDK's files ({@link #BUNDLE_BASE}) as a
         * start: the formatters use {@code format.area.pair}, {@link MarketLocalizer#term} the {@code term.*}
         * keys.
         */
        public Builder bundles(String base, ClassLoader loader) {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(loader, "loader");
            if (base.isBlank() || base.startsWith("/") || base.endsWith(".properties")) {
                throw new GeoValidationException("A bundle base is a class-path resource name without a leading"
                        + " slash or suffix, like com/example/messages; got '" + base + "'.");
            }
            this.bundleBase = base;
            this.bundleLoader = loader;
            return this;
        }

        /** The clock for relative times and for deciding whether rates are stale (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Makes a message without text in the locale's own language an error
         * ({@link MissingTranslationException}) instead of a recorded fallback. For tests and CI.
         */
        public Builder strict() {
            this.strict = true;
            return this;
        }

        /** The exchange rates for {@link MarketLocalizer#convert}. */
        public Builder rates(OfflineRates rates) {
            this.rates = Objects.requireNonNull(rates, "rates");
            return this;
        }

        /** How old rates may be before conversions are flagged stale (default 7 days; whole days). */
        public Builder staleAfter(Duration staleAfter) {
            Objects.requireNonNull(staleAfter, "staleAfter");
            if (staleAfter.toDays() < 1 || !staleAfter.equals(Duration.ofDays(staleAfter.toDays()))) {
                throw new GeoValidationException("staleAfter is a whole number of days, at least one (rates are"
                        + " published per day); got " + staleAfter + ".");
            }
            this.staleAfter = staleAfter;
            return this;
        }

        /**
         * How markets of {@code country} (ISO 3166-1 alpha-2) show areas of {@code kind}, instead of the
         * built-in convention.
         */
        public Builder areaDisplay(String country, AreaKind kind, AreaDisplay display) {
            Objects.requireNonNull(country, "country");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(display, "display");
            if (!country.matches("[A-Z]{2}")) {
                throw new GeoValidationException("country must be an ISO 3166-1 alpha-2 code like CA; got '" + country
                        + "'.");
            }
            areaOverrides.put(country + "|" + kind, display);
            return this;
        }

        /** The localization. */
        public Localization build() {
            return new Localization(this);
        }
    }
}
