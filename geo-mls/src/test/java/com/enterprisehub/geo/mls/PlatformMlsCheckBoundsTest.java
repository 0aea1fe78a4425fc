package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.platform.Finding;
import com.enterprisehub.geo.platform.Platform;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The platform's MLS step is bounded: it opens a feed at most a few times per assessment however many tenants hold
 * their own credentials, and with short retry and time defaults for the check unless the settings give them.
 */
class PlatformMlsCheckBoundsTest {
    private static final MarketId US_CA = MarketId.of("us-ca");
    private MlsFixture env;
    private ResoFixture reso;
    private TenantCatalog tenants;

    @BeforeEach
    void start() throws Exception {
        env = MlsFixture.get();
        reso = new ResoFixture();
        reso.server.load(ResoServer.generate(10, 2, Instant.parse("2026-05-01T00:00:00Z")));
        tenants = InMemoryTenantCatalog.create();
    }

    @AfterEach
    void stop() {
        reso.close();
    }

    private Platform platform(Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("service-url",
                reso.server.serviceUrl().toString(), "token-url", reso.server.tokenUrl().toString()));
        settings.putAll(extra);
        return Platform.builder().markets(MarketCatalog.defaults()).tenants(tenants).dataSource(env.dataSource)
                .controlPlane(env.controlPlane).cloud(reso.cloud()).mlsFeed("crmls", settings).build();
    }

    /** {@code n} tenants of us-ca, each with its own (good) credentials. */
    private void tenantsWithOwnCredentials(int n) {
        for (int i = 0; i < n; i++) {
            Tenant t = tenants.create(Tenant.builder("bound-" + i).market("us-ca").organization("Org " + i)
                    .isolationLevel(IsolationLevel.BASIC).state(TenantState.ACTIVE).build());
            reso.credentials(t.id(), "crmls", ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
        }
    }

    private static List<Finding> mls(Platform platform) {
        return platform.assess(US_CA).recommendations().stream().filter(f -> f.code().startsWith("mls.")).toList();
    }

    @Test
    void theFeedIsOpenedAtMostTheCapTimesAndTheRestIsSaid() {
        tenantsWithOwnCredentials(8);
        Platform platform = platform(Map.of());
        int tokens = reso.server.tokensIssued.get();
        List<Finding> found = mls(platform);
        assertThat(reso.server.tokensIssued.get() - tokens).isEqualTo(5);
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("mls.feed");
            assertThat(f.message()).contains("3 tenant(s)", "not opened", "'bound-5'", "'bound-7'")
                    .doesNotContain("'bound-4'");
        });
    }

    @Test
    void theCheckDoesNotRetryUnlessTheSettingsSaySo() {
        tenantsWithOwnCredentials(1);
        reso.server.unavailableEvery = 1; // every data request: 503, Retry-After 0
        int requests = reso.server.dataRequests.get();
        assertThat(mls(platform(Map.of()))).singleElement().extracting(Finding::code).isEqualTo("mls.feed");
        assertThat(reso.server.dataRequests.get() - requests).as("one attempt, no retry").isEqualTo(1);

        requests = reso.server.dataRequests.get();
        assertThat(mls(platform(Map.of("max-retries", "2")))).singleElement().extracting(Finding::code)
                .isEqualTo("mls.feed");
        assertThat(reso.server.dataRequests.get() - requests).as("the caller's setting wins").isEqualTo(3);
    }

    @Test
    void eachFindingCodeIsCappedOnItsOwn() {
        // 21 tenants with half their own credentials (mls.credentials each), then one whose own secret is refused
        for (int i = 0; i < 21; i++) {
            Tenant t = tenants.create(Tenant.builder(String.format("half-%02d", i)).market("us-ca")
                    .organization("Half " + i).isolationLevel(IsolationLevel.BASIC).state(TenantState.ACTIVE).build());
            reso.secrets.put("mls/crmls/" + t.id() + "/client-id", ResoFixture.CLIENT_ID);
        }
        Tenant wrong = tenants.create(Tenant.builder("zz-wrong").market("us-ca").organization("Wrong")
                .isolationLevel(IsolationLevel.BASIC).state(TenantState.ACTIVE).build());
        reso.credentials(wrong.id(), "crmls", ResoFixture.CLIENT_ID, "not-the-secret");
        List<Finding> found = mls(platform(Map.of()));
        assertThat(found.stream().filter(f -> f.code().equals("mls.credentials"))).hasSize(21) // 20 and a summary
                .anySatisfy(f -> assertThat(f.message()).startsWith("1 more tenant(s)"));
        assertThat(found.stream().filter(f -> f.code().equals("mls.feed"))).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("'zz-wrong'"));
    }
}
