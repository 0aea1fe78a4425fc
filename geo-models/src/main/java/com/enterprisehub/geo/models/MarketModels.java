package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.javamoney.moneta.Money;

/**
 * Serves one task's models by the bound tenant's market: the market's own model where one was given (the study's
 * adopted localized model), else the global one. Every answer carries the version of the model that gave it.
 *
 * <pre>{@code
 * MarketModels scoring = MarketModels.fromStudy(encoder, study.scoring(leads));
 * try (TenantContext.Scope s = TenantContext.open(tenant)) {
 *     LeadScore score = scoring.score(lead);        // the tenant's market's model; lead of another market refused
 * }
 * }</pre>
 *
 * <p>Fails closed: without a bound tenant ({@link com.enterprisehub.geo.core.NoTenantBoundException}), or for a lead
 * or property of another market than the tenant's. Thread-safe and immutable after building; a call allocates only
 * its feature vector and the model's output. Closing closes the models it was given.
 */
public final class MarketModels implements AutoCloseable {
    private final ModelTask task;
    private final FeatureEncoder encoder;
    private final Served global;
    private final Map<MarketId, Served> byMarket;
    private final java.util.SortedSet<MarketId> localizedMarkets;
    private final List<PredictiveModel> owned;

    private record Served(PredictiveModel model, FeatureSet set, int width, String version, boolean localized,
            double halfWidth, double level, PlattScaling calibration, ModelArtifact artifact) {
        Served calibrated(PlattScaling c) {
            ModelArtifact a = artifact.withoutCalibration().withCalibration(c);
            return new Served(model, set, width, a.version(), localized, halfWidth, level, c, a);
        }
    }

    private MarketModels(Builder b) {
        this.task = b.task;
        this.encoder = b.encoder;
        this.global = b.global;
        Map<MarketId, Served> served = new HashMap<>(b.byMarket);
        b.calibrations.forEach((market, c) -> served.put(market, served.getOrDefault(market, b.global).calibrated(c)));
        this.byMarket = Map.copyOf(served);
        this.localizedMarkets = b.byMarket.keySet().stream().collect(java.util.stream.Collectors.toCollection(
                java.util.TreeSet::new));
        this.owned = List.copyOf(b.owned);
    }

    /** A builder for {@code task}'s models, whose vectors {@code encoder} makes. */
    public static Builder builder(FeatureEncoder encoder, ModelTask task) {
        return new Builder(encoder, task);
    }

    /**
     * Serves what {@code study} chose: the global model, and the localized model in each market that adopted it,
     * loaded with the provider of their format ({@link Models#load(ModelArtifact)}), each market's calibration
     * ({@link StudyResult#calibrations()}) applied to its scores; every answer's version is
     * {@link StudyResult#chosen(MarketId)}'s.
     */
    public static MarketModels fromStudy(FeatureEncoder encoder, StudyResult study) {
        return fromStudy(encoder, study, Models::load);
    }

    /** As {@link #fromStudy(FeatureEncoder, StudyResult)}, loading artifacts with {@code loader}. */
    public static MarketModels fromStudy(FeatureEncoder encoder, StudyResult study,
            Function<ModelArtifact, PredictiveModel> loader) {
        Builder b = builder(encoder, study.task());
        Map<ModelArtifact, PredictiveModel> loaded = new IdentityHashMap<>();
        try {
            b.global(loaded.computeIfAbsent(study.global(), loader));
            for (MarketId market : study.adopted()) {
                b.market(market, loaded.computeIfAbsent(study.localized().get(market), loader));
            }
            study.calibrations().forEach(b::calibration);
            return b.build();
        } catch (RuntimeException e) {
            loaded.values().forEach(PredictiveModel::close);
            throw e;
        }
    }

    /** The task served. */
    public ModelTask task() {
        return task;
    }

    /** The version of the model serving {@code market} (its own, or the global one). */
    public String versionFor(MarketId market) {
        return served(market).version();
    }

