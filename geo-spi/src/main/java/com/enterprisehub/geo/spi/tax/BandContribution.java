package com.enterprisehub.geo.spi.tax;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * How one band of a scale contributed to a tax, before the authority's final rounding.
 *
 * @param from the band's lower bound (exclusive, except the first band's 0)
 * @param to the band's upper bound (inclusive); empty for the open top band
 * @param rate the band's rate as written by the authority ({@code 5%}, {@code $4.50 per $100 or part})
 * @param taxable the part of the price taxed in this band (the whole price for whole-value rates)
 * @param tax what this band contributed
 */
public record BandContribution(BigDecimal from, Optional<BigDecimal> to, String rate, BigDecimal taxable,
        BigDecimal tax) {
    public BandContribution {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(taxable, "taxable");
        Objects.requireNonNull(tax, "tax");
    }
}
