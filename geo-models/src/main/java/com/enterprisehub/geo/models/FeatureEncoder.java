package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.City;
import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.localization.AreaUnit;
import com.enterprisehub.geo.localization.OfflineRates;
import com.enterprisehub.geo.localization.tax.TransferTaxes;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.money.Monetary;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;

/**
 * Turns leads and properties of any market into feature vectors a model of one {@link FeatureSet} reads.
 *
 * <p>Lead features, in order: {@code log_budget} (natural log of the budget in the common currency, converted with
 * the host's offline rates), {@code transfer_tax_share} (the transfer taxes the buyer would pay on the budget, from
 * geo-localization's calculators, as a share of it; {@code NaN}, which the models treat as missing, when no
 * calculator covers the jurisdiction and date or no calculators were given), {@code log_response_minutes}
 * ({@code ln(1 + minutes)}), {@code pre_approved}, {@code first_time_buyer}, {@code log_page_views}, one indicator
 * per {@link LeadSource}, then the calendar. Property features: {@code log_floor_area_m2} (any unit converted to
 * square metres), {@code bedrooms}, {@code bathrooms}, {@code age_years}, then the calendar.
 *
 * <p>Calendar: {@link FeatureSet#GLOBAL} has {@code month_cos} and {@code month_sin}, the day of the year as an
 * angle; {@link FeatureSet#LOCALIZED} has {@code season_cos} and {@code season_sin}, the same angle shifted by half a
 * year in the southern hemisphere (countries {@link #SOUTHERN_COUNTRIES}), so that January is midsummer in Sydney
 * and midwinter in Chicago. {@link FeatureSet#LOCALIZED} then adds an indicator per market ({@code market=us-ca}),
 * jurisdiction ({@code jurisdiction=GB-SCT}) and city ({@code city=au/Sydney}) of the catalog.
 *
 * <p>Immutable and thread-safe.
 */
public final class FeatureEncoder {
    /** Countries (ISO 3166-1) whose seasons are shifted by half a year: wholly in the southern hemisphere. */
    public static final Set<String> SOUTHERN_COUNTRIES = Set.of("AU", "NZ", "ZA", "AR", "CL", "UY");

    private static final List<String> LEAD_BASE = List.of("log_budget", "transfer_tax_share", "log_response_minutes",
            "pre_approved", "first_time_buyer", "log_page_views");
    private static final List<String> PROPERTY_BASE = List.of("log_floor_area_m2", "bedrooms", "bathrooms",
            "age_years");
    /** Any northern jurisdiction: the global feature set reads the calendar as if everywhere were north. */
    private static final Jurisdiction NORTHERN = Jurisdiction.of("US-NY");
    private static final double SQUARE_METRES_PER_SQUARE_FOOT = AreaUnit.SQUARE_FOOT.squareMetres().doubleValue();

    private final MarketCatalog catalog;
    private final Currency common;
    private final OfflineRates rates;
    private final Map<String, Double> toCommon;
    private final Optional<TransferTaxes> taxes;
    private final Map<String, Integer> marketIndex = new HashMap<>();
    private final Map<String, Integer> jurisdictionIndex = new HashMap<>();
    private final Map<String, Integer> cityIndex = new HashMap<>();
    private final List<String> identityNames;
    private final Map<ModelTask, Map<FeatureSet, FeatureSchema>> schemas;

