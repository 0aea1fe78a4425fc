package com.enterprisehub.geo.localization.tax;

import com.enterprisehub.geo.localization.tax.internal.AustraliaCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.test.TransferTaxCalculatorContract;
import java.time.LocalDate;
import java.util.List;
import org.javamoney.moneta.Money;

/**
 * The Australian calculator (Victoria, Queensland, New South Wales, Western Australia) passes the transfer-tax kit,
 * with purchases of AustraliaTransferDutyTest.
 */
class AustraliaCalculatorContractTest extends TransferTaxCalculatorContract {
    private static final TransferTaxCalculator CALCULATOR = new AustraliaCalculator();
    private static final LocalDate NOW = LocalDate.of(2026, 11, 24);
    /** NSW's 2025-26 thresholds (1 July 2025 to 30 June 2026). */
    private static final LocalDate NSW_2025_26 = LocalDate.of(2026, 3, 2);

    @Override
    protected TransferTaxCalculator calculator() {
        return CALCULATOR;
    }

    @Override
    protected List<TransferTaxRequest> sampleRequests() {
        return List.of(
                TransferTaxRequest.builder(Money.of(650_000, "AUD"), "AU-VIC", NOW).firstTimeBuyer().build(),
                TransferTaxRequest.builder(Money.of(800_000, "AUD"), "AU-VIC", NOW).notOwnerOccupier().nonResident()
                        .build(),
                TransferTaxRequest.builder(Money.of(365_400, "AUD"), "AU-QLD", NOW).notOwnerOccupier().build(),
                TransferTaxRequest.builder(Money.of(1_200_000, "AUD"), "AU-QLD", NOW).firstTimeBuyer().newHome()
                        .build(),
                TransferTaxRequest.builder(Money.of(1_000_000, "AUD"), "AU-NSW", NSW_2025_26).notOwnerOccupier()
                        .nonResident().build(),
                TransferTaxRequest.builder(Money.of(600_000, "AUD"), "AU-WA", NOW).firstTimeBuyer().city("Perth")
                        .build());
    }
}
