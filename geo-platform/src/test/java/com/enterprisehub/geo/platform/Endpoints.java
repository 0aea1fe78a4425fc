package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.isolation.Credentials;
import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.nio.charset.StandardCharsets;

/** Endpoints on geo-test's PostgreSQL fixture and a data-source builder with a test binding key. */
final class Endpoints {
    private static final byte[] TEST_KEY = "geo-platform-test-binding-key-32b".getBytes(StandardCharsets.UTF_8);

    private Endpoints() {
    }

    static DatabaseEndpoint endpoint(String name, DeploymentRegion region, String database) {
        return new DatabaseEndpoint(name, region, PostgresFixture.jdbcUrl(database),
                new Credentials("postgres", "postgres"), new Credentials(PostgresFixture.APP_ROLE, "app"));
    }

    static TenantDataSource.Builder builder(TenantCatalog tenants, DatabaseEndpoint endpoint) {
        return TenantDataSource.builder().tenants(tenants).markets(MarketCatalog.defaults()).bindingKey(TEST_KEY)
                .endpoint(endpoint);
    }
}
