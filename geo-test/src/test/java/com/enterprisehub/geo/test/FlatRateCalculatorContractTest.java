package com.enterprisehub.geo.test;

import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import java.time.LocalDate;
import java.util.List;
import org.javamoney.moneta.Money;

/** The transfer-tax kit against the correct flat-rate calculator of these tests: every kit test passes. */
class FlatRateCalculatorContractTest extends TransferTaxCalculatorContract {
    @Override
    protected TransferTaxCalculator calculator() {
        return new FlatRateCalculator();
    }

    @Override
    protected List<TransferTaxRequest> sampleRequests() {
        return samples();
    }

    /** The flat-rate calculator's samples, shared with the runs of its broken variants. */
    static List<TransferTaxRequest> samples() {
        LocalDate date = LocalDate.of(2026, 11, 24);
        return List.of(TransferTaxRequest.builder(Money.of(350_000, "USD"), "US-NC", date).build(),
                TransferTaxRequest.builder(Money.of(27_700, "USD"), "US-NC", date).firstTimeBuyer().build(),
                TransferTaxRequest.builder(Money.of(250_050, "USD"), "US-GA", date).nonResident().build());
    }
}