    private FeatureEncoder(Builder b) {
        this.catalog = b.catalog;
        this.common = b.common;
        this.rates = b.rates;
        this.taxes = Optional.ofNullable(b.taxes);
        Map<String, Double> factors = new HashMap<>();
        for (Market m : catalog.markets()) {
            String code = m.currency().getCurrencyCode();
            factors.computeIfAbsent(code, c -> factor(c, common.getCurrencyCode()));
        }
        this.toCommon = Map.copyOf(factors);
        List<String> identity = new ArrayList<>();
        for (Market m : catalog.markets()) {
            marketIndex.put(m.id().value(), identity.size());
            identity.add("market=" + m.id().value());
        }
        for (Market m : catalog.markets()) {
            for (Jurisdiction j : m.jurisdictions()) {
                if (!jurisdictionIndex.containsKey(j.code())) {
                    jurisdictionIndex.put(j.code(), identity.size());
                    identity.add("jurisdiction=" + j.code());
                }
            }
        }
        for (Market m : catalog.markets()) {
            for (City c : m.cities()) {
                String key = m.id().value() + "/" + c.name();
                cityIndex.put(key, identity.size());
                identity.add("city=" + key);
            }
        }
        this.identityNames = List.copyOf(identity);
        Map<ModelTask, Map<FeatureSet, FeatureSchema>> s = new HashMap<>();
        for (ModelTask task : ModelTask.values()) {
            Map<FeatureSet, FeatureSchema> bySet = new HashMap<>();
            for (FeatureSet set : FeatureSet.values()) {
                List<String> names = new ArrayList<>(task == ModelTask.LEAD_SCORING ? LEAD_BASE : PROPERTY_BASE);
                if (task == ModelTask.LEAD_SCORING) {
                    for (LeadSource source : LeadSource.values()) {
                        names.add("source=" + source.name().toLowerCase(java.util.Locale.ROOT));
                    }
                }
                if (set == FeatureSet.GLOBAL) {
                    names.add("month_cos");
                    names.add("month_sin");
                } else {
                    names.add("season_cos");
                    names.add("season_sin");
                    names.addAll(identityNames);
                }
                bySet.put(set, new FeatureSchema(names));
            }
            s.put(task, Collections.unmodifiableMap(bySet));
        }
        this.schemas = Collections.unmodifiableMap(s);
    }

    private double factor(String from, String to) {
        if (!rates.currencies().contains(from) || !rates.currencies().contains(to)) {
            throw new GeoValidationException("The exchange rates (" + rates.source() + ", " + rates.asOf() + ") lack "
                    + (rates.currencies().contains(from) ? to : from) + ", which the catalog's markets need to convert"
                    + " to " + to + "; add it to the rates file.");
        }
        return rates.getExchangeRate(Monetary.getCurrency(from), Monetary.getCurrency(to)).getFactor()
                .doubleValue();
    }

    /** A builder over {@code catalog}'s markets. */
    public static Builder builder(MarketCatalog catalog) {
        return new Builder(catalog);
    }

    /** The catalog whose markets it encodes. */
    public MarketCatalog catalog() {
        return catalog;
    }

    /** The currency amounts are converted to. */
    public Currency commonCurrency() {
        return common;
    }

    /** The schema of {@code task}'s vectors in {@code set}. */
    public FeatureSchema schema(ModelTask task, FeatureSet set) {
        return schemas.get(Objects.requireNonNull(task, "task")).get(Objects.requireNonNull(set, "set"));
    }

