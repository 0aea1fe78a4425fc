package com.enterprisehub.geo.localization.tax;

import com.enterprisehub.geo.localization.tax.internal.UsCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.test.TransferTaxCalculatorContract;
import java.time.LocalDate;
import java.util.List;
import org.javamoney.moneta.Money;

/**
 * The US calculator (nine states, with Miami-Dade, New York City, Chicago, Los Angeles and San Francisco) passes the
 * transfer-tax kit, with purchases of UsTransferTaxTest (Texas among them: a state with no transfer tax refuses a date
 * before its only regime like every other).
 */
class UsCalculatorContractTest extends TransferTaxCalculatorContract {
    private static final TransferTaxCalculator CALCULATOR = new UsCalculator();
    private static final LocalDate NOW = LocalDate.of(2026, 11, 24);

    @Override
    protected TransferTaxCalculator calculator() {
        return CALCULATOR;
    }

    @Override
    protected List<TransferTaxRequest> sampleRequests() {
        return List.of(
                TransferTaxRequest.builder(Money.of(350_000, "USD"), "US-NC", NOW).build(),
                TransferTaxRequest.builder(Money.of(500_000, "USD"), "US-FL", NOW).city("Miami").build(),
                TransferTaxRequest.builder(Money.of(3_500_000, "USD"), "US-NY", NOW).city("New York City").build(),
                TransferTaxRequest.builder(Money.of(400_250, "USD"), "US-IL", NOW).city("Chicago").build(),
                TransferTaxRequest.builder(Money.of(6_000_000, "USD"), "US-CA", LocalDate.of(2026, 3, 2))
                        .city("Los Angeles").build(),
                TransferTaxRequest.builder(Money.of(450_000, "USD"), "US-TX", NOW).build());
    }
}
