package com.enterprisehub.geo.platform.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.platform.PlatformException;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ComplianceProfilesTest {
    static final ComplianceProfiles PROFILES = ComplianceProfiles.defaults();
    static final MarketCatalog MARKETS = MarketCatalog.defaults();
    static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

    @Test
    void everySeedJurisdictionHasABreachContactAndAMarketingConsentRequirementWithASource() {
        for (var market : MARKETS.markets()) {
            for (Jurisdiction j : market.jurisdictions()) {
                assertThat(PROFILES.requirements(j)).as(j.code()).extracting(Requirement::check)
                        .contains(Check.BREACH_CONTACT, Check.ELECTRONIC_MARKETING_CONSENT);
                assertThat(PROFILES.requirements(j)).allSatisfy(r -> assertThat(r.source().getHost()).isNotBlank());
            }
        }
        assertThat(PROFILES.requirements(Jurisdiction.of("GB-ENG"))).filteredOn(r -> r.check() == Check.BREACH_CONTACT)
                .extracting(Requirement::deadline).containsExactly(java.util.Optional.of(Duration.ofHours(72)));
    }

    @Test
    void thresholdsDecideWhetherALawApplies() {
        var usCa = MARKETS.require(MarketId.of("us-ca"));
        ComplianceConfiguration small = ComplianceConfiguration.builder()
                .annualRevenue(new BigDecimal("5000000"), "USD").consumersPerYear(20_000).build();
        ComplianceReport report = PROFILES.evaluate(usCa, small, DeploymentRegion.US_WEST, TODAY);
        assertThat(report.results()).filteredOn(r -> r.requirement().check() == Check.OPT_OUT_LINK).singleElement()
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(Status.NOT_APPLICABLE);
                    assertThat(r.reason()).contains("USD 26,625,000", "100,000 consumers");
                });
        // "In excess of" USD 26,625,000 (Cal. Civ. Code 1798.140(d)(1)(A), CPI-adjusted): equal is not enough.
        for (String revenue : new String[] {"26625000", "26625000.01"}) {
            ComplianceConfiguration edge = ComplianceConfiguration.builder()
                    .annualRevenue(new BigDecimal(revenue), "USD").consumersPerYear(20_000).build();
            assertThat(PROFILES.evaluate(usCa, edge, DeploymentRegion.US_WEST, TODAY).results())
                    .filteredOn(r -> r.requirement().check() == Check.OPT_OUT_LINK).extracting(RequirementResult::status)
                    .as("revenue " + revenue).containsExactly(revenue.equals("26625000") ? Status.NOT_APPLICABLE
                            : Status.NOT_MET);
        }
        ComplianceConfiguration unknown = ComplianceConfiguration.none();
        assertThat(PROFILES.evaluate(usCa, unknown, DeploymentRegion.US_WEST, TODAY).results())
                .filteredOn(r -> r.requirement().check() == Check.OPT_OUT_LINK).extracting(RequirementResult::status)
                .as("unknown revenue: evaluated, not skipped").containsExactly(Status.NOT_MET);

        var au = MARKETS.require(MarketId.of("au"));
        ComplianceConfiguration tiny = ComplianceConfiguration.builder().annualRevenue(new BigDecimal("2500000"), "AUD")
                .build();
        assertThat(PROFILES.evaluate(au, tiny, DeploymentRegion.ASIA_PACIFIC, TODAY).results())
                .filteredOn(r -> r.requirement().law().topic() == Topic.PRIVACY).extracting(RequirementResult::status)
                .containsOnly(Status.NOT_APPLICABLE);
    }

    @Test
    void aTransferOutOfQuebecNeedsAnAssessmentButStoringInCanadaSatisfiesPipeda() {
        var ca = MARKETS.require(MarketId.of("ca"));
        ComplianceReport none = PROFILES.evaluate(ca, ComplianceConfiguration.none(), DeploymentRegion.CANADA, TODAY);
        assertThat(none.results()).filteredOn(r -> r.requirement().check() == Check.TRANSFER_ASSESSMENT)
                .extracting(r -> r.requirement().id(), RequirementResult::status)
                .contains(org.assertj.core.groups.Tuple.tuple("ca-qc.transfer-assessment", Status.NOT_MET));
        ComplianceReport assessed = PROFILES.evaluate(ca, ComplianceConfiguration.builder().transferAssessment("CA-QC")
                .build(), DeploymentRegion.CANADA, TODAY);
        assertThat(assessed.results()).filteredOn(r -> r.requirement().check() == Check.TRANSFER_ASSESSMENT)
                .extracting(RequirementResult::status).containsOnly(Status.MET);
        assertThat(none.score().orElseThrow()).isEqualByComparingTo(BigDecimal.valueOf(none.with(Status.MET).size())
                .divide(BigDecimal.valueOf(none.with(Status.MET).size() + none.with(Status.NOT_MET).size()), 4,
                        java.math.RoundingMode.HALF_EVEN));
    }

    @Test
    void aLawNotYetInForceIsNotApplicable() {
        var usCa = MARKETS.require(MarketId.of("us-ca"));
        ComplianceReport in2025 = PROFILES.evaluate(usCa, ComplianceConfiguration.none(), DeploymentRegion.US_WEST,
                LocalDate.of(2025, 6, 1));
        assertThat(in2025.results()).filteredOn(r -> r.requirement().check() == Check.BREACH_CONTACT)
                .extracting(RequirementResult::status, RequirementResult::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Status.NOT_APPLICABLE, "not in force until 2026-01-01"));
    }

    @Test
    void aBadDocumentIsRefusedWithEveryProblem() {
        String json = """
                {"schemaVersion": 1, "retrieved": "2026-11-25", "laws": [
                  {"id": "x", "name": "X", "citation": "c", "topic": "GOSSIP", "jurisdictions": ["ZZ-99"],
                   "source": "ftp://example.com", "effective": "soon", "appliesWhen": [], "applicability": "a", "extra": 1}],
                 "requirements": [{"id": "r", "law": "nope", "check": "BREACH_CONTACT", "requirement": "t",
                   "deadlineHours": -5, "deadline": "d", "source": "https://example.com", "effective": "2020-01-01"}]}""";
        assertThatThrownBy(() -> ComplianceProfiles.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(PlatformException.class)
                .hasMessageContaining("unknown field 'extra'").hasMessageContaining("laws[0].topic")
                .hasMessageContaining("'ZZ-99'").hasMessageContaining("laws[0].source")
                .hasMessageContaining("laws[0].effective").hasMessageContaining("no law 'nope'")
                .hasMessageContaining("deadlineHours");
    }
}
