package com.enterprisehub.geo.localization.tax.internal;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.tax.BandContribution;
import com.enterprisehub.geo.spi.tax.Payer;
import com.enterprisehub.geo.spi.tax.TaxLine;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.spi.tax.TransferTaxResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.money.MonetaryAmount;

/** Helpers shared by the SDK's calculators. Not part of the API. */
final class Lines {
    private Lines() {
    }

    /** Refuses a price in another currency than the jurisdiction's. */
    static void requireCurrency(TransferTaxRequest r, Regimes regimes) {
        String code = r.price().getCurrency().getCurrencyCode();
        if (!code.equals(regimes.currency())) {
            throw new GeoValidationException(r.jurisdiction().code() + " prices are in " + regimes.currency() + "; got "
                    + code + ". Convert the price first (MarketLocalizer.convert).");
        }
    }

    private static final java.util.regex.Pattern MARKS = java.util.regex.Pattern.compile("\\p{M}");

    /** The request's city as calculators compare it: accents removed, lower case; empty without a city. */
    static String place(TransferTaxRequest r) {
        return r.city().map(c -> MARKS.matcher(java.text.Normalizer.normalize(c, java.text.Normalizer.Form.NFD))
                .replaceAll("").toLowerCase(java.util.Locale.ROOT)).orElse("");
    }

    /** Refuses a city for a jurisdiction where no city levies its own tax we know of. */
    static void requireNoCity(TransferTaxRequest r) {
        requireNoCityExcept(r, java.util.Set.of());
    }

    /** Refuses a city other than the named places (lower case, no accents) this calculator understands. */
    static void requireNoCityExcept(TransferTaxRequest r, java.util.Set<String> places) {
        r.city().ifPresent(c -> {
            if (!places.contains(place(r))) {
                throw new GeoValidationException("No city of " + r.jurisdiction().code() + " levies a transfer tax of"
                        + " its own that this calculator knows; got city '" + c + "'. Leave the city out.");
            }
        });
    }

    static MonetaryAmount money(TransferTaxRequest r, BigDecimal value) {
        return r.price().getFactory().setNumber(value).create();
    }

    /** Rounds to the cent, half up (percentage taxes with no published rounding unit). */
    static BigDecimal cents(BigDecimal tax) {
        return tax.setScale(2, RoundingMode.HALF_UP);
    }

    /** Rounds down to the whole unit (SDLT). */
    static BigDecimal floor(BigDecimal tax) {
        return tax.setScale(0, RoundingMode.FLOOR);
    }

    /** Rounds to the nearest whole unit, a half down (Victoria's s28, NSW s33AD). */
    static BigDecimal nearestHalfDown(BigDecimal tax) {
        return tax.setScale(0, RoundingMode.HALF_DOWN);
    }

    static TaxLine line(TransferTaxRequest r, String authority, String tax, BigDecimal amount, Payer payer,
            List<BandContribution> bands, String source, List<String> notes) {
        return new TaxLine(authority, tax, money(r, amount), payer, bands, source, notes);
    }

    /**
     * A flat-rate surcharge on the whole value (foreign and non-resident purchaser taxes): the rate in force
     * on the request's date under {@code key} of {@code regimes}, its line appended to {@code lines}.
     */
    static void surcharge(TransferTaxRequest r, Regimes regimes, String authority, String name, String key,
            BigDecimal value, java.util.function.UnaryOperator<BigDecimal> rounding, String note, List<TaxLine> lines) {
        Regimes.Dated rate = regimes.require(key, r.transferDate());
        BigDecimal tax = rounding.apply(value.multiply(rate.value()).movePointLeft(2));
        lines.add(line(r, authority, name, tax, Payer.BUYER, List.of(new BandContribution(BigDecimal.ZERO,
                java.util.Optional.empty(), rate.value().toPlainString() + "% of the whole value", value, tax)),
                rate.source(), List.of(note)));
    }

    /** The buyer flags of a request, as a calculator may or may not have a rule for them. */
    enum Flag {
        FIRST_TIME_BUYER("first-time buyer"),
        ADDITIONAL_DWELLING("additional dwelling"),
        NON_RESIDENT("non-resident (foreign) buyer"),
        NOT_OWNER_OCCUPIER("not owner-occupier"),
        NEW_HOME("new home");

        final String words;

        Flag(String words) {
            this.words = words;
        }

        /**
         * The flags {@code r} sets. Not living in the home counts on its own only when the buyer does not also own
         * another dwelling (additionalDwelling() implies it).
         */
        static Set<Flag> of(TransferTaxRequest r) {
            Set<Flag> set = EnumSet.noneOf(Flag.class);
            if (r.firstTimeBuyer()) {
                set.add(FIRST_TIME_BUYER);
            }
            if (r.additionalDwelling()) {
                set.add(ADDITIONAL_DWELLING);
            }
            if (r.nonResident()) {
                set.add(NON_RESIDENT);
            }
            if (!r.ownerOccupier() && !r.additionalDwelling()) {
                set.add(NOT_OWNER_OCCUPIER);
            }
            if (r.newHome()) {
                set.add(NEW_HOME);
            }
            return set;
        }
    }

    /**
     * What every SDK calculator does around its computation, alike in all: refuses a date beyond the horizon of
     * {@code regimes} (see {@link Regimes#requireWithinHorizon}); then, in the result's notes, names each buyer flag
     * of the request that no rule of the jurisdiction depends on ({@code considered} are those some rule does), and
     * states the assumption when the date is after the day the rates were last checked.
     */
    static TransferTaxResult calculate(TransferTaxRequest r, Regimes regimes, Set<Flag> considered,
            Supplier<TransferTaxResult> compute) {
        regimes.requireWithinHorizon(r.transferDate());
        TransferTaxResult result = compute.get();
        List<String> notes = new ArrayList<>(result.notes());
        for (Flag flag : Flag.of(r)) {
            if (!considered.contains(flag)) {
                notes.add("The " + flag.words + " flag changes nothing here: the SDK's " + r.jurisdiction().code()
                        + " calculator has no tax, relief or surcharge that depends on it"
                        + (flag == Flag.ADDITIONAL_DWELLING && considered.contains(Flag.NOT_OWNER_OCCUPIER)
                                ? " (it does take into account that such a buyer will not live in the home)" : "")
                        + ".");
            }
        }
        if (r.transferDate().isAfter(regimes.retrieved())) {
            notes.add("Rates as last checked against the official sources on " + regimes.retrieved() + ", assumed"
                    + " still in force on " + r.transferDate() + "; a change after " + regimes.retrieved()
                    + " (a budget, an indexation) is not reflected. Dates more than one year after it are refused.");
        }
        return new TransferTaxResult(r, result.lines(), result.total(), notes);
    }

    static TransferTaxResult result(TransferTaxRequest r, List<TaxLine> lines, List<String> notes) {
        MonetaryAmount total = money(r, BigDecimal.ZERO);
        for (TaxLine l : lines) {
            total = total.add(l.amount());
        }
        return new TransferTaxResult(r, lines, total, notes);
    }
}
