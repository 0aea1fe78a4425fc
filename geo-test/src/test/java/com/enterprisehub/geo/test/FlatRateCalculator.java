package com.enterprisehub.geo.test;

import com.enterprisehub.geo.spi.tax.BandContribution;
import com.enterprisehub.geo.spi.tax.Payer;
import com.enterprisehub.geo.spi.tax.TaxLine;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxException;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.spi.tax.TransferTaxResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.money.MonetaryAmount;

/**
 * A correct calculator for the kit's own tests: 1% of the price in North Carolina and Georgia (seller), plus 0.5%
 * (buyer) for a non-resident, from 2000-01-01. Its protected methods are what the broken variants override. Immutable
 * and thread-safe.
 */
class FlatRateCalculator implements TransferTaxCalculator {
    static final LocalDate FROM = LocalDate.of(2000, 1, 1);

    @Override
    public String name() {
        return "flat-rate";
    }

    @Override
    public Set<String> jurisdictions() {
        return Set.of("US-NC", "US-GA");
    }

    protected void checkDate(TransferTaxRequest r) {
        if (r.transferDate().isBefore(FROM)) {
            throw new TransferTaxException(r.jurisdiction() + ": no rates are known for " + r.transferDate()
                    + "; known: from " + FROM + ".");
        }
    }

    protected MonetaryAmount amount(TransferTaxRequest r, BigDecimal value) {
        return r.price().getFactory().setNumber(value).create();
    }

    protected TaxLine line(TransferTaxRequest r, String tax, String percent, Payer payer) {
        BigDecimal price = r.priceValue();
        BigDecimal value = price.multiply(new BigDecimal(percent)).movePointLeft(2).setScale(2, RoundingMode.HALF_UP);
        return new TaxLine(r.jurisdiction().name() + " register of deeds", tax, amount(r, value), payer,
                List.of(new BandContribution(BigDecimal.ZERO, Optional.empty(), percent + "%", price, value)),
                "https://example.org/" + r.jurisdiction().code(), List.of());
    }

    protected List<String> notes(TransferTaxRequest r) {
        return List.of("A flat rate.");
    }

    @Override
    public TransferTaxResult calculate(TransferTaxRequest r) {
        checkDate(r);
        List<TaxLine> lines = r.nonResident()
                ? List.of(line(r, "Excise tax", "1", Payer.SELLER), line(r, "Non-resident tax", "0.5", Payer.BUYER))
                : List.of(line(r, "Excise tax", "1", Payer.SELLER));
        MonetaryAmount total = amount(r, BigDecimal.ZERO);
        for (TaxLine l : lines) {
            total = total.add(l.amount());
        }
        return new TransferTaxResult(r, lines, total, notes(r));
    }
}