    /** The feature set whose schema for {@code task} equals {@code schema}, if any. */
    public Optional<FeatureSet> setOf(ModelTask task, FeatureSchema schema) {
        for (FeatureSet set : FeatureSet.values()) {
            if (schema(task, set).equals(schema)) {
                return Optional.of(set);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code amount} in the common currency, as a double.
     *
     * @throws GeoValidationException if its currency is not one of the catalog's markets'
     */
    public double toCommon(MonetaryAmount amount) {
        Double f = toCommon.get(amount.getCurrency().getCurrencyCode());
        if (f == null) {
            throw new GeoValidationException("No exchange rate for " + amount.getCurrency() + " was loaded: amounts"
                    + " must be in the currency of one of the catalog's markets " + toCommon.keySet() + ".");
        }
        return amount.getNumber().doubleValue() * f;
    }

    /** {@code amount} of the common currency in {@code market}'s currency, as a double. */
    public double fromCommon(double amount, MarketId market) {
        return amount / toCommon.get(catalog.require(market).currency().getCurrencyCode());
    }

    /** A new vector of {@code lead}'s features in {@code set}. */
    public float[] encode(Lead lead, FeatureSet set) {
        float[] out = new float[schema(ModelTask.LEAD_SCORING, set).size()];
        encode(lead, set, out, 0);
        return out;
    }

    /**
     * Writes {@code lead}'s features in {@code set} into {@code out} from {@code offset}.
     *
     * @throws GeoValidationException if the lead's market is not in the catalog, its jurisdiction not the market's,
     *     or its budget not in the market's currency
     */
    public void encode(Lead lead, FeatureSet set, float[] out, int offset) {
        Market market = check(lead.market(), lead.jurisdiction());
        checkCurrency(lead.budget(), market);
        int width = schema(ModelTask.LEAD_SCORING, set).size();
        java.util.Arrays.fill(out, offset, offset + width, 0f);
        int i = offset;
        out[i++] = (float) Math.log(toCommon(lead.budget()));
        out[i++] = (float) taxShare(lead);
        out[i++] = (float) Math.log1p(lead.responseMinutes());
        out[i++] = lead.preApproved() ? 1f : 0f;
        out[i++] = lead.firstTimeBuyer() ? 1f : 0f;
        out[i++] = (float) Math.log1p(lead.pageViews());
        out[i + lead.source().ordinal()] = 1f;
        i += LeadSource.values().length;
        i = calendar(lead.createdOn(), lead.jurisdiction(), set, out, i);
        identity(market, lead.jurisdiction(), lead.city(), set, out, i);
    }

    /** A new vector of {@code property}'s features in {@code set}. */
    public float[] encode(Property property, FeatureSet set) {
        float[] out = new float[schema(ModelTask.VALUATION, set).size()];
        encode(property, set, out, 0);
        return out;
    }

    /**
     * Writes {@code property}'s features in {@code set} into {@code out} from {@code offset}.
     *
     * @throws GeoValidationException if its market is not in the catalog or its jurisdiction not the market's
     */
    public void encode(Property property, FeatureSet set, float[] out, int offset) {
        Market market = check(property.market(), property.jurisdiction());
        int width = schema(ModelTask.VALUATION, set).size();
        java.util.Arrays.fill(out, offset, offset + width, 0f);
        int i = offset;
        out[i++] = (float) Math.log(squareMetres(property));
        out[i++] = property.bedrooms();
        out[i++] = property.bathrooms();
        out[i++] = Math.max(0, property.listedOn().getYear() - property.yearBuilt());
        i = calendar(property.listedOn(), property.jurisdiction(), set, out, i);
        identity(market, property.jurisdiction(), property.city(), set, out, i);
    }

    /** The property's floor area in square metres. */
    public static double squareMetres(Property property) {
        if (property.floorArea().unit() == AreaUnit.SQUARE_FOOT) {
            return property.floorArea().value().doubleValue() * SQUARE_METRES_PER_SQUARE_FOOT;
        }
        return property.floorArea().squareMetres().doubleValue();
    }

    /** Whether {@code jurisdiction} lies in the southern hemisphere (its seasons are shifted by half a year). */
    public static boolean southern(Jurisdiction jurisdiction) {
        return SOUTHERN_COUNTRIES.contains(jurisdiction.country());
    }

    /**
     * The local season's angle of {@code date}: the day of the year as an angle (0 on 1 January), plus pi in the
     * southern hemisphere.
     */
    public static double seasonAngle(LocalDate date, Jurisdiction jurisdiction) {
        double angle = 2 * Math.PI * (date.getDayOfYear() - 1) / 365.25;
        return southern(jurisdiction) ? angle + Math.PI : angle;
    }

    private Market check(MarketId id, Jurisdiction jurisdiction) {
        Market market = catalog.find(id).orElseThrow(() -> new GeoValidationException("Market '" + id
                + "' is not in the encoder's catalog " + catalog.ids() + "; build the encoder with a catalog that"
                + " has it."));
        if (!market.covers(jurisdiction)) {
            throw new GeoValidationException(jurisdiction + " is not a jurisdiction of market '" + id + "' ("
                    + market.jurisdictions() + ").");
        }
        return market;
    }

    private static void checkCurrency(MonetaryAmount amount, Market market) {
        if (!amount.getCurrency().getCurrencyCode().equals(market.currency().getCurrencyCode())) {
            throw new GeoValidationException("An amount in market '" + market.id() + "' must be in "
                    + market.currency() + "; got " + amount.getCurrency() + ".");
        }
    }

    /** The buyer's transfer taxes on the lead's budget as a share of it, or NaN when they cannot be computed. */
    double taxShare(Lead lead) {
        if (taxes.isEmpty()) {
            return Double.NaN;
        }
        try {
            BigDecimal budget = lead.budget().getNumber().numberValue(BigDecimal.class)
                    .setScale(0, RoundingMode.HALF_EVEN);
            TransferTaxRequest.Builder request = TransferTaxRequest.builder(
                    Money.of(budget, lead.budget().getCurrency()), lead.jurisdiction().code(), lead.createdOn());
            lead.city().ifPresent(request::city);
            if (lead.firstTimeBuyer()) {
                request.firstTimeBuyer();
            }
            MonetaryAmount tax = taxes.get().calculate(request.build()).buyerPays();
            return tax.getNumber().doubleValue() / budget.doubleValue();
        } catch (GeoException e) {
            return Double.NaN; // no calculator for the jurisdiction or date, or an unknown city: missing
        }
    }

    private static int calendar(LocalDate date, Jurisdiction jurisdiction, FeatureSet set, float[] out, int i) {
        double angle = seasonAngle(date, set == FeatureSet.GLOBAL ? NORTHERN : jurisdiction);
        out[i++] = (float) Math.cos(angle);
        out[i++] = (float) Math.sin(angle);
        return i;
    }

    private void identity(Market market, Jurisdiction jurisdiction, Optional<String> city, FeatureSet set, float[] out,
            int i) {
        if (set == FeatureSet.GLOBAL) {
            return;
        }
        out[i + marketIndex.get(market.id().value())] = 1f;
        out[i + jurisdictionIndex.get(jurisdiction.code())] = 1f;
        if (city.isPresent()) {
            Integer c = cityIndex.get(market.id().value() + "/" + city.get());
            if (c != null) {
                out[i + c] = 1f;
            }
        }
    }

    @Override
    public String toString() {
        return "FeatureEncoder[" + catalog.size() + " markets, common currency " + common + ", rates "
                + rates.source() + " " + rates.asOf() + ", transfer taxes " + (taxes.isPresent() ? "on" : "off") + "]";
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private final MarketCatalog catalog;
        private OfflineRates rates;
        private Currency common;
        private TransferTaxes taxes;

        private Builder(MarketCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
        }

        /**
         * The exchange rates (required) and the common currency amounts are converted to ({@code USD}); the rates
         * must list every market's currency and the common one.
         */
        public Builder rates(OfflineRates rates, String commonCurrency) {
            this.rates = Objects.requireNonNull(rates, "rates");
            try {
                this.common = Currency.getInstance(Objects.requireNonNull(commonCurrency, "commonCurrency"));
            } catch (IllegalArgumentException e) {
                throw new GeoValidationException("'" + commonCurrency + "' is not an ISO 4217 currency code.");
            }
            return this;
        }

        /**
         * The transfer-tax calculators ({@code TransferTaxes.fromClassPath()}); without them the feature
         * {@code transfer_tax_share} is missing ({@code NaN}) for every lead.
         */
        public Builder transferTaxes(TransferTaxes taxes) {
            this.taxes = Objects.requireNonNull(taxes, "taxes");
            return this;
        }

        /**
         * The encoder.
         *
         * @throws GeoValidationException if no rates were given or they lack a market's currency
         */
        public FeatureEncoder build() {
            if (rates == null) {
                throw new GeoValidationException("A feature encoder needs exchange rates and a common currency:"
                        + " call rates(OfflineRates.load(path), \"USD\").");
            }
            return new FeatureEncoder(this);
        }
    }
}