    /** The markets with a model of their own. */
    public java.util.Set<MarketId> localizedMarkets() {
        return java.util.Collections.unmodifiableSortedSet(localizedMarkets);
    }

    /**
     * Scores {@code lead} for the bound tenant with its market's model.
     *
     * @throws com.enterprisehub.geo.core.NoTenantBoundException if no tenant is bound
     * @throws GeoValidationException if the lead is of another market than the tenant's, or these are not lead-scoring
     *     models
     */
    public LeadScore score(Lead lead) {
        Objects.requireNonNull(lead, "lead");
        MarketId market = tenantMarket(lead.market(), "score a lead", ModelTask.LEAD_SCORING);
        Served s = served(market);
        float[] x = new float[s.width];
        encoder.encode(lead, s.set, x, 0);
        double p = s.model.predict(x);
        if (s.calibration != null) {
            p = s.calibration.apply(p);
        }
        return new LeadScore(Math.min(1, Math.max(0, p)), market, s.version, s.localized);
    }

    /**
     * Values {@code property} for the bound tenant with its market's model, in the market's currency.
     *
     * @throws com.enterprisehub.geo.core.NoTenantBoundException if no tenant is bound
     * @throws GeoValidationException if the property is of another market than the tenant's, or these are not
     *     valuation models
     */
    public Valuation value(Property property) {
        Objects.requireNonNull(property, "property");
        MarketId market = tenantMarket(property.market(), "value a property", ModelTask.VALUATION);
        Served s = served(market);
        float[] x = new float[s.width];
        encoder.encode(property, s.set, x, 0);
        double log = s.model.predict(x);
        String currency = encoder.catalog().require(market).currency().getCurrencyCode();
        return new Valuation(money(log, market, currency), money(log - s.halfWidth, market, currency),
                money(log + s.halfWidth, market, currency), s.level, market, s.version, s.localized);
    }

    private Money money(double logCommon, MarketId market, String currency) {
        return Money.of(BigDecimal.valueOf(encoder.fromCommon(Math.exp(logCommon), market))
                .setScale(0, RoundingMode.HALF_EVEN), currency);
    }

    private MarketId tenantMarket(MarketId rowMarket, String operation, ModelTask expected) {
        if (task != expected) {
            throw new GeoValidationException("These are " + task + " models; " + operation + " needs " + expected
                    + " models. Build a MarketModels for that task.");
        }
        Tenant tenant = TenantContext.require(operation);
        if (!tenant.market().equals(rowMarket)) {
            throw new GeoValidationException("Cannot " + operation + " of market '" + rowMarket + "' for tenant '"
                    + tenant.id() + "' of market '" + tenant.market() + "': a tenant is served by its own market's"
                    + " model only.");
        }
        return rowMarket;
    }

    private Served served(MarketId market) {
        Served s = byMarket.get(market);
        return s != null ? s : global;
    }

    /** Closes every model it was given (once each). */
    @Override
    public void close() {
        java.util.Set<PredictiveModel> done = Collections.newSetFromMap(new IdentityHashMap<>());
        for (PredictiveModel m : owned) {
            if (done.add(m)) {
                m.close();
            }
        }
    }

