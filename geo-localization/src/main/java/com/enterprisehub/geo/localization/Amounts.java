package com.enterprisehub.geo.localization;

import com.enterprisehub.geo.core.GeoValidationException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * The one rounding every amount we show or sum goes through: to the currency's minor unit (its ISO 4217
 * default fraction digits: 2 for USD, CAD, GBP and AUD, 0 for JPY, 3 for IQD; none below the unit), half to
 * even. Moneta's {@code Money} otherwise keeps up to 256 digits after a division, and {@code RoundedMoney}
 * rounds after every operation in ways that are easy to miss; calling this explicitly keeps sums equal to
 * the sum of what is shown when each part is rounded first. The formatters of {@link MarketLocalizer} show
 * exactly these digits.
 */
public final class Amounts {
    /** Half to even: unbiased over many sums (the rounding Moneta uses by default). */
    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;
    /** Amounts with more digits than this (scale or precision) are refused: rounding them would take seconds. */
    static final int MAX_DIGITS = 1_000;

    private Amounts() {
    }

    /** {@code amount} rounded to its currency's minor unit with {@link #ROUNDING}, as the same amount type. */
    public static MonetaryAmount round(MonetaryAmount amount) {
        Objects.requireNonNull(amount, "amount");
        return amount.getFactory().setNumber(rounded(value(amount), amount.getCurrency().getDefaultFractionDigits()))
                .create();
    }

    /** The minor-unit digits this class rounds {@code currency} to. */
    static int digits(javax.money.CurrencyUnit currency) {
        return Math.max(0, currency.getDefaultFractionDigits());
    }

    /** {@code value} rounded to {@code fractionDigits} (at least 0) with {@link #ROUNDING}. */
    static BigDecimal rounded(BigDecimal value, int fractionDigits) {
        return value.setScale(Math.max(0, fractionDigits), ROUNDING);
    }

    /** The exact value of {@code amount}, refused if absurdly long. */
    static BigDecimal value(MonetaryAmount amount) {
        BigDecimal v = amount.getNumber().numberValueExact(BigDecimal.class);
        if (Math.abs((long) v.scale()) > MAX_DIGITS || v.precision() > MAX_DIGITS) {
            throw new GeoValidationException("Amount " + amount.getCurrency() + " with " + v.precision()
                    + " digits and scale " + v.scale() + " is beyond what can be shown; round it first.");
        }
        return v;
    }
}
