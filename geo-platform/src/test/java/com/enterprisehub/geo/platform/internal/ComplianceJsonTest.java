package com.enterprisehub.geo.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.platform.PlatformException;
import com.enterprisehub.geo.platform.compliance.ComplianceConfiguration;
import com.enterprisehub.geo.platform.compliance.Contact;
import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;

class ComplianceJsonTest {
    static final ComplianceConfiguration FULL = ComplianceConfiguration.builder()
            .privacyOfficer(new Contact("Dana Reyes", "privacy@example.com"))
            .breachContact(new Contact("Security desk", "security@example.com"))
            .privacyNotice("https://example.com/privacy").optOutLink("https://example.com/opt-out")
            .electronicMarketingConsent(true).callConsent(false).licenceNumber("US-CA", "01234567")
            .licenceNumber("US-TX", "TX-9").brokerageName("Example Realty").redressScheme("The Property Ombudsman")
            .transferAssessment("CA-QC").annualRevenue(new BigDecimal("26625000.50"), "USD")
            .annualRevenue(new BigDecimal("3000000"), "AUD").consumersPerYear(100_000).smallBusiness(false).build();

    @Test
    void everyFieldReadsBackEqual() {
        assertThat(ComplianceJson.read(ComplianceJson.write(FULL), "test")).isEqualTo(FULL);
        assertThat(ComplianceJson.read(ComplianceJson.write(ComplianceConfiguration.none()), "test"))
                .isEqualTo(ComplianceConfiguration.none());
        assertThat(ComplianceJson.read(ComplianceJson.write(FULL), "test").annualRevenue())
                .containsEntry(Currency.getInstance("USD"), new BigDecimal("26625000.50"));
    }

    @Test
    void aStoredDocumentIsCheckedLikeOneBuiltInCode() {
        assertThatThrownBy(() -> ComplianceJson.read("{\"privacyNotice\":\"http://example.com\"}", "tenant:acme"))
                .isInstanceOf(PlatformException.class).hasMessageContaining("tenant:acme")
                .hasMessageContaining("https://").hasMessageContaining("configure it again");
        assertThatThrownBy(() -> ComplianceJson.read("{not json", "market:gb")).isInstanceOf(PlatformException.class);
    }

    @Test
    void aTenantsConfigurationIsCompletedByItsMarketsAndWinsWhereBothHaveOne() {
        ComplianceConfiguration tenant = ComplianceConfiguration.builder()
                .privacyOfficer(new Contact("Ana Silva", "ana@acme.example")).licenceNumber("US-CA", "ACME-1")
                .transferAssessment("CA-ON").annualRevenue(BigDecimal.TEN, "USD").callConsent(true).build();
        ComplianceConfiguration effective = tenant.over(FULL);
        assertThat(effective.privacyOfficer()).contains(new Contact("Ana Silva", "ana@acme.example"));
        assertThat(effective.breachContact()).isEqualTo(FULL.breachContact());
        assertThat(effective.licenceNumbers()).containsEntry("US-CA", "ACME-1").containsEntry("US-TX", "TX-9");
        assertThat(effective.transferAssessments()).containsExactlyInAnyOrder("CA-QC", "CA-ON");
        assertThat(effective.callConsent()).isTrue();
        assertThat(effective.electronicMarketingConsent()).isTrue();
        // Whether a law applies depends on the tenant's own business, never on the market operator's figures.
        assertThat(effective.annualRevenue()).containsExactly(java.util.Map.entry(Currency.getInstance("USD"),
                BigDecimal.TEN));
        assertThat(effective.consumersPerYear()).isEmpty();
        assertThat(effective.smallBusiness()).isEmpty();
        assertThat(ComplianceConfiguration.none().over(FULL).annualRevenue()).isEmpty();
        assertThat(ComplianceConfiguration.none().over(FULL).licenceNumbers()).isEqualTo(FULL.licenceNumbers());
        assertThat(FULL.over(ComplianceConfiguration.none())).isEqualTo(FULL);
    }
}
