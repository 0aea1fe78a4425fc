package com.enterprisehub.geo.localization;

import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

/** The default catalog's markets and a localization on a fixed clock. */
final class Fixtures {
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final MarketCatalog MARKETS = MarketCatalog.defaults();
    static final Localization L10N = Localization.builder().clock(CLOCK).strict().build();

    private Fixtures() {
    }

    static Market market(String id) {
        return MARKETS.require(MarketId.of(id));
    }

    /** The localizer of {@code market} in {@code tag}. */
    static MarketLocalizer of(String market, String tag) {
        return L10N.localizer(market(market), Locale.forLanguageTag(tag));
    }

    static MarketLocalizer us() {
        return of("us-ca", "en-US");
    }

    static MarketLocalizer canada() {
        return of("ca", "en-CA");
    }

    static MarketLocalizer quebec() {
        return of("ca", "fr-CA");
    }

    static MarketLocalizer uk() {
        return of("gb", "en-GB");
    }

    static MarketLocalizer australia() {
        return of("au", "en-AU");
    }
}
