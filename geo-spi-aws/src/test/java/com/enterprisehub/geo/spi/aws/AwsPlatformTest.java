package com.enterprisehub.geo.spi.aws;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.Credentials;
import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.platform.JdbcTenantCatalog;
import com.enterprisehub.geo.platform.MarketState;
import com.enterprisehub.geo.platform.Platform;
import com.enterprisehub.geo.platform.TenantExport;
import com.enterprisehub.geo.platform.compliance.ComplianceConfiguration;
import com.enterprisehub.geo.platform.compliance.Contact;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.test.PostgresFixture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * End to end on the {@code aws} provider (selected by name, on the loopback KMS and Secrets Manager and S3Proxy) and
 * embedded PostgreSQL: a UK market is deployed, a tenant provisioned, used and offboarded; keys, bundles, the
 * compliance report and the export land in eu-west-2 and nowhere else, borrowing connections makes no KMS request,
 * and offboarding schedules the deletion of the tenant's KMS key.
 */
class AwsPlatformTest {
    private static final MarketCatalog MARKETS = MarketCatalog.defaults();
    private static final String OPS = "ops@example.com";
    private static final byte[] BINDING_KEY = "geo-spi-aws-test-binding-key-32by".getBytes(StandardCharsets.UTF_8);

    private static ComplianceConfiguration complete(Market market) {
        ComplianceConfiguration.Builder b = ComplianceConfiguration.builder()
                .privacyOfficer(new Contact("Dana Reyes", "privacy@example.com"))
                .breachContact(new Contact("Security desk", "security@example.com"))
                .privacyNotice("https://example.com/privacy").optOutLink("https://example.com/opt-out")
                .electronicMarketingConsent(true).callConsent(true).brokerageName("Example Realty")
                .redressScheme("The Property Ombudsman");
        market.jurisdictions().forEach(j -> b.licenceNumber(j.code(), "LIC-" + j.code()).transferAssessment(j.code()));
        return b.build();
    }

    private static PGSimpleDataSource database(String name) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(PostgresFixture.jdbcUrl(name));
        ds.setUser("postgres");
        ds.setPassword("postgres");
        return ds;
    }

    @Test
    void aUkMarketIsDeployedAndATenantProvisionedUsedAndOffboardedInLondon() throws Exception {
        LoopbackAws server = Loopback.aws();
        MarketId gb = MarketId.of("gb");
        Market market = MARKETS.require(gb);
        assertThat(market.region()).isEqualTo(DeploymentRegion.EUROPE);
        Set<DeploymentRegion> regions = EnumSet.of(DeploymentRegion.US_WEST, DeploymentRegion.EUROPE);
        PlatformEvents events = PlatformEvents.create();
        try (Cloud cloud = Providers.fromClassPath().select(CloudProvider.class, "aws").open(ProviderContext.builder()
                .settings(Loopback.contextSettings(regions, Loopback.namespace()))
                .object(AwsCredentialsProvider.class, Loopback.CREDENTIALS).events(events).build())) {
PGSimpleDataSource controlPlane = database(PostgresFixture.newDatabase("awscontrol"));
            JdbcTenantCatalog tenants = JdbcTenantCatalog.open(controlPlane, events, Clock.systemUTC());
            String eu = PostgresFixture.newDatabase("awseu");
            try (Connection c = PostgresFixture.admin(eu)) {
                exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)");
            }
            try (TenantDataSource dataSource = TenantDataSource.builder().tenants(tenants).markets(MARKETS)
                    .bindingKey(BINDING_KEY)
                    .endpoint(new DatabaseEndpoint("eu", DeploymentRegion.EUROPE, PostgresFixture.jdbcUrl(eu),
                            new Credentials("postgres", "postgres"), new Credentials(PostgresFixture.APP_ROLE, "app")))
                    .protectTable("listings")
                    .keyManagement(Platform.regionalKeys(cloud, MARKETS, controlPlane))
                    .events(events).build()) {
Platform platform = Platform.builder().markets(MARKETS).tenants(tenants).dataSource(dataSource)
                        .controlPlane(controlPlane).cloud(cloud).events(events).build();
                platform.configure(gb, complete(market), OPS);

assertThat(platform.deploy(gb, OPS).state()).isEqualTo(MarketState.LIVE);
                CloudRegion london = cloud.requireRegion(DeploymentRegion.EUROPE);
                CloudRegion oregon = cloud.requireRegion(DeploymentRegion.US_WEST);
                List<String> published = london.objects().list("markets/gb/").stream().map(StoredObject::key).toList();
                assertThat(published).as("bundles and the compliance report in eu-west-2")
                        .anyMatch(k -> k.startsWith("markets/gb/l10n/"))
                        .contains("markets/gb/compliance/report.json");
                assertThat(london.keys().createKey("market-gb")).as("the market's key (it exists: same id)")
                        .startsWith("arn:aws:kms:eu-west-2:");

Tenant crown = Tenant.builder("crown").market("gb").organization("Crown Estates")
                        .isolationLevel(IsolationLevel.BASIC).build();
assertThat(platform.provision(crown, OPS).state()).isEqualTo(TenantState.ACTIVE);
String tenantKey = london.keys().createKey("tenant-crown");
                assertThat(tenantKey).startsWith("arn:aws:kms:eu-west-2:");
                assertThat(server.keyState(tenantKey)).isEqualTo("Enabled");

                Tenant active = tenants.require(crown.id());
                String sealed = TenantContext.call(active, () -> dataSource.cipher().encryptText("owner: J. Doe"));
                int kmsBefore = server.calls("kms:Decrypt") + server.calls("kms:GenerateDataKey");
                for (int i = 0; i < 50; i++) {
                    String title = "Flat " + i;
                    TenantContext.call(active, () -> {
                        try (Connection c = dataSource.getConnection()) {
                            exec(c, "INSERT INTO listings (title) VALUES ('" + title + "')");
                            try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM listings")) {
                                rs.next();
                            }
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                        return dataSource.cipher().decryptText(sealed);
                    });
                }
                assertThat(server.calls("kms:Decrypt") + server.calls("kms:GenerateDataKey") - kmsBefore)
                        .as("KMS requests for 50 borrows and decryptions (the hot path)").isZero();

TenantExport export = platform.offboard(crown.id(), OPS);
assertThat(tenants.require(crown.id()).state()).isEqualTo(TenantState.DELETED);
                assertThat(export.region()).isEqualTo(DeploymentRegion.EUROPE);
                assertThat(london.objects().head(export.rows().key())).as("the export in eu-west-2").isPresent();
                assertThat(oregon.objects().list("")).as("nothing of the UK market in us-west-2").isEmpty();
                assertThat(server.keyState(tenantKey)).as("the tenant's key, crypto-shredded")
                        .isEqualTo("PendingDeletion");
                assertThat(server.pendingWindowDays(tenantKey)).isEqualTo(7);

ByteArrayOutputStream plain = new ByteArrayOutputStream();
                platform.readExport(crown.id(), plain, OPS);
                assertThat(plain.toString(StandardCharsets.UTF_8).lines()).hasSize(50)
                        .allMatch(l -> l.contains("\"tenant_id\":\"crown\""));
            }
        }
    }
}
