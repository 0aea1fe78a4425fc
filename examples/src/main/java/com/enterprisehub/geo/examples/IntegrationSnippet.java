package com.enterprisehub.geo.examples;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.InboundRequest;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.isolation.Credentials;
import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalogProvider;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;

/**
 * The README's "Integration in 20 lines", compiled: the lines between the markers are the README's Java block,
 * character for character ({@code ReadmeSnippetTest} keeps the two equal). What the snippet takes from its
 * surroundings is a parameter here: the host's {@link PlatformEvents}, its {@link SecretStore} holding the binding
 * key in Base64, the database endpoint's URL and credentials, and one request's server name and verified token
 * claims. Not run by the quickstart (it needs a PostgreSQL server of the host's).
 */
final class IntegrationSnippet {
    private IntegrationSnippet() {
    }

    static void integrate(PlatformEvents events, SecretStore secrets, String jdbcUrl, Credentials adminCredentials,
            Credentials appCredentials, String serverName, Map<String, Object> verifiedJwtClaims) throws SQLException {
        // README snippet start
        MarketCatalog markets = MarketCatalog.defaults();           // or MarketCatalog.load(Path.of("markets.yaml"))
        TenantCatalog tenants = Providers.fromClassPath().select(TenantCatalogProvider.class, "in-memory")
                .open(ProviderContext.builder().events(events).build()); // or "jdbc", given a DataSource
        Tenant maple = tenants.create(Tenant.builder("maple-homes").market("ca").organization("Maple Homes").build());
        TenantDataSource db = TenantDataSource.builder().tenants(tenants).markets(markets)
                .bindingKey(Base64.getDecoder().decode(secrets.get("geo-binding-key").orElseThrow())) // same everywhere
                .endpoint(new DatabaseEndpoint("ca-central", DeploymentRegion.CANADA, jdbcUrl, adminCredentials,
                        appCredentials))
                .protectTable("listings").build();                  // self-check: refuses set-ups that could leak
        db.provision(maple.id());                                   // only on an endpoint its market's region allows
        tenants.transition(maple.id(), TenantState.ACTIVE);
        TenantResolver resolver = TenantResolver.builder(tenants).subdomainOf("geo.example.com").claim("tenant_id")
                .build();

        // per request, e.g. in a servlet filter (serverName = request.getServerName()):
        Tenant tenant = resolver.resolve(InboundRequest.builder().host(serverName)
                .verifiedClaims(verifiedJwtClaims).build());        // unknown / suspended -> distinct exceptions
        try (TenantContext.Scope scope = TenantContext.open(tenant);  // MDC "tenant.id" set while bound
             Connection c = db.getConnection();                       // bound to this tenant; none bound -> refused
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT title FROM listings")) {   // its rows only
            render(rs);                                               // TenantContext.wrap(executor) carries it on
        }
        // README snippet end
    }

    private static void render(ResultSet rs) throws SQLException {
        while (rs.next()) {
            System.out.println(rs.getString("title"));
        }
    }
}
