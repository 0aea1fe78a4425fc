package com.enterprisehub.geo.localization.tax;

import com.enterprisehub.geo.localization.tax.internal.CanadaCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.test.TransferTaxCalculatorContract;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.javamoney.moneta.Money;

/**
 * The Canadian calculator (Ontario with Toronto, British Columbia, Québec with its municipalities, Alberta) passes the
 * transfer-tax kit, with purchases of CanadaTransferTaxTest, except that it itemizes first-time buyers' refunds and
 * exemptions as negative lines of their own, which the kit does not allow: stated below, so the kit holds the
 * calculator to exactly those lines and fails once they are gone.
 */
class CanadaCalculatorContractTest extends TransferTaxCalculatorContract {
    private static final TransferTaxCalculator CALCULATOR = new CanadaCalculator();
    private static final LocalDate NOW = LocalDate.of(2026, 11, 24);

    @Override
    protected TransferTaxCalculator calculator() {
        return CALCULATOR;
    }

    @Override
    protected Set<String> knownNegativeLines() {
        return Set.of("First-time homebuyer refund", "First-time purchaser rebate",
                "First time home buyers' exemption");
    }

    @Override
    protected List<TransferTaxRequest> sampleRequests() {
        return List.of(
                TransferTaxRequest.builder(Money.of(800_000, "CAD"), "CA-ON", NOW).city("Toronto").firstTimeBuyer()
                        .build(),
                TransferTaxRequest.builder(Money.of(1_000_000, "CAD"), "CA-ON", NOW).city("Toronto").nonResident()
                        .build(),
                TransferTaxRequest.builder(Money.of(700_000, "CAD"), "CA-BC", NOW).firstTimeBuyer().build(),
                TransferTaxRequest.builder(Money.of(1_000_000, "CAD"), "CA-BC", NOW).nonResident().city("Vancouver")
                        .build(),
                TransferTaxRequest.builder(Money.of(1_150_000, "CAD"), "CA-QC", LocalDate.of(2025, 6, 1))
                        .city("Dollard-des-Ormeaux").build(),
                TransferTaxRequest.builder(Money.of(450_000, "CAD"), "CA-AB", NOW).build());
    }
}
