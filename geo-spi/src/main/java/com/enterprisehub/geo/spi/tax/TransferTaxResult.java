package com.enterprisehub.geo.spi.tax;

import java.util.List;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * The transfer taxes of one purchase: itemized lines and their total. A jurisdiction without a transfer
 * tax gives no lines, a zero total and a note saying so.
 *
 * @param request what was asked
 * @param lines one per tax, in the order an authority's statement would list them
 * @param total the sum of the lines
 * @param notes what applies to the purchase as a whole ("Texas levies no real estate transfer tax")
 */
public record TransferTaxResult(TransferTaxRequest request, List<TaxLine> lines, MonetaryAmount total,
        List<String> notes) {
    public TransferTaxResult {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(total, "total");
        lines = List.copyOf(lines);
        notes = List.copyOf(notes);
    }

    /** The sum of the lines the buyer customarily pays. */
    public MonetaryAmount buyerPays() {
        MonetaryAmount sum = total.multiply(0);
        for (TaxLine line : lines) {
            if (line.payer() == Payer.BUYER) {
                sum = sum.add(line.amount());
            }
        }
        return sum;
    }
}
