package com.enterprisehub.geo.localization;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * The one rounding every amount we show or sum goes through: to the currency's minor unit (its default
 * fraction digits: 2 for USD, CAD, GBP and AUD, 0 for JPY), half to even. Moneta's {@code Money} otherwise
 * keeps up to 256 digits after a division, and {@code RoundedMoney} rounds after every operation in ways
 * that are easy to miss; calling this explicitly keeps sums equal to the sum of what is shown when each
 * part is rounded first.
 */
public final class Amounts {
    /** Half to even: unbiased over many sums (the rounding Moneta uses by default). */
    public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

    private Amounts() {
    }

    /** {@code amount} rounded to its currency's minor unit with {@link #ROUNDING}. */
    public static MonetaryAmount round(MonetaryAmount amount) {
        Objects.requireNonNull(amount, "amount");
        int digits = Math.max(0, amount.getCurrency().getDefaultFractionDigits());
        BigDecimal rounded = value(amount).setScale(digits, ROUNDING);
        return amount.getFactory().setNumber(rounded).create();
    }

    /** The exact value of {@code amount}. */
    static BigDecimal value(MonetaryAmount amount) {
        return amount.getNumber().numberValueExact(BigDecimal.class);
    }
}
