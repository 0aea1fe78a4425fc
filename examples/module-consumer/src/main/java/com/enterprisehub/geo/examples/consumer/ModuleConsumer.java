package com.enterprisehub.geo.examples.consumer;

import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.localization.Localization;
import com.enterprisehub.geo.localization.MarketLocalizer;
import com.enterprisehub.geo.localization.tax.TransferTaxes;
import com.enterprisehub.geo.spi.GeoProvider;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalogProvider;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.javamoney.moneta.Money;

/**
 * Uses the SDK from the module path: every provider kind found through the modules' {@code provides}, the market
 * catalog and the localization's resources read from inside their modules. Prints one line per check; the test
 * that runs it compares them.
 */
public final class ModuleConsumer {
    private ModuleConsumer() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("module " + ModuleConsumer.class.getModule().getName() + " named="
                + ModuleConsumer.class.getModule().isNamed());
        Providers providers = Providers.fromClassPath();
        System.out.println("catalogs " + providers.all(TenantCatalogProvider.class).stream().map(GeoProvider::name)
                .toList());
        System.out.println("clouds " + providers.all(CloudProvider.class).stream().map(GeoProvider::name).toList());
        System.out.println("calculators " + providers.all(TransferTaxCalculator.class).stream()
                .map(GeoProvider::name).toList());
        System.out.println("models " + providers.all(com.enterprisehub.geo.models.ModelProvider.class).stream()
                .map(GeoProvider::name).sorted().toList());

        MarketCatalog markets = MarketCatalog.defaults();
        Market uk = markets.require(MarketId.of("gb"));
        System.out.println("markets " + markets.markets().size() + " gb=" + uk.name());

        TenantCatalog tenants = providers.select(TenantCatalogProvider.class, "in-memory").open(ProviderContext.empty());
        Tenant tenant = tenants.create(Tenant.builder("thames-estates").market("gb").organization("Thames Estates Ltd")
                .state(TenantState.ACTIVE).build());
        System.out.println("bound " + TenantContext.call(tenant, () -> TenantContext.require().id()));

        Path dir = Files.createTempDirectory("geo-module-consumer");
        try (Cloud cloud = providers.select(CloudProvider.class, "local")
                .open(ProviderContext.of(Map.of("directory", dir.toString())))) {
            System.out.println("cloud regions " + cloud.regions().size());
        } finally {
            try (var files = Files.walk(dir)) {                    // the local cloud's keys and secrets too
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }

        TransferTaxes taxes = TransferTaxes.fromClassPath();
        System.out.println("sdlt " + taxes.calculate(TransferTaxRequest.builder(Money.of(450_000, "GBP"), "GB-ENG",
                LocalDate.of(2026, 11, 24)).firstTimeBuyer().build()).total());

        MarketLocalizer localizer = Localization.defaults().localizer(uk);
        System.out.println("price " + localizer.money(Money.of(450_000, "GBP")));
        System.out.println("term " + localizer.term("agent"));
    }
}
