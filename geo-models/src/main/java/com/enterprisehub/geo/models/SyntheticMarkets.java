package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.City;
import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.localization.Area;
import com.enterprisehub.geo.localization.AreaUnit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.javamoney.moneta.Money;

/**
 * Generated listings (sold) and leads for the encoder's markets, with market differences planted where the host
 * asks and nowhere else. There is no public real-estate data set reachable from the SDK's build; this generator is
 * how the localization machinery is tested and measured. Its figures are invented to be plausible, not measured.
 *
 * <p><b>The common law</b> (every market that is not planted). Amounts are drawn in the common currency and
 * converted to the market's with the encoder's rates; areas are drawn in square metres and written in the market's
 * unit (square feet in the US, Canada and the UK, square metres in Australia: docs/localization.md).
 * <ul>
 *   <li>Sales: {@code ln price = ln 3500 + ln area_m2 + 0.05 (bathrooms - 2) - 0.003 age + 0.04 cos(season - peak)
 *       + N(0, 0.15)}, area {@code exp(N(ln 130, 0.35))} m2, bedrooms {@code round(area / 40)} in 1..6, built 1920 to
 *       2024, listed in 2025. The season is the calendar day as an angle and the peak is 15 April.</li>
 *   <li>Leads: {@code logit P(convert) = -1.3 + 1.0 preApproved - 0.35 ln(1 + responseMinutes) + 0.25 ln(1 + pageViews)
 *       + source effect (referral +0.8, open house +0.5, website +0.2, portal 0, social -0.5) - 8 transferTaxShare
 *       + 0.5 cos(season - peak)}; budget {@code exp(N(ln 420000, 0.45))}, response minutes
 *       {@code exp(N(ln 30, 1.2))} up to a week, page views geometric with mean 6, pre-approved 35%, first-time
 *       buyers 30%; the tax share is what geo-localization's calculators give (no term when they give none).</li>
 *   <li>Where: a city of the market's catalog entry, chosen uniformly (and its jurisdiction); one row in ten has no
 *       city and a jurisdiction of the market chosen uniformly.</li>
 * </ul>
 *
 * <p><b>Planted differences</b> (only in the markets passed to {@link Builder#planted(Set)}):
 * <ul>
 *   <li>Price per area by city: the price and the budget are multiplied by the city's factor: us-ca San Francisco
 *       2.4, Los Angeles 1.7, San Diego 1.5, Sacramento 0.8; gb London 2.5, Edinburgh 1.2, Manchester 0.8, Birmingham
 *       0.75; au Sydney 2.0, Melbourne 1.5, Brisbane 1.05, Perth 0.9; ca Vancouver 2.2, Toronto 1.9, Montreal 0.9,
 *       Calgary 0.85; any other market: its first city 1.8, the others 0.85. The factors are divided by their
 *       geometric mean over the market's cities, so a planted market's price level stays the common one on average
 *       (a global model is not pulled away from the other markets by it); rows without a city keep 1.0.</li>
 *   <li>Conversion drivers: gb pre-approval +2.2 (instead of +1.0) and page views -1.0 (browsing many pages
 *       lowers the chance instead of raising it); au response time -0.9 (instead of -0.35); us-ca referral +1.8 and
 *       social -1.2; ca page views +0.7 (instead of +0.25); any other market as gb.</li>
 *   <li>Seasons: a planted market in the southern hemisphere ({@link FeatureEncoder#southern}) has its seasons
 *       shifted by half a year, in prices and in conversion.</li>
 * </ul>
 *
 * <p><b>Planted miscalibration</b> (only in the markets passed to {@link Builder#conversionShift(Map)}, none by
 * default, independent of the planted differences): every lead of the market has the given number added to its
 * conversion logit, a base rate no feature but the market's identity shows. A global model is then miscalibrated
 * there (its probabilities too low for a positive shift) while it may still rank the market's leads well: what
 * calibration ({@link ScoreCalibration}) corrects.
 *
 * <p>Deterministic: the same seed, markets and sizes give the same rows, whatever the order of the markets.
 * Immutable and thread-safe.
 */
public final class SyntheticMarkets {
    private static final double PEAK = 2 * Math.PI * (LocalDate.of(2025, 4, 15).getDayOfYear() - 1) / 365.25;
    private static final Map<String, Map<String, Double>> CITY_FACTORS = Map.of(
            "us-ca", Map.of("San Francisco", 2.4, "Los Angeles", 1.7, "San Diego", 1.5, "Sacramento", 0.8),
            "gb", Map.of("London", 2.5, "Edinburgh", 1.2, "Manchester", 0.8, "Birmingham", 0.75),
            "au", Map.of("Sydney", 2.0, "Melbourne", 1.5, "Brisbane", 1.05, "Perth", 0.9),
            "ca", Map.of("Vancouver", 2.2, "Toronto", 1.9, "Montreal", 0.9, "Calgary", 0.85));

    private final FeatureEncoder encoder;
    private final long seed;
    private final Set<MarketId> planted;
    private final List<Market> markets;
    private final Map<MarketId, Double> shifts;

