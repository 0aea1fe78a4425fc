package com.enterprisehub.geo.platform.compliance;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;

/**
 * A condition on the business that makes a law apply ({@link Law#appliesWhen()}) or exempts it from it
 * ({@link Law#exemptWhen()}).
 *
 * @param kind what is compared
 * @param threshold the amount or count compared against (unused for {@link Kind#NOT_SMALL_BUSINESS})
 * @param currency the threshold's currency, for revenue conditions
 */
public record Condition(Kind kind, BigDecimal threshold, Optional<Currency> currency) {

    /** What a condition compares. */
    public enum Kind {
        /** Annual gross revenue above the threshold ("in excess of": equal to it is not enough). */
        ANNUAL_REVENUE_ABOVE,
        /** Annual gross revenue at most the threshold (a small-business exemption). */
        ANNUAL_REVENUE_AT_MOST,
        /** Personal information of at least this many consumers (or households) handled a year. */
        CONSUMERS_AT_LEAST,
        /** The business is not a small business as the law defines it. */
        NOT_SMALL_BUSINESS
    }

    public Condition {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(currency, "currency");
        boolean revenue = kind == Kind.ANNUAL_REVENUE_ABOVE || kind == Kind.ANNUAL_REVENUE_AT_MOST;
        if (revenue != currency.isPresent()) {
            throw new IllegalArgumentException(kind + ": a currency is required for revenue conditions only");
        }
    }

    /** The condition in words ("annual revenue above USD 26,625,000"). */
    public String describe() {
        return switch (kind) {
            case ANNUAL_REVENUE_ABOVE -> "annual revenue above " + money();
            case ANNUAL_REVENUE_AT_MOST -> "annual revenue at most " + money();
            case CONSUMERS_AT_LEAST -> "personal information of at least " + String.format("%,d",
                    threshold.toBigInteger()) + " consumers a year";
            case NOT_SMALL_BUSINESS -> "not a small business";
        };
    }

    private String money() {
        return currency.orElseThrow().getCurrencyCode() + " " + String.format("%,.0f", threshold);
    }
}
