package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.platform.ChecklistItem;
import com.enterprisehub.geo.platform.Finding;
import com.enterprisehub.geo.platform.Platform;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * geo-platform's MLS readiness step, per tenant of the market, against this module's Olingo RESO server and the
 * {@code reso-web-api} provider (here because geo-platform does not depend on geo-mls: no cycle). The market us-ca
 * has one feed, {@code crmls}; {@link MlsFixture}'s catalog holds five tenants of us-ca (basic-co, enhanced-co,
 * maximum-co, regulatory-co, other-co).
 */
class PlatformMlsStepTest {
    private static final MarketId US_CA = MarketId.of("us-ca");
    private static final String WRONG_SECRET = "wrong-Secret-77x";
    /** basic-co's own licence: another OAuth2 client than the feed's shared one. */
    private static final String TENANT_CLIENT = "basic-co-own-client";
    private static final String TENANT_SECRET = "basic-co-Secret-31";
    private MlsFixture env;
    private ResoFixture reso;
    private SecretStore secrets;

    @BeforeEach
    void start() throws Exception {
        env = MlsFixture.get();
        reso = new ResoFixture();
        reso.server.load(ResoServer.generate(30, 3, Instant.parse("2026-05-01T00:00:00Z")));
        secrets = reso.secrets;
        reso.server.addClient(TENANT_CLIENT, TENANT_SECRET);
    }

    @AfterEach
    void stop() {
        reso.close();
    }

    private Platform platform(boolean withEndpoint) {
        Platform.Builder b = Platform.builder().markets(MarketCatalog.defaults()).tenants(env.tenants)
                .dataSource(env.dataSource).controlPlane(env.controlPlane).cloud(reso.cloud());
        if (withEndpoint) {
            b.mlsFeed("crmls", Map.of("service-url", reso.server.serviceUrl().toString(), "token-url",
                    reso.server.tokenUrl().toString(), "max-retries", "0"));
        }
        return b.build();
    }

    private static List<Finding> mls(Platform platform) {
        return platform.assess(US_CA).recommendations().stream().filter(f -> f.code().startsWith("mls.")).toList();
    }

    private static List<Finding> naming(List<Finding> findings, String tenant) {
        return findings.stream().filter(f -> f.message().contains("'" + tenant + "'")).toList();
    }

    private TenantId tenant(IsolationLevel level) {
        return env.tenant(level).id();
    }

    /** basic-co: right own; enhanced-co: own, refused by the server; maximum-co: half its own; two on the feed's. */
    private void storeMixedCredentials() {
        reso.credentials(tenant(IsolationLevel.BASIC), "crmls", TENANT_CLIENT, TENANT_SECRET);
        reso.credentials(tenant(IsolationLevel.ENHANCED), "crmls", ResoFixture.CLIENT_ID, WRONG_SECRET);
        secrets.put("mls/crmls/maximum-co/client-id", ResoFixture.CLIENT_ID);
    }