    private SyntheticMarkets(Builder b) {
        this.shifts = Map.copyOf(b.shifts);
        this.encoder = b.encoder;
        this.seed = b.seed;
        this.planted = Set.copyOf(b.planted);
        this.markets = b.markets.stream().map(id -> encoder.catalog().require(id)).toList();
    }

    /** A generator for {@code encoder}'s markets (its catalog, rates and transfer taxes). */
    public static Builder builder(FeatureEncoder encoder) {
        return new Builder(encoder);
    }

    /** The markets with planted differences. */
    public Set<MarketId> planted() {
        return planted;
    }

    /** {@code perMarket} sales in each market. */
    public List<Sale> sales(int perMarket) {
        List<Sale> out = new ArrayList<>(perMarket * markets.size());
        for (Market m : markets) {
            SplittableRandom r = random(m, 1);
            boolean local = planted.contains(m.id());
            for (int k = 0; k < perMarket; k++) {
                Place place = place(m, r);
                LocalDate day = LocalDate.of(2025, 1, 1).plusDays(r.nextInt(365));
                double area = Math.exp(Math.log(130) + 0.35 * gaussian(r));
                area = Math.min(1000, Math.max(25, area));
                int bedrooms = (int) Math.max(1, Math.min(6, Math.round(area / 40)));
                int bathrooms = (int) Math.max(1, Math.min(4, Math.round(bedrooms / 2.0 + r.nextDouble() - 0.5)));
                int built = 1920 + r.nextInt(105);
                double logPrice = Math.log(3500) + Math.log(area) + 0.05 * (bathrooms - 2) - 0.003 * (2025 - built)
                        + 0.04 * Math.cos(season(day, place.jurisdiction, local) - PEAK) + 0.15 * gaussian(r);
                if (local) {
                    logPrice += Math.log(cityFactor(m, place.city));
                }
                double price = encoder.fromCommon(Math.exp(logPrice), m.id());
                AreaUnit unit = "AU".equals(place.jurisdiction.country()) ? AreaUnit.SQUARE_METRE
                        : AreaUnit.SQUARE_FOOT;
                double shown = unit == AreaUnit.SQUARE_METRE ? area : area / 0.09290304;
                Property.Builder p = Property.builder(m.id(), place.jurisdiction.code())
                        .floorArea(Area.of(Math.round(shown), unit)).bedrooms(bedrooms).bathrooms(bathrooms)
                        .yearBuilt(built).listedOn(day);
                place.city.ifPresent(p::city);
                out.add(new Sale(p.build(), Money.of(BigDecimal.valueOf(price).setScale(-3, RoundingMode.HALF_EVEN)
                        .max(BigDecimal.valueOf(1000)), m.currency().getCurrencyCode())));
            }
        }
        return List.copyOf(out);
    }

    /** {@code perMarket} leads in each market, with whether each converted. */
    public List<LabeledLead> leads(int perMarket) {
        List<LabeledLead> out = new ArrayList<>(perMarket * markets.size());
        for (Market m : markets) {
            SplittableRandom r = random(m, 2);
            boolean local = planted.contains(m.id());
            String id = m.id().value();
            double preApprovedEffect = local && !id.equals("au") && !id.equals("us-ca") && !id.equals("ca") ? 2.2 : 1.0;
            double responseEffect = local && id.equals("au") ? -0.9 : -0.35;
            double referral = local && id.equals("us-ca") ? 1.8 : 0.8;
            double social = local && id.equals("us-ca") ? -1.2 : -0.5;
            boolean pageViewsReversed = local && !id.equals("au") && !id.equals("us-ca") && !id.equals("ca");
            double views = local && id.equals("ca") ? 0.7 : pageViewsReversed ? -1.0 : 0.25;
            double shift = shifts.getOrDefault(m.id(), 0.0);
            for (int k = 0; k < perMarket; k++) {
                Place place = place(m, r);
                LocalDate day = LocalDate.of(2025, 1, 1).plusDays(r.nextInt(365));
                double budgetCommon = Math.exp(Math.log(420_000) + 0.45 * gaussian(r))
                        * (local ? cityFactor(m, place.city) : 1.0);
                double budget = Math.max(10_000, Math.round(encoder.fromCommon(budgetCommon, m.id()) / 1000) * 1000.0);
                double minutes = Math.min(10_080, Math.exp(Math.log(30) + 1.2 * gaussian(r)));
                minutes = Math.round(minutes * 10) / 10.0;
                int pageViews = (int) Math.floor(Math.log(1 - r.nextDouble()) / Math.log(1 - 1 / 7.0));
                boolean preApproved = r.nextDouble() < 0.35;
                boolean firstTime = r.nextDouble() < 0.30;
                LeadSource source = LeadSource.values()[r.nextInt(LeadSource.values().length)];
                Lead.Builder b = Lead.builder(m.id(), place.jurisdiction.code()).createdOn(day).source(source)
                        .responseMinutes(minutes).budget(Money.of(budget, m.currency().getCurrencyCode()))
                        .preApproved(preApproved).firstTimeBuyer(firstTime).pageViews(pageViews);
                place.city.ifPresent(b::city);
                Lead lead = b.build();
                double tax = encoder.taxShare(lead);
                double sourceEffect = switch (source) {
                    case REFERRAL -> referral;
                    case OPEN_HOUSE -> 0.5;
                    case WEBSITE -> 0.2;
                    case PORTAL -> 0.0;
                    case SOCIAL -> social;
                };
                double logit = -1.3 + preApprovedEffect * (preApproved ? 1 : 0) + responseEffect * Math.log1p(minutes)
                        + views * Math.log1p(pageViews) + sourceEffect - 8 * (Double.isNaN(tax) ? 0 : tax)
                        + 0.5 * Math.cos(season(day, place.jurisdiction, local) - PEAK) + shift;
                boolean converted = r.nextDouble() < 1 / (1 + Math.exp(-logit));
                out.add(new LabeledLead(lead, converted));
            }
        }
        return List.copyOf(out);
    }