    @Override
    public String toString() {
        return "MarketModels[" + task + ", global " + global.version + ", localized in " + localizedMarkets() + "]";
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private final FeatureEncoder encoder;
        private final ModelTask task;
        private Served global;
        private final Map<MarketId, Served> byMarket = new HashMap<>();
        private final Map<MarketId, PlattScaling> calibrations = new HashMap<>();
        private final List<PredictiveModel> owned = new ArrayList<>();

        private Builder(FeatureEncoder encoder, ModelTask task) {
            this.encoder = Objects.requireNonNull(encoder, "encoder");
            this.task = Objects.requireNonNull(task, "task");
        }

        /**
         * The model for markets without one of their own (required).
         *
         * @throws GeoValidationException if it is of another task or its schema is none of the encoder's
         */
        public Builder global(PredictiveModel model) {
            Optional<MarketId> calibratedOn = model.artifact().calibration().flatMap(PlattScaling::market);
            if (calibratedOn.isPresent()) {
                throw new GeoValidationException("The model " + model.artifact().version() + " is calibrated on market '"
                        + calibratedOn.get() + "' leads; it cannot be the global model. Give the uncalibrated model"
                        + " and calibration(market, scaling).");
            }
            this.global = served(model, false);
            owned.add(model);
            return this;
        }

        /**
         * {@code market}'s own model.
         *
         * @throws GeoValidationException if the market is not in the encoder's catalog, the model is of another task,
         *     its schema is none of the encoder's, or it was trained on another market's data alone
         */
        public Builder market(MarketId market, PredictiveModel model) {
            encoder.catalog().require(market);
            Optional<MarketId> trainedOn = model.artifact().market();
            if (trainedOn.isPresent() && !trainedOn.get().equals(market)) {
                throw new GeoValidationException("The model " + model.artifact().version() + " was trained on market '"
                        + trainedOn.get() + "' alone; it cannot serve market '" + market + "'.");
            }
            Optional<MarketId> calibratedOn = model.artifact().calibration().flatMap(PlattScaling::market);
            if (calibratedOn.isPresent() && !calibratedOn.get().equals(market)) {
                throw new GeoValidationException("The model " + model.artifact().version() + " is calibrated on market '"
                        + calibratedOn.get() + "' leads; it cannot serve market '" + market + "'.");
            }
            byMarket.put(market, served(model, true));
            owned.add(model);
            return this;
        }

        /**
         * A lead-scoring calibration for {@code market}, applied to the scores of whichever model serves it (its own,
         * or the global one); the answers' version is that model's artifact with this calibration.
         *
         * @throws GeoValidationException if the market is not in the encoder's catalog, these are not lead-scoring
         *     models, or the scaling was fitted on another market's leads
         */
        public Builder calibration(MarketId market, PlattScaling scaling) {
            encoder.catalog().require(market);
            Objects.requireNonNull(scaling, "scaling");
            if (task != ModelTask.LEAD_SCORING) {
                throw new GeoValidationException("Only lead scores are calibrated; these are " + task + " models.");
            }
            if (scaling.market().isPresent() && !scaling.market().get().equals(market)) {
                throw new GeoValidationException("The calibration was fitted on market '" + scaling.market().get()
                        + "' leads; it cannot calibrate market '" + market + "'.");
            }
            calibrations.put(market, scaling);
            return this;
        }

        private Served served(PredictiveModel model, boolean localized) {
            Objects.requireNonNull(model, "model");
            ModelArtifact a = model.artifact();
            if (a.task() != task) {
                throw new GeoValidationException("The model " + a.version() + " is a " + a.task() + " model; this"
                        + " builder serves " + task + ".");
            }
            FeatureSet set = encoder.setOf(task, a.schema()).orElseThrow(() -> new GeoValidationException("The model "
                    + a.version() + " reads features " + a.schema().names() + ", which is neither feature set of this"
                    + " encoder; train it with the encoder (and market catalog) that serves it."));
            if (task == ModelTask.VALUATION && !a.currency().orElseThrow().equals(encoder.commonCurrency())) {
                throw new GeoValidationException("The model " + a.version() + " predicts prices in "
                        + a.currency().orElseThrow() + " but the encoder converts to " + encoder.commonCurrency() + ".");
            }
            double half = a.interval().map(ConformalInterval::logHalfWidth).orElse(0.0);
            double level = a.interval().map(ConformalInterval::level).orElse(0.0);
            return new Served(model, set, a.schema().size(), a.version(), localized, half, level,
                    a.calibration().orElse(null), a);
        }

        /**
         * The served models.
         *
         * @throws GeoValidationException if no global model was given
         */
        public MarketModels build() {
            if (global == null) {
                throw new GeoValidationException("MarketModels needs a global model for markets without their own;"
                        + " call global(model).");
            }
            return new MarketModels(this);
        }
    }
}
