package com.enterprisehub.geo.models;

import static com.enterprisehub.geo.models.Fixtures.GB;
import static com.enterprisehub.geo.models.Fixtures.US_TX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Population stability per market and feature between training leads and recent ones: a drift is found where one was
 * planted (gb's recent leads come from a generator with city price factors, so their budgets spread) and nowhere else.
 */
class FeatureDriftTest {

    @Test
    void driftIsFoundWherePlantedAndNowhereElse() {
        FeatureEncoder encoder = Fixtures.encoder();
        List<Lead> training = leads(SyntheticMarkets.builder(encoder).markets(Set.of(GB, US_TX)).planted(Set.of())
                .seed(41).build(), 2000);
        List<Lead> recent = new ArrayList<>(leads(SyntheticMarkets.builder(encoder).markets(Set.of(US_TX))
                .planted(Set.of()).seed(42).build(), 1500));
        recent.addAll(leads(SyntheticMarkets.builder(encoder).markets(Set.of(GB)).planted(Set.of(GB)).seed(42)
                .build(), 1500));

        // the planted city factors spread gb's budgets: a moderate shift (PSI about 0.2), flagged at 0.1
        DriftReport report = FeatureDrift.builder(encoder).threshold(0.1).build().leads(training, recent);

        MarketDrift gb = report.markets().get(GB);
        MarketDrift tx = report.markets().get(US_TX);
        assertThat(gb.trainingRows()).isEqualTo(2000);
        assertThat(gb.recentRows()).isEqualTo(1500);
        assertThat(gb.drifted()).extracting(FeatureStability::feature).contains("log_budget");
        assertThat(gb.feature("log_budget").orElseThrow().psi()).isGreaterThan(0.1);
        assertThat(tx.drifted()).isEmpty();
        // identical law: every index near its chance level, about 9 (1/2000 + 1/1500) = 0.0105
        assertThat(tx.features()).allSatisfy(f -> assertThat(f.psi()).as(f.feature()).isLessThan(0.05));
        assertThat(report.drifted()).containsExactly(GB);
        assertThat(report.summary()).contains("gb").contains("log_budget");
    }

    @Test
    void psiIsZeroForTheSameRowsAndRefusesTooFew() {
        FeatureEncoder encoder = Fixtures.encoder();
        List<Lead> rows = leads(SyntheticMarkets.builder(encoder).markets(Set.of(GB)).planted(Set.of()).seed(43)
                .build(), 500);
        DriftReport same = FeatureDrift.builder(encoder).build().leads(rows, rows);
        assertThat(same.markets().get(GB).features()).allSatisfy(f -> assertThat(f.psi()).isCloseTo(0.0,
                org.assertj.core.api.Assertions.within(1e-12)));
        assertThat(FeatureDrift.builder(encoder).build().leads(rows, rows.subList(0, 10)).markets().get(GB)
                .insufficient()).isPresent();
        assertThatThrownBy(() -> FeatureDrift.builder(encoder).threshold(0)).isInstanceOf(GeoValidationException.class);
    }

    /**
     * A rare indicator (1 in 5% of training leads, so every decile edge is 0) must still separate its 0s from its 1s,
     * and so must a common one (1 in 95%, every edge 1): a share that moves is a drift, one that does not is none.
     */
    @Test
    void indicatorsWhoseEdgesAreAllOneValueStillShowTheirShift() {
        FeatureEncoder encoder = Fixtures.encoder();
        List<Lead> training = indicators(leads(SyntheticMarkets.builder(encoder).markets(Set.of(US_TX))
                .planted(Set.of()).seed(44).build(), 2000), 20, 20);
        List<Lead> recent = leads(SyntheticMarkets.builder(encoder).markets(Set.of(US_TX)).planted(Set.of())
                .seed(45).build(), 1500);
        FeatureDrift drift = FeatureDrift.builder(encoder).build();

        // pre_approved 5% -> 50% (PSI about 1.2), first_time_buyer 95% -> 50% (the same shift mirrored)
        MarketDrift shifted = drift.leads(training, indicators(recent, 2, 2)).markets().get(US_TX);
        assertThat(shifted.feature("pre_approved").orElseThrow().psi()).isGreaterThan(0.5);
        assertThat(shifted.feature("first_time_buyer").orElseThrow().psi()).isGreaterThan(0.5);
        assertThat(shifted.drifted()).extracting(FeatureStability::feature)
                .contains("pre_approved", "first_time_buyer");

        // the same 5% and 95% shares on other rows: no drift
        MarketDrift stable = drift.leads(training, indicators(recent, 20, 20)).markets().get(US_TX);
        assertThat(stable.feature("pre_approved").orElseThrow().psi()).isLessThan(0.05);
        assertThat(stable.feature("first_time_buyer").orElseThrow().psi()).isLessThan(0.05);
        assertThat(stable.drifted()).isEmpty();
    }

    /** The leads with pre-approval on every {@code preEvery}-th lead and first-time buyers on all but those. */
    private static List<Lead> indicators(List<Lead> leads, int preEvery, int notFirstEvery) {
        List<Lead> out = new ArrayList<>();
        for (int k = 0; k < leads.size(); k++) {
            Lead l = leads.get(k);
            out.add(new Lead(l.market(), l.jurisdiction(), l.city(), l.createdOn(), l.source(), l.responseMinutes(),
                    l.budget(), k % preEvery == 0, k % notFirstEvery != 1, l.pageViews()));
        }
        return out;
    }

    private static List<Lead> leads(SyntheticMarkets generator, int perMarket) {
        return generator.leads(perMarket).stream().map(LabeledLead::lead).toList();
    }
}
