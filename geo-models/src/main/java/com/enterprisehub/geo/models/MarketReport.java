package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.Objects;
import java.util.Optional;

/**
 * The study's judgement for one market: the global and the localized model on the market's held-out rows, the lift
 * of the localized one and the decision.
 *
 * @param market the market
 * @param task the task
 * @param trainRows the market's rows used for training (the localized model's whole training set; a part of the
 *     global one's)
 * @param testRows the market's held-out rows
 * @param global the global model's metrics
 * @param localized the localized model's metrics, when one was trained
 * @param lift the localized model's improvement, with its simultaneous interval (Bonferroni over the markets judged,
 *     each at {@code 1 - alpha / m}): the reduction of the mean log loss
 *     (global minus localized, nats per lead; a proper scoring rule, so it rewards both ranking and calibration) for
 *     scoring, the relative MAE reduction ({@code (global - localized) / global}) for valuation
 * @param test the test of the lift behind the decision (bootstrap p-value, Holm-adjusted over the markets judged),
 *     when a localized model was judged
 * @param decision what was decided
 * @param explanation why, in a sentence
 * @param servedVersion the version of the model chosen for the market
 */
public record MarketReport(MarketId market, ModelTask task, int trainRows, int testRows, Metrics global,
        Optional<Metrics> localized, Optional<Estimate> lift, Optional<LiftTest> test, Decision decision, String explanation,
        String servedVersion) {
    public MarketReport {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(global, "global");
        Objects.requireNonNull(localized, "localized");
        Objects.requireNonNull(lift, "lift");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(explanation, "explanation");
        Objects.requireNonNull(servedVersion, "servedVersion");
    }
}