    @Test
    void eachTenantsCredentialsAreCheckedAndItsFeedOpenedAtTheFirstPage() {
        storeMixedCredentials();
        Platform platform = platform(true);
        int pagesBefore = reso.server.pagesServed.get();
        List<Finding> found = mls(platform);

        assertThat(naming(found, "basic-co")).as(found.toString()).isEmpty();
        assertThat(naming(found, "maximum-co")).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("mls.credentials");
            assertThat(f.message()).contains("mls/crmls/maximum-co/client-secret", "missing");
        });
        assertThat(naming(found, "enhanced-co")).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("mls.feed");
            assertThat(f.message()).contains("crmls", "mls/crmls/enhanced-co");
        });
        // the tenants without their own read the feed's, which are missing: one finding names both and what to store
        assertThat(naming(found, "regulatory-co")).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("mls.credentials");
            assertThat(f.message()).contains("'other-co'", "mls/crmls/client-id", "mls/crmls/client-secret",
                    "mls/crmls/<tenant>/");
        });
        assertThat(found).allSatisfy(f -> assertThat(f.message()).doesNotContain(ResoFixture.CLIENT_SECRET,
                WRONG_SECRET, ResoFixture.CLIENT_ID, TENANT_CLIENT, TENANT_SECRET));
        // basic-co's feed was opened and its first page read from the server
        assertThat(reso.server.pagesServed.get()).isGreaterThan(pagesBefore);

        ChecklistItem item = platform.goLiveChecklist(US_CA).items().stream()
                .filter(i -> i.item().equals("MLS feed crmls configured with credentials")).findFirst().orElseThrow();
        assertThat(item.checked()).isFalse();
        assertThat(item.evidence()).contains("enhanced-co", "maximum-co", "other-co").doesNotContain(WRONG_SECRET);

        // the feed's shared credentials stored: the two tenants reading them pass (their first page read too)
        secrets.put("mls/crmls/client-id", ResoFixture.CLIENT_ID);
        secrets.put("mls/crmls/client-secret", ResoFixture.CLIENT_SECRET);
        int shared = reso.server.tokensIssuedTo(ResoFixture.CLIENT_ID);
        int own = reso.server.tokensIssuedTo(TENANT_CLIENT);
        found = mls(platform);
        // one open with the feed's client for the tenants on the feed's, one with basic-co's own client
        assertThat(reso.server.tokensIssuedTo(ResoFixture.CLIENT_ID) - shared).as("the feed's client").isEqualTo(1);
        assertThat(reso.server.tokensIssuedTo(TENANT_CLIENT) - own).as("basic-co's own client").isEqualTo(1);
        assertThat(naming(found, "regulatory-co")).isEmpty();
        assertThat(naming(found, "other-co")).isEmpty();
        assertThat(found).hasSize(2);

        // fixed: nothing left
        secrets.put("mls/crmls/maximum-co/client-secret", ResoFixture.CLIENT_SECRET);
        secrets.put("mls/crmls/enhanced-co/client-secret", ResoFixture.CLIENT_SECRET);
        assertThat(mls(platform)).isEmpty();
    }

    @Test
    void withoutAFeedEndpointOnlyTheCredentialsAreCheckedAndNothingIsSent() {
        storeMixedCredentials();
        int requests = reso.server.dataRequests.get();
        int tokens = reso.server.tokensIssued.get();
        List<Finding> found = mls(platform(false));
        assertThat(reso.server.dataRequests.get()).isEqualTo(requests);
        assertThat(reso.server.tokensIssued.get()).isEqualTo(tokens);
        // enhanced-co's wrong secret is well formed: only opening the feed could tell
        assertThat(naming(found, "enhanced-co")).isEmpty();
        assertThat(naming(found, "maximum-co")).singleElement().extracting(Finding::message).asString()
                .contains("mls/crmls/maximum-co/client-secret");
        assertThat(found).extracting(Finding::code).doesNotContain("mls.feed");
    }

    @Test
    void anUnreachableSourceIsNamedPerCredentialPlace() {
        reso.credentials(tenant(IsolationLevel.BASIC), "crmls", ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
        secrets.put("mls/crmls/client-id", ResoFixture.CLIENT_ID);
        secrets.put("mls/crmls/client-secret", ResoFixture.CLIENT_SECRET);
        Platform platform = platform(true);
        reso.server.close(); // nothing listens any more
        List<Finding> found = mls(platform);
        assertThat(found).extracting(Finding::code).containsOnly("mls.feed");
        assertThat(naming(found, "basic-co")).hasSize(1);
        // the four tenants on the feed's credentials share one check and one finding
        assertThat(naming(found, "other-co")).singleElement().extracting(Finding::message).asString()
                .contains("'enhanced-co'", "'maximum-co'", "'regulatory-co'");
        assertThat(found).hasSize(2);
    }
}
