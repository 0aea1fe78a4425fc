package com.enterprisehub.geo.localization;

import static com.enterprisehub.geo.localization.Fixtures.australia;
import static com.enterprisehub.geo.localization.Fixtures.canada;
import static com.enterprisehub.geo.localization.Fixtures.quebec;
import static com.enterprisehub.geo.localization.Fixtures.uk;
import static com.enterprisehub.geo.localization.Fixtures.us;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Issue 4: at least 30 real-estate terms, worded per market, trademarks used correctly. */
class TerminologyTest {
    private static final List<MarketLocalizer> ALL = List.of(us(), canada(), quebec(), uk(), australia());

    private static Set<String> termKeys() {
        return Fixtures.L10N.keys().stream().filter(k -> k.startsWith("term.")).map(k -> k.substring(5))
                .collect(Collectors.toSet());
    }

    @Test
    void thereAreAtLeastThirtyTermsAndEveryLocaleWordsEachInItsOwnLanguage() {
        assertThat(termKeys()).hasSizeGreaterThanOrEqualTo(30).contains("agent", "listing", "condominium", "closing",
                "escrow", "owners_association", "property_tax", "listing_service", "ground_floor", "first_floor",
                "under_offer", "offer_accepted", "under_contract");
        for (MarketLocalizer l : ALL) { // the fixture is strict: a term missing in the locale's language throws
            for (String key : termKeys()) {
                l.termIfUsed(key).ifPresent(text -> assertThat(text).as("%s %s", l.locale(), key).isNotBlank()
                        .doesNotStartWith("term."));
            }
        }
        // Only REALTOR(R) lacks an equivalent somewhere (the UK and Australia).
        for (MarketLocalizer l : ALL) {
            for (String key : termKeys()) {
                if (l.termIfUsed(key).isEmpty()) {
                    assertThat(key).as("%s has no %s", l.locale(), key).isEqualTo("realtor");
                }
            }
        }
    }

    @Test
    void theSameStepHasEachMarketsName() {
        assertThat(ALL.stream().map(l -> l.term("closing")).toList()).containsExactly("closing", "closing",
                "signature de l'acte de vente", "completion", "settlement");
        assertThat(ALL.stream().map(l -> l.term("owners_association")).toList()).containsExactly(
                "homeowners association", "condominium corporation", "syndicat des copropriétaires",
                "management company", "owners corporation");
        assertThat(ALL.stream().map(l -> l.term("property_tax")).toList()).containsExactly("property tax",
                "property tax", "taxes foncières", "council tax", "council rates");
        assertThat(ALL.stream().map(l -> l.term("condominium")).toList()).containsExactly("condo", "condo",
                "copropriété", "flat", "unit");
        assertThat(ALL.stream().map(l -> l.term("offer_accepted")).toList()).containsExactly("under contract",
                "sold conditional", "promesse d'achat acceptée", "sold subject to contract", "under contract");
    }

    @Test
    void floorsAreCountedTheLocalWay() {
        // The storey at street level: "first floor" in North America, "ground floor" in the UK and Australia.
        assertThat(us().term("ground_floor")).isEqualTo("first floor");
        assertThat(us().term("first_floor")).isEqualTo("second floor");
        assertThat(uk().term("ground_floor")).isEqualTo("ground floor");
        assertThat(uk().term("first_floor")).isEqualTo("first floor");
        assertThat(quebec().term("ground_floor")).isEqualTo("rez-de-chaussée");
    }

    @Test
    void quebecTermsFollowTheOfficeQuebecoisDeLaLangueFrancaise() {
        assertThat(quebec().term("land_transfer_tax")).isEqualTo("droits de mutation immobilière")
                .doesNotContain("bienvenue");
        assertThat(quebec().term("mortgage")).isEqualTo("prêt hypothécaire");
        assertThat(quebec().term("townhouse")).isEqualTo("maison en rangée").doesNotContain("de ville");
        assertThat(quebec().term("agent")).isEqualTo("courtier immobilier");
        assertThat(quebec().term("ground_floor")).doesNotContain("premier plancher");
    }

    @Test
    void trademarksAreUsedAsTheirOwnersRequire() {
        // REALTOR(R): a membership mark in capitals with (R), never the occupation.
        assertThat(us().term("realtor")).isEqualTo("REALTOR®");
        assertThat(canada().term("realtor")).isEqualTo("REALTOR®");
        assertThat(quebec().term("realtor")).contains("REALTOR®").startsWith("courtier immobilier");
        for (MarketLocalizer l : ALL) {
            assertThat(l.term("agent")).doesNotContainIgnoringCase("realtor");
        }
        // No REALTOR(R) or MLS in the UK and Australia: the term is absent, never the occupation in disguise.
        assertThat(uk().termIfUsed("realtor")).isEmpty();
        assertThat(australia().termIfUsed("realtor")).isEmpty();
        assertThatThrownBy(() -> uk().term("realtor")).isInstanceOf(LocalizationException.class)
                .hasMessageContaining("termIfUsed");
        assertThat(uk().term("listing_service")).isEqualTo("property portal");
        // MLS(R) in Canada is CREA's certification mark, an adjective: "MLS(R) System"; generic "MLS" in the US.
        assertThat(canada().term("listing_service")).isEqualTo("MLS® System");
        assertThat(quebec().term("listing_service")).isEqualTo("système MLS®");
        assertThat(us().term("listing_service")).isEqualTo("MLS");
    }
}
