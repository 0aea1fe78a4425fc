package com.enterprisehub.geo.examples;

import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.TenantSuspendedException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.City;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketTier;
import com.enterprisehub.geo.core.tenant.InboundRequest;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalogProvider;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The EnterpriseHub Geo quickstart, on the embedded defaults: it loads the seed's market catalog,
 * prints it, creates tenants in several markets, resolves requests to tenants, shows the tenant
 * context travelling across a thread pool, isolates tenants on an embedded PostgreSQL, and shows one
 * listing localized for each market.
 *
 * <p>Run it with {@code mvn -q -Pquickstart -pl examples -am verify -DskipTests}.
 */
public final class Quickstart {
    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;

        // 1. Markets: the default catalog ships the seed's twelve markets.
        MarketCatalog markets = MarketCatalog.defaults();
        out.println("== Markets (" + markets.size() + ") ==");
        out.printf("%-6s %-15s %-13s %-12s %-4s %-12s %-32s %18s %14s%n", "id", "name", "tier", "region", "cur",
                "locales", "cities", "volume/yr (bn)", "ARR (k USD)");
        for (Market m : markets.markets()) {
            out.printf("%-6s %-15s %-13s %-12s %-4s %-12s %-32s %18s %14s%n", m.id(), m.name(), m.tier(), m.region(),
                    m.currency(), m.locales().stream().map(l -> l.toLanguageTag()).collect(Collectors.joining(",")),
                    abbreviate(m.cities().stream().map(City::name).collect(Collectors.joining(", ")), 32),
                    m.size().annualTransactionVolume().movePointLeft(9).stripTrailingZeros().toPlainString() + " "
                            + m.size().currency(),
                    thousands(m.revenueRange().low()) + "-" + thousands(m.revenueRange().high()));
        }
        for (MarketTier tier : MarketTier.values()) {
            List<Market> inTier = markets.inTier(tier);
            if (!inTier.isEmpty()) {
                out.printf("  %-13s %d markets, ARR %s-%s k USD%n", tier, inTier.size(),
                        thousands(sum(inTier, true)), thousands(sum(inTier, false)));
            }
        }

        // 2. Tenants: select a catalog provider by name (the built-in in-memory one here; "jdbc" needs a DataSource).
        PlatformEvents events = PlatformEvents.create();
        Map<String, Integer> eventCounts = new java.util.TreeMap<>();
        events.subscribe(e -> eventCounts.merge(e.type(), 1, Integer::sum));
        TenantCatalogProvider provider = Providers.fromClassPath().select(TenantCatalogProvider.class, "in-memory");
        TenantCatalog tenants = provider.open(ProviderContext.builder().events(events).build());
        out.println();
        out.println("== Tenants (catalog provider '" + provider.name() + "') ==");
        List<Tenant> created = new ArrayList<>();
        created.add(tenants.create(Tenant.builder("golden-gate-realty").market("us-ca")
                .organization("Golden Gate Realty").subscriptionTier("enterprise")
                .isolationLevel(IsolationLevel.ENHANCED).feature("ai.lead-scoring", true).build()));
        created.add(tenants.create(Tenant.builder("maple-homes").market("ca").organization("Maple Homes Inc.")
                .config("languages", List.of("en-CA", "fr-CA")).build()));
        created.add(tenants.create(Tenant.builder("thames-estates").market("gb").organization("Thames Estates Ltd")
                .isolationLevel(IsolationLevel.REGULATORY).build()));
        created.add(tenants.create(Tenant.builder("harbour-property").market("au")
                .organization("Harbour Property Pty Ltd").build()));
        for (Tenant t : created) {
            tenants.transition(t.id(), TenantState.ACTIVE);
        }
        tenants.transition(created.get(3).id(), TenantState.SUSPENDED);
        out.println("  platform events so far: " + eventCounts);
        for (Tenant t : tenants.list()) {
            out.printf("  %-20s market %-6s %-11s %-10s %s%n", t.id(), t.market(), t.isolationLevel(), t.state(),
                    t.organization());
        }

        // 3. Requests to tenants: header, subdomain, path or a claim the host has verified.
        TenantResolver resolver = TenantResolver.builder(tenants).header("X-Tenant-Id")
                .subdomainOf("geo.example.com").claim("tenant_id").build();
        out.println();
        out.println("== Resolving requests ==");
        out.println("  maple-homes.geo.example.com -> "
                + resolver.resolve(InboundRequest.builder().host("maple-homes.geo.example.com").build()).id());
        try {
            resolver.resolve(InboundRequest.builder().header("X-Tenant-Id", "harbour-property").build());
        } catch (TenantSuspendedException e) {
            out.println("  X-Tenant-Id: harbour-property -> refused: " + e.getMessage());
        }

        // 4. The tenant context travels with the work, never further.
        out.println();
        out.println("== Tenant context across a thread pool ==");
        ExecutorService pool = TenantContext.wrap(Executors.newFixedThreadPool(2));
        try {
            List<Future<String>> work = new ArrayList<>();
            for (Tenant t : tenants.list()) {
                if (t.isActive()) {
                    work.add(TenantContext.call(t, () -> pool.submit(() -> Thread.currentThread().getName()
                            + " works for " + TenantContext.require().id() + " in market "
                            + TenantContext.require().market())));
                }
            }
            for (Future<String> f : work) {
                out.println("  " + f.get(10, TimeUnit.SECONDS));
            }
            String unbound = pool.submit(() -> {
                try {
                    return "tenant " + TenantContext.require().id();
                } catch (NoTenantBoundException e) {
                    return "no tenant (refused: " + e.getClass().getSimpleName() + ")";
                }
            }).get(10, TimeUnit.SECONDS);
            out.println("  a task submitted with no tenant bound sees: " + unbound);
        } finally {
            pool.shutdown();
        }

        // 5. Isolation: a DataSource whose every connection is bound to the current tenant.
        tenants.create(Tenant.builder("sunset-homes").market("us-ca").organization("Sunset Homes")
                .state(TenantState.ACTIVE).build());
        tenants.create(Tenant.builder("pacific-crest").market("us-ca").organization("Pacific Crest Brokers")
                .isolationLevel(IsolationLevel.MAXIMUM).state(TenantState.ACTIVE).build());
        IsolationDemo.run(tenants, out);

        // 6. One listing, shown the way each market expects it.
        LocalizationDemo.run(markets, out);
        TransferTaxDemo.run(markets, java.time.LocalDate.of(2026, 12, 15), out);

        // 7. A month of events: how the markets perform, and where to expand next.
        AnalyticsDemo.run(markets, out);

        // 8. The platform: deploy the 12 markets through the providers (its cloud, 'memory', selected by name, is a
        //    provider written outside the SDK: examples/outside-provider), then provision tenants.
        PlatformDemo.run(markets, out);
    }

    private static BigDecimal sum(List<Market> markets, boolean low) {
        return markets.stream().map(m -> low ? m.revenueRange().low() : m.revenueRange().high())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static String thousands(BigDecimal amount) {
        return amount.divide(BigDecimal.valueOf(1000), 0, RoundingMode.HALF_EVEN).toPlainString();
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
