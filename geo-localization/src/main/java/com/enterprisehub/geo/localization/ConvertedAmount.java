package com.enterprisehub.geo.localization;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * The result of a currency conversion: the amount, rounded with {@link Amounts#round}, and where the rate
 * came from. Show {@code stale} to the user: a stale rate is older than the localization's limit.
 *
 * @param amount the converted amount, rounded to its currency's minor unit
 * @param original the amount converted
 * @param rate how many units of the target currency one unit of the original buys
 * @param asOf the day of the rates used
 * @param source who published them
 * @param stale whether the rates were older than the configured limit when converting
 */
public record ConvertedAmount(MonetaryAmount amount, MonetaryAmount original, BigDecimal rate, LocalDate asOf,
        String source, boolean stale) {
    public ConvertedAmount {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(source, "source");
    }
}