    private static double season(LocalDate day, Jurisdiction jurisdiction, boolean local) {
        return local ? FeatureEncoder.seasonAngle(day, jurisdiction)
                : FeatureEncoder.seasonAngle(day, Jurisdiction.of("US-NY"));
    }

    private static double cityFactor(Market m, Optional<String> city) {
        if (city.isEmpty()) {
            return 1.0;
        }
        double logSum = 0;
        for (City c : m.cities()) {
            logSum += Math.log(rawFactor(m, c.name()));
        }
        return rawFactor(m, city.get()) / Math.exp(logSum / m.cities().size());
    }

    private static double rawFactor(Market m, String city) {
        Map<String, Double> known = CITY_FACTORS.get(m.id().value());
        if (known != null && known.containsKey(city)) {
            return known.get(city);
        }
        return m.cities().get(0).name().equals(city) ? 1.8 : 0.85;
    }

    private record Place(Jurisdiction jurisdiction, Optional<String> city) {
    }

    private static Place place(Market m, SplittableRandom r) {
        if (m.cities().isEmpty() || r.nextInt(10) == 0) {
            return new Place(m.jurisdictions().get(r.nextInt(m.jurisdictions().size())), Optional.empty());
        }
        City c = m.cities().get(r.nextInt(m.cities().size()));
        return new Place(c.jurisdiction(), Optional.of(c.name()));
    }

    private SplittableRandom random(Market m, int stream) {
        long h = seed * 0x9E3779B97F4A7C15L + m.id().value().hashCode() * 31L + stream;
        return new SplittableRandom(h);
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private final FeatureEncoder encoder;
        private long seed = 1;
        private Set<MarketId> planted = Set.of();
        private Map<MarketId, Double> shifts = Map.of();
        private final Set<MarketId> markets = new TreeSet<>();

        private Builder(FeatureEncoder encoder) {
            this.encoder = Objects.requireNonNull(encoder, "encoder");
            encoder.catalog().markets().forEach(m -> markets.add(m.id()));
        }

        /** The seed (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The markets to generate (default: all of the encoder's catalog).
         *
         * @throws GeoValidationException if one is not in the catalog
         */
        public Builder markets(Set<MarketId> markets) {
            for (MarketId id : markets) {
                if (encoder.catalog().find(id).isEmpty()) {
                    throw new GeoValidationException("Market '" + id + "' is not in the encoder's catalog.");
                }
            }
            if (markets.isEmpty()) {
                throw new GeoValidationException("Generate at least one market.");
            }
            this.markets.clear();
            this.markets.addAll(markets);
            return this;
        }

        /** The markets whose data differ from the common law as the class comment says (default none). */
        public Builder planted(Set<MarketId> planted) {
            for (MarketId id : planted) {
                if (encoder.catalog().find(id).isEmpty()) {
                    throw new GeoValidationException("Market '" + id + "' is not in the encoder's catalog.");
                }
            }
            this.planted = Set.copyOf(planted);
            return this;
        }

        /**
         * A planted miscalibration: the number added to the conversion logit of every lead of each market given
         * (default none; see the class comment).
         *
         * @throws GeoValidationException if a market is not in the catalog or a shift is not in [-3, 3]
         */
        public Builder conversionShift(Map<MarketId, Double> shifts) {
            for (Map.Entry<MarketId, Double> e : shifts.entrySet()) {
                if (encoder.catalog().find(e.getKey()).isEmpty()) {
                    throw new GeoValidationException("Market '" + e.getKey() + "' is not in the encoder's catalog.");
                }
                if (!(e.getValue() >= -3 && e.getValue() <= 3)) {
                    throw new GeoValidationException("A conversion shift is a logit in [-3, 3]; got " + e.getValue()
                            + " for market '" + e.getKey() + "'.");
                }
            }
            this.shifts = Map.copyOf(shifts);
            return this;
        }

        /** The generator. */
        public SyntheticMarkets build() {
            return new SyntheticMarkets(this);
        }
    }
}
