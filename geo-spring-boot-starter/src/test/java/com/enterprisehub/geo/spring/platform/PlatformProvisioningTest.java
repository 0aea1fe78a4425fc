package com.enterprisehub.geo.spring.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.TenantSuspendedException;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.platform.Deployment;
import com.enterprisehub.geo.platform.MarketState;
import com.enterprisehub.geo.platform.Platform;
import com.enterprisehub.geo.platform.TenantExport;
import com.enterprisehub.geo.platform.compliance.ComplianceConfiguration;
import com.enterprisehub.geo.platform.compliance.Contact;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spring.TestEndpoints;
import com.enterprisehub.geo.spring.autoconfigure.GeoAutoConfiguration;
import com.enterprisehub.geo.spring.autoconfigure.GeoPlatformAutoConfiguration;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * geo-platform's {@link Platform} bean as the starter builds it (jdbc tenant catalog on the control plane, the local
 * cloud, the starter's tenant data source on embedded PostgreSQL) provisions, suspends and offboards tenants, and the
 * tenants it provisions are isolated from each other through the application's data source.
 */
class PlatformProvisioningTest {
    @TempDir
    Path cloud;

    @Test
    void thePlatformBeanProvisionsIsolatedTenantsSuspendsAndOffboardsThem() {
        String[] endpoint = TestEndpoints.properties("boot_platform");
        String url = java.util.Arrays.stream(endpoint).filter(p -> p.startsWith("geo.endpoints[0].url="))
                .findFirst().orElseThrow().substring("geo.endpoints[0].url=".length());
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(GeoAutoConfiguration.class,
                        GeoPlatformAutoConfiguration.class))
                .withPropertyValues(endpoint)
                .withPropertyValues("geo.tenants.provider=jdbc", "geo.control-plane.url=" + url,
                        "geo.control-plane.role.user=postgres", "geo.control-plane.role.password=postgres",
                        "geo.secrets.cloud=local", "geo.secrets.settings.directory=" + cloud)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(Platform.class);
                    Platform platform = context.getBean(Platform.class);
                    Market ca = context.getBean(MarketCatalog.class).require(MarketId.of("ca"));
                    platform.configure(ca.id(), complete(ca), "test");
                    Deployment deployment = platform.deploy(ca.id(), "test");
                    assertThat(deployment.state()).as("%s", deployment.readiness().blockers())
                            .isEqualTo(MarketState.LIVE);

                    Tenant maple = platform.provision(Tenant.builder("maple").market("ca").organization("Maple")
                            .build(), "test");
                    Tenant spruce = platform.provision(Tenant.builder("spruce").market("ca").organization("Spruce")
                            .isolationLevel(IsolationLevel.ENHANCED).build(), "test");
                    assertThat(List.of(maple.state(), spruce.state())).containsOnly(TenantState.ACTIVE);
                    assertThat(platform.onboardingChecklist(maple.id()).complete()).isTrue();
                    assertThat(platform.onboardingChecklist(spruce.id()).complete()).isTrue();

                    TenantDataSource dataSource = context.getBean(TenantDataSource.class);
                    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
                    TenantContext.run(maple, () -> jdbc.update("INSERT INTO listings (title) VALUES ('maple lodge')"));
                    TenantContext.run(spruce, () -> jdbc.update("INSERT INTO listings (title) VALUES ('spruce inn')"));
                    assertThat(titles(jdbc, maple)).containsExactly("maple lodge");
                    assertThat(titles(jdbc, spruce)).containsExactly("spruce inn");

                    TenantCatalog tenants = context.getBean(TenantCatalog.class);
                    platform.suspend(maple.id(), "test");
                    Tenant suspended = tenants.find(maple.id()).orElseThrow();
                    assertThatThrownBy(() -> titles(jdbc, suspended))
                            .hasRootCauseInstanceOf(TenantSuspendedException.class);

                    TenantExport export = platform.offboard(maple.id(), "test");
                    assertThat(export.rowCount()).isEqualTo(1);
                    assertThat(tenants.find(maple.id()).orElseThrow().state()).isEqualTo(TenantState.DELETED);
                    assertThat(titles(jdbc, spruce)).containsExactly("spruce inn");
                    assertThat(platform.auditTrail(maple.id())).isNotEmpty();
                });
    }

    private static List<String> titles(JdbcTemplate jdbc, Tenant tenant) {
        return TenantContext.call(tenant, () -> jdbc.queryForList("SELECT title FROM listings ORDER BY id",
                String.class));
    }

    /** Every item of the market's compliance profile configured (values as a deployment gives them). */
    private static ComplianceConfiguration complete(Market market) {
        ComplianceConfiguration.Builder b = ComplianceConfiguration.builder()
                .privacyOfficer(new Contact("Privacy Office", "privacy@example.com"))
                .breachContact(new Contact("Security Desk", "security@example.com"))
                .privacyNotice("https://example.com/privacy").optOutLink("https://example.com/privacy/opt-out")
                .electronicMarketingConsent(true).callConsent(true).brokerageName("Example Realty Group")
                .redressScheme("The Property Ombudsman");
        market.jurisdictions().forEach(j -> b.licenceNumber(j.code(), "LIC-" + j.code())
                .transferAssessment(j.code()));
        return b.build();
    }
}
