package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.nio.charset.StandardCharsets;

/**
 * What the isolation tests add to geo-test's {@link PostgresFixture}: endpoints on its server and a data-source
 * builder with the test binding key. (geo-platform's tests have their own Endpoints.)
 */
public final class IsolationFixture {
    /** The binding key of the tests (32 bytes); production keys come from a secret store. */
    public static final byte[] TEST_KEY = "geo-isolation-test-binding-key-32b".getBytes(StandardCharsets.UTF_8);

    private IsolationFixture() {
    }

    /** An endpoint on the fixture's server: the superuser administers, {@code geo_app} serves tenants. */
    public static DatabaseEndpoint endpoint(String name, DeploymentRegion region, String database) {
        return new DatabaseEndpoint(name, region, PostgresFixture.jdbcUrl(database),
                new Credentials("postgres", "postgres"), new Credentials(PostgresFixture.APP_ROLE, "app"));
    }

    /** A data-source builder over {@code tenants}, the default markets and the test key, on {@code endpoint}. */
    public static TenantDataSource.Builder builder(TenantCatalog tenants, DatabaseEndpoint endpoint) {
        return TenantDataSource.builder().tenants(tenants).markets(MarketCatalog.defaults()).bindingKey(TEST_KEY)
                .endpoint(endpoint);
    }
}
