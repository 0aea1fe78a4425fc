package com.enterprisehub.geo.localization.tax;

import com.enterprisehub.geo.localization.tax.internal.UkCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.test.TransferTaxCalculatorContract;
import java.time.LocalDate;
import java.util.List;
import org.javamoney.moneta.Money;

/** The UK calculator (SDLT, LBTT with ADS, LTT) passes the transfer-tax kit, with purchases of UkTransferTaxTest. */
class UkCalculatorContractTest extends TransferTaxCalculatorContract {
    private static final TransferTaxCalculator CALCULATOR = new UkCalculator();
    private static final LocalDate NOW = LocalDate.of(2026, 11, 24);

    @Override
    protected TransferTaxCalculator calculator() {
        return CALCULATOR;
    }

    @Override
    protected List<TransferTaxRequest> sampleRequests() {
        return List.of(
                TransferTaxRequest.builder(Money.of(295_000, "GBP"), "GB-ENG", NOW).build(),
                TransferTaxRequest.builder(Money.of(450_000, "GBP"), "GB-ENG", NOW).firstTimeBuyer().build(),
                TransferTaxRequest.builder(Money.of(300_000, "GBP"), "GB-ENG", LocalDate.of(2024, 10, 31))
                        .additionalDwelling().build(),
                TransferTaxRequest.builder(Money.of(300_000, "GBP"), "GB-ENG", NOW).nonResident().additionalDwelling()
                        .build(),
                TransferTaxRequest.builder(Money.of(350_000, "GBP"), "GB-SCT", NOW).additionalDwelling().build(),
                TransferTaxRequest.builder(Money.of(410_000, "GBP"), "GB-WLS", NOW).build());
    }
}
