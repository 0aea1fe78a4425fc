package com.enterprisehub.geo.spi.tax;

import java.util.List;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * One tax of a transfer: who levies it, what it is called, how much, who customarily pays, how each band
 * contributed, where the rates come from, and what was applied (reliefs, surcharges, rounding).
 *
 * @param authority the levying authority ({@code "HM Revenue & Customs"})
 * @param tax the tax's name ("Stamp Duty Land Tax")
 * @param amount the amount, rounded as the authority rounds
 * @param payer who customarily pays it
 * @param bands each band's contribution
 * @param source the official source of the rates (URL) with the regime's effective date
 * @param notes reliefs, surcharges and rounding applied, in words
 */
public record TaxLine(String authority, String tax, MonetaryAmount amount, Payer payer, List<BandContribution> bands,
        String source, List<String> notes) {
    public TaxLine {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(tax, "tax");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(payer, "payer");
        Objects.requireNonNull(source, "source");
        bands = List.copyOf(bands);
        notes = List.copyOf(notes);
    }
}
