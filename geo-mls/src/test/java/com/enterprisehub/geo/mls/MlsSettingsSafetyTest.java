package com.enterprisehub.geo.mls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.platform.Platform;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MLS settings a platform is given are not secret (they reach findings, the journal and logs): credentials in a
 * URL are refused and a URL's user-info or query is never repeated in a message.
 */
class MlsSettingsSafetyTest {
    private static final String PASSWORD = "Pa55word-In-Url-77";
    private static final String QUERY_KEY = "Sup3rS3cret-Api-Key";
    private MlsFixture env;
    private ResoFixture reso;

    @BeforeEach
    void start() throws Exception {
        env = MlsFixture.get();
        reso = new ResoFixture();
        reso.server.load(ResoServer.generate(10, 2, Instant.parse("2026-05-01T00:00:00Z")));
    }

    @AfterEach
    void stop() {
        reso.close();
    }

    private Platform.Builder platform() {
        return Platform.builder().markets(MarketCatalog.defaults()).tenants(env.tenants).dataSource(env.dataSource)
                .controlPlane(env.controlPlane).cloud(reso.cloud());
    }

    private String withUser() {
        return reso.server.serviceUrl().toString().replace("://", "://mls-user:" + PASSWORD + "@");
    }

    @Test
    void theProviderRefusesCredentialsInAUrlAndNeverRepeatsThemOrAQuery() {
        TenantId tenant = env.tenant(IsolationLevel.BASIC).id();
        reso.credentials(tenant, "crmls", ResoFixture.CLIENT_ID, ResoFixture.CLIENT_SECRET);
        assertThatThrownBy(() -> reso.open(tenant, "crmls", Map.of("service-url", withUser())))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("secret store")
                .hasMessageNotContaining(PASSWORD).hasMessageNotContaining("mls-user");
        assertThatThrownBy(() -> reso.open(tenant, "crmls", Map.of("token-url", reso.server.tokenUrl()
                + "?api_key=" + QUERY_KEY))).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("token-url").hasMessageContaining(reso.server.tokenUrl().toString())
                .hasMessageNotContaining(QUERY_KEY);
        assertThatThrownBy(() -> reso.open(tenant, "crmls", Map.of("service-url", "http://u:" + PASSWORD + "@h st/")))
                .isInstanceOf(GeoValidationException.class).hasMessageNotContaining(PASSWORD);
    }

    @Test
    void thePlatformRefusesAFeedUrlHoldingCredentials() {
        assertThatThrownBy(() -> platform().mlsFeed("crmls", Map.of("service-url", withUser(), "token-url",
                reso.server.tokenUrl().toString()))).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("service-url").hasMessageContaining("SecretStore")
                .hasMessageNotContaining(PASSWORD).hasMessageNotContaining("mls-user");
    }

    @Test
    void aUrlsQueryIsRefusedWithoutBeingRepeated() {
        assertThatThrownBy(() -> platform().mlsFeed("crmls", Map.of("service-url", reso.server.serviceUrl()
                + "?api_key=" + QUERY_KEY, "token-url", reso.server.tokenUrl().toString())).build())
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("service-url")
                .hasMessageNotContaining(QUERY_KEY);
    }

    @Test
    void anUnknownFeedOrSettingIsRefusedWhenThePlatformIsBuilt() {
        Map<String, String> good = Map.of("service-url", reso.server.serviceUrl().toString(), "token-url",
                reso.server.tokenUrl().toString());
        assertThatThrownBy(() -> platform().mlsFeed("crlms", good).build()).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("'crlms'").hasMessageContaining("crmls");
        Map<String, String> typo = new java.util.HashMap<>(good);
        typo.put("max-retry", "0");
        assertThatThrownBy(() -> platform().mlsFeed("crmls", typo).build()).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("crmls").hasMessageContaining("max-retry");
        Map<String, String> bad = new java.util.HashMap<>(good);
        bad.put("max-retries", "many");
        assertThatThrownBy(() -> platform().mlsFeed("crmls", bad).build()).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("max-retries");
        // a good configuration builds, and building sends nothing
        int tokens = reso.server.tokensIssued.get();
        assertThat(platform().mlsFeed("crmls", good).build()).isNotNull();
        assertThat(reso.server.tokensIssued.get()).isEqualTo(tokens);
    }

    @Test
    void aReaxmlFeedIsNotOpenedByThePlatformAndItsSettingsAreRefusedSayingWhy() throws Exception {
        java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("geo-mls-reaxml");
        assertThatThrownBy(() -> platform().mlsFeed("reaxml", Map.of("directory", directory.toString())).build())
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("REAXML")
                .hasMessageContaining("per tenant");
    }
}
