package com.enterprisehub.geo.core.market;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.internal.FieldProblem;
import com.enterprisehub.geo.core.internal.Locales;
import com.enterprisehub.geo.core.internal.MarketRules;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A market the platform serves: a US state, a Canadian province group, the United Kingdom, ...
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder(String)} or load many with
 * {@link MarketCatalog}. Every value is checked on construction; a market that exists is valid:
 * each city lies in one of its jurisdictions, its deployment region satisfies its data-residency
 * rule, and no list holds the same entry twice.
 *
 * @param id the market's id ({@code us-ca})
 * @param name its name for people ("California")
 * @param tier the expansion tier
 * @param region the region the market is deployed to
 * @param currency the currency prices are shown in (ISO 4217)
 * @param locales the locales the market is served in; the first is its default
 * @param timeZone the market's main time zone (each city also has its own)
 * @param jurisdictions the ISO 3166-2 subdivisions the market covers
 * @param cities its major cities, each in one of {@code jurisdictions}
 * @param size the value of its yearly real-estate transactions
 * @param targetCustomers how many real-estate professionals the market holds as potential customers,
 *     when known
 * @param regulatoryComplexity how demanding its regulation is, when assessed
 * @param competitionLevel how crowded it is with competing products, when assessed
 * @param revenueRange the revenue the platform expects from it
 * @param mlsIntegrations the listing feeds it declares
 * @param dataResidency where its tenants' data may live
 */
