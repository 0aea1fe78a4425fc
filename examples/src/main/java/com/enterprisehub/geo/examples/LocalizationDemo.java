package com.enterprisehub.geo.examples;

import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.localization.Area;
import com.enterprisehub.geo.localization.AreaKind;
import com.enterprisehub.geo.localization.AreaUnit;
import com.enterprisehub.geo.localization.CurrencyStyle;
import com.enterprisehub.geo.localization.Localization;
import com.enterprisehub.geo.localization.MarketLocalizer;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import org.javamoney.moneta.Money;

/**
 * Part of the quickstart: one listing as each market sees it, in each of its locales: its money, units,
 * words, time zone and grammar.
 */
final class LocalizationDemo {
    private LocalizationDemo() {
    }

    static void run(MarketCatalog markets, PrintStream out) {
        Localization l10n = Localization.builder().strict().build();
        out.println();
        out.println("== One listing as each of the " + markets.size() + " markets sees it (geo-localization) ==");
        Area floor = Area.of(1450, AreaUnit.SQUARE_FOOT);
        Area lot = Area.of(750, AreaUnit.SQUARE_METRE);
        Instant listed = Instant.now().minus(3, ChronoUnit.DAYS);
        Instant openHouse = Instant.parse("2026-12-05T18:00:00Z");
        for (Market market : markets.markets()) {
          for (Locale locale : market.locales()) {
            MarketLocalizer l = l10n.localizer(market, locale);
            String[] ml = {market.id().value(), locale.toLanguageTag()};
            Money price = Money.of(985_000, l.market().currency().getCurrencyCode());
            // Montréal for the French page, the market's first city otherwise.
            String city = l.market().cities().stream().filter(c -> !ml[1].equals("fr-CA")
                    || c.jurisdiction().code().equals("CA-QC")).findFirst().orElseThrow().name();
            out.printf("  %-5s %-6s %s%n", ml[0], ml[1], l.message("listing.summary", Map.of("beds", 3,
                    "type", l.term("townhouse"), "city", city, "price", price)));
            out.printf("               %s | %s | %s (%s)%n", l.compact(price), l.message("listing.area",
                    Map.of("area", l.area(floor, AreaKind.FLOOR))), l.message("listing.land",
                    Map.of("area", l.area(lot, AreaKind.LAND))), l.money(Money.of(985_000, "USD"),
                    CurrencyStyle.UNAMBIGUOUS) + " elsewhere");
            out.printf("               %s %s | %s | terms: %s, %s, %s, %s (street level)%n",
                    l.term("open_house"), l.dateTime(openHouse), l.message("listing.listed",
                    Map.of("when", l.relative(listed))), l.term("agent"), l.term("closing"),
                    l.term("land_transfer_tax"), l.term("ground_floor"));
          }
        }
        l10n.completeness(markets.require(MarketId.of("ca"))).forEach(r -> out.printf(
                "  completeness %s: %s%% of %d keys, missing %s%n", r.locale().toLanguageTag(), r.coveragePercent(),
                r.keys(), r.missingKeys()));
    }
}
