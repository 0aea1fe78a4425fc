package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a {@link LocalizationStudy} produced for one task: the global model, the localized models it trained, a report
 * per market and, per market, the model to serve.
 *
 * @param task the task
 * @param global the global model, trained on every market's training rows
 * @param localized the localized models, by market (only where one could be trained)
 * @param reports the report of each market, by market
 * @param calibrations the Platt scaling of the model chosen for each market, fitted on that market's calibration
 *     leads (only with {@link ScoreCalibration#PLATT}, and only where the market had enough of them)
 */
public record StudyResult(ModelTask task, ModelArtifact global, Map<MarketId, ModelArtifact> localized,
        Map<MarketId, MarketReport> reports, Map<MarketId, PlattScaling> calibrations) {
    public StudyResult {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(global, "global");
        localized = Collections.unmodifiableMap(new TreeMap<>(localized));
        reports = Collections.unmodifiableMap(new TreeMap<>(reports));
        calibrations = Collections.unmodifiableMap(new TreeMap<>(calibrations));
    }

    /** A result without calibrations. */
    public StudyResult(ModelTask task, ModelArtifact global, Map<MarketId, ModelArtifact> localized,
            Map<MarketId, MarketReport> reports) {
        this(task, global, localized, reports, Map.of());
    }

    /**
     * The artifact to serve in {@code market}: the localized one where it was adopted, else the global one; with the
     * market's calibration where the study fitted one (so its version ends in {@code +platt} and its digest covers the
     * calibration).
     */
    public ModelArtifact chosen(MarketId market) {
        MarketReport report = reports.get(market);
        ModelArtifact base = report != null && report.decision() == Decision.ADOPT_LOCALIZED ? localized.get(market)
                : global;
        PlattScaling calibration = calibrations.get(market);
        return calibration == null ? base : base.withCalibration(calibration);
    }

    /** The report of {@code market}, if it had rows. */
    public Optional<MarketReport> report(MarketId market) {
        return Optional.ofNullable(reports.get(market));
    }

    /** The markets whose localized model was adopted. */
    public java.util.Set<MarketId> adopted() {
        java.util.Set<MarketId> out = new java.util.TreeSet<>();
        reports.forEach((m, r) -> {
            if (r.decision() == Decision.ADOPT_LOCALIZED) {
                out.add(m);
            }
        });
        return out;
    }

    /**
     * A plain-text table of the reports, one line per market: both models' headline metric, the lift with its
     * simultaneous interval, the bootstrap p-value and its Holm adjustment, the decision.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-7s %6s %5s  %-28s %-28s %-28s %-7s %-7s %s%n", "market", "train",
                "test", task == ModelTask.LEAD_SCORING ? "AUC global" : "MAPE global",
                task == ModelTask.LEAD_SCORING ? "AUC localized" : "MAPE localized",
                task == ModelTask.LEAD_SCORING ? "lift (log-loss reduction)" : "lift (MAE reduction)", "p",
                "Holm p", "decision"));
        for (MarketReport r : reports.values()) {
            sb.append(String.format(Locale.ROOT, "%-7s %6d %5d  %-28s %-28s %-28s %-7s %-7s %s%n", r.market(),
                    r.trainRows(), r.testRows(), headline(r.global()),
                    r.localized().map(StudyResult::headline).orElse("-"), r.lift().map(Estimate::toString).orElse("-"),
                    r.test().map(t -> String.format(Locale.ROOT, "%.4f", t.pValue())).orElse("-"),
                    r.test().map(t -> String.format(Locale.ROOT, "%.4f", t.adjustedPValue())).orElse("-"),
                    r.decision()));
        }
        return sb.toString();
    }

    private static String headline(Metrics m) {
        if (m instanceof ScoringMetrics s) {
            return s.auc().toString();
        }
        ValuationMetrics v = (ValuationMetrics) m;
        return v.mape() + String.format(Locale.ROOT, " cov %.2f", v.coverage().estimate());
    }
}