public record Market(
        MarketId id,
        String name,
        MarketTier tier,
        DeploymentRegion region,
        Currency currency,
        List<Locale> locales,
        ZoneId timeZone,
        List<Jurisdiction> jurisdictions,
        List<City> cities,
        MarketSize size,
        Optional<Long> targetCustomers,
        Optional<Level> regulatoryComplexity,
        Optional<Level> competitionLevel,
        RevenueRange revenueRange,
        List<MlsIntegration> mlsIntegrations,
        DataResidency dataResidency) {

    public Market {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(revenueRange, "revenueRange");
        Objects.requireNonNull(dataResidency, "dataResidency");
        locales = List.copyOf(locales);
        jurisdictions = List.copyOf(jurisdictions);
        cities = List.copyOf(cities);
        mlsIntegrations = List.copyOf(mlsIntegrations);
        Objects.requireNonNull(targetCustomers, "targetCustomers");
        Objects.requireNonNull(regulatoryComplexity, "regulatoryComplexity");
        Objects.requireNonNull(competitionLevel, "competitionLevel");
        locales.forEach(l -> Locales.check(l, l.toLanguageTag()));
        if (targetCustomers.isPresent() && targetCustomers.get() < 0) {
            throw new GeoValidationException("Market '" + id + "': targetCustomers must be zero or more; got "
                    + targetCustomers.get() + ".");
        }
        List<FieldProblem> problems = MarketRules.check(name, locales, jurisdictions, cities, region, dataResidency,
                mlsIntegrations);
        if (!problems.isEmpty()) {
            throw new GeoValidationException("Market '" + id + "' is not valid: " + problems.stream()
                    .map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")) + ".");
        }
        name = name.strip();
    }

    /** The locale the market is served in by default (the first of {@link #locales()}). */
    public Locale defaultLocale() {
        return locales.get(0);
    }

    /** Whether the market covers {@code jurisdiction}. */
    public boolean covers(Jurisdiction jurisdiction) {
        return jurisdictions.contains(jurisdiction);
    }

    /** The city with this name (compared ignoring case), if the market lists it. */
    public Optional<City> city(String cityName) {
        Objects.requireNonNull(cityName, "cityName");
        return cities.stream().filter(c -> c.name().equalsIgnoreCase(cityName.strip())).findFirst();
    }

    /** A builder for a market with this id; see {@link MarketId} for the form of ids. */
    public static Builder builder(String id) {
        return new Builder(MarketId.of(id));
    }

    /**
     * Builds a {@link Market}. Not thread-safe; {@link #build()} checks everything and may be called more
     * than once.
     */
    public static final class Builder {
        private final MarketId id;
        private String name;
        private MarketTier tier;
        private DeploymentRegion region;
        private Currency currency;
        private final List<Locale> locales = new ArrayList<>();
        private ZoneId timeZone;
        private final List<Jurisdiction> jurisdictions = new ArrayList<>();
        private final List<City> cities = new ArrayList<>();
        private MarketSize size;
        private Long targetCustomers;
        private Level regulatoryComplexity;
        private Level competitionLevel;
        private RevenueRange revenueRange;
        private final List<MlsIntegration> mlsIntegrations = new ArrayList<>();
        private DataResidency dataResidency;

        private Builder(MarketId id) {
            this.id = id;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder tier(MarketTier tier) {
            this.tier = Objects.requireNonNull(tier, "tier");
            return this;
        }

        public Builder region(DeploymentRegion region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** The ISO 4217 currency code ("USD"). */
        public Builder currency(String code) {
            this.currency = Currency.getInstance(Objects.requireNonNull(code, "code"));
            return this;
        }

        /** Adds locales by BCP 47 tag ("en-CA", "fr-CA"); the first ever added is the default. */
        public Builder locales(String... tags) {
            for (String tag : tags) {
                locales.add(Locales.parse(tag));
            }
            return this;
        }

        public Builder timeZone(String zoneId) {
            this.timeZone = ZoneId.of(zoneId);
            return this;
        }

        /** Adds jurisdictions by ISO 3166-2 code. */
        public Builder jurisdictions(String... codes) {
            for (String code : codes) {
                jurisdictions.add(Jurisdiction.of(code));
            }
            return this;
        }

        /** Adds a city in {@code jurisdiction} (ISO 3166-2) and time zone {@code zone}. */
        public Builder city(String cityName, String jurisdiction, String zone) {
            cities.add(new City(cityName, Jurisdiction.of(jurisdiction), ZoneId.of(zone)));
            return this;
        }

        public Builder size(MarketSize size) {
            this.size = size;
            return this;
        }

        public Builder targetCustomers(long count) {
            this.targetCustomers = count;
            return this;
        }

        public Builder regulatoryComplexity(Level level) {
            this.regulatoryComplexity = level;
            return this;
        }

        public Builder competitionLevel(Level level) {
            this.competitionLevel = level;
            return this;
        }

        public Builder revenueRange(RevenueRange range) {
            this.revenueRange = range;
            return this;
        }

        public Builder mlsIntegration(MlsIntegration integration) {
            mlsIntegrations.add(Objects.requireNonNull(integration, "integration"));
            return this;
        }

        public Builder dataResidency(DataResidency rule) {
            this.dataResidency = rule;
            return this;
        }

        /** The market; throws {@link GeoValidationException} naming what is missing or wrong. */
        public Market build() {
            List<String> missing = new ArrayList<>();
            if (name == null) {
                missing.add("name");
            }
            if (tier == null) {
                missing.add("tier");
            }
            if (region == null) {
                missing.add("region");
            }
            if (currency == null) {
                missing.add("currency");
            }
            if (timeZone == null) {
                missing.add("timeZone");
            }
            if (size == null) {
                missing.add("size");
            }
            if (revenueRange == null) {
                missing.add("revenueRange");
            }
            if (dataResidency == null) {
                missing.add("dataResidency");
            }
            if (!missing.isEmpty()) {
                throw new GeoValidationException("Market '" + id + "' is missing " + missing + ".");
            }
            return new Market(id, name, tier, region, currency, locales, timeZone, jurisdictions, cities, size,
                    Optional.ofNullable(targetCustomers), Optional.ofNullable(regulatoryComplexity),
                    Optional.ofNullable(competitionLevel), revenueRange, mlsIntegrations, dataResidency);
        }
    }
}
