package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.localization.OfflineRates;
import com.enterprisehub.geo.localization.tax.TransferTaxes;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Shared test set-up: a catalog subset, invented rates, the SDK's transfer-tax calculators. */
final class Fixtures {
    static final MarketId US_CA = MarketId.of("us-ca");
    static final MarketId US_TX = MarketId.of("us-tx");
    static final MarketId US_NY = MarketId.of("us-ny");
    static final MarketId GB = MarketId.of("gb");
    static final MarketId AU = MarketId.of("au");
    static final MarketId CA = MarketId.of("ca");

    /** Invented rates for tests, not market data: 1 USD buys this much. */
    static final OfflineRates RATES = OfflineRates.of(LocalDate.of(2025, 12, 31), "test fixture (invented)", "USD",
            Map.of("CAD", new BigDecimal("1.37"), "GBP", new BigDecimal("0.79"), "AUD", new BigDecimal("1.52")));

    private static FeatureEncoder encoder;

    private Fixtures() {
    }

    static MarketCatalog catalog(Set<MarketId> ids) {
        List<Market> markets = MarketCatalog.defaults().markets().stream().filter(m -> ids.contains(m.id())).toList();
        return MarketCatalog.of(markets);
    }

    /** An encoder over the default catalog, with transfer taxes. */
    static synchronized FeatureEncoder encoder() {
        if (encoder == null) {
            encoder = FeatureEncoder.builder(MarketCatalog.defaults()).rates(RATES, "USD")
                    .transferTaxes(TransferTaxes.fromClassPath()).build();
        }
        return encoder;
    }

    static XGBoostTrainer trainer() {
        return XGBoostTrainer.builder().rounds(60).maxDepth(3).learningRate(0.15).seed(7).build();
    }
}
