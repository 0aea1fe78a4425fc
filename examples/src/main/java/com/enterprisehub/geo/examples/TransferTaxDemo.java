package com.enterprisehub.geo.examples;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.City;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.localization.Localization;
import com.enterprisehub.geo.localization.MarketLocalizer;
import com.enterprisehub.geo.localization.tax.TransferTaxes;
import com.enterprisehub.geo.spi.tax.TaxLine;
import com.enterprisehub.geo.spi.tax.TransferTaxException;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.spi.tax.TransferTaxResult;
import java.io.PrintStream;
import java.time.LocalDate;
import org.javamoney.moneta.Money;

/**
 * Part of the quickstart: the transfer taxes on one purchase in a city of each market, itemized, in the
 * market's own formatting. Where a regime in force has no published figures yet, the refusal is shown and
 * the market's next city is used.
 */
final class TransferTaxDemo {
    private TransferTaxDemo() {
    }

    static void run(MarketCatalog markets, LocalDate completion, PrintStream out) {
        out.println();
        out.println("== Transfer taxes on a 985,000 purchase completing " + completion + " (geo-localization) ==");
        TransferTaxes taxes = TransferTaxes.fromClassPath();
        Localization l10n = Localization.builder().build();
        for (Market market : markets.markets()) {
            MarketLocalizer l = l10n.localizer(market, market.defaultLocale());
            Money price = Money.of(985_000, market.currency().getCurrencyCode());
            for (City city : market.cities()) {
                try {
                    TransferTaxResult result;
                    try {
                        result = taxes.calculate(TransferTaxRequest.builder(price, city.jurisdiction().code(),
                                completion).city(city.name()).build());
                    } catch (GeoValidationException noCityTax) {
                        // the city levies no tax of its own: the calculator wants no city then
                        result = taxes.calculate(TransferTaxRequest.builder(price, city.jurisdiction().code(),
                                completion).build());
                    }
                    out.printf("  %-5s %s, %s: %s%n", market.id(), city.name(), city.jurisdiction().code(),
                            result.lines().isEmpty() ? "no transfer tax" : "total " + l.money(result.total()));
                    for (TaxLine line : result.lines()) {
                        out.printf("        %-62s %14s  (%s)%n", line.tax() + ", " + line.authority(),
                                l.money(line.amount()), switch (line.payer()) {
                                    case BUYER -> "buyer pays";
                                    case SELLER -> "seller pays";
                                    case NEGOTIABLE -> "payer negotiated";
                                });
                    }
                    result.notes().forEach(n -> out.println("        note: " + n));
                    break;
                } catch (TransferTaxException e) {
                    out.printf("  %-5s %s, %s: refused: %s%n", market.id(), city.name(), city.jurisdiction().code(),
                            e.getMessage());
                }
            }
        }
    }
}
