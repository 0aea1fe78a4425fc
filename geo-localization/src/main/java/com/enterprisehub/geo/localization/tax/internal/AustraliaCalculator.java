package com.enterprisehub.geo.localization.tax.internal;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.localization.tax.internal.Lines.Flag;
import com.enterprisehub.geo.spi.tax.BandContribution;
import com.enterprisehub.geo.spi.tax.Payer;
import com.enterprisehub.geo.spi.tax.TaxLine;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.spi.tax.TransferTaxResult;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Transfer ("stamp") duty of New South Wales, Victoria, Queensland and Western Australia on residential
 * purchases, with the first-home concessions and the foreign purchaser surcharges. The date of the request is
 * the liability (contract) date. Registered through {@code ServiceLoader}; not part of the API.
 */
public final class AustraliaCalculator implements TransferTaxCalculator {
    private final Regimes nsw = Regimes.load("AU-NSW");
    private final Regimes vic = Regimes.load("AU-VIC");
    private final Regimes qld = Regimes.load("AU-QLD");
    private final Regimes wa = Regimes.load("AU-WA");

    @Override
    public String name() {
        return "au";
    }

    @Override
    public Set<String> jurisdictions() {
        return Set.of("AU-NSW", "AU-VIC", "AU-QLD", "AU-WA");
    }

    @Override
    public TransferTaxResult calculate(TransferTaxRequest r) {
        // the buyer flags each state has a rule for; the others are named in the result's notes
        return switch (r.jurisdiction().code()) {
            case "AU-NSW" -> Lines.calculate(r, nsw, r.firstTimeBuyer() ? EnumSet.of(Flag.FIRST_TIME_BUYER,
                    Flag.NON_RESIDENT, Flag.NOT_OWNER_OCCUPIER) : EnumSet.of(Flag.FIRST_TIME_BUYER, Flag.NON_RESIDENT),
                    () -> nsw(r));
            case "AU-VIC" -> Lines.calculate(r, vic, EnumSet.of(Flag.FIRST_TIME_BUYER, Flag.NON_RESIDENT,
                    Flag.NOT_OWNER_OCCUPIER), () -> vic(r));
            case "AU-QLD" -> Lines.calculate(r, qld, r.firstTimeBuyer() ? EnumSet.of(Flag.FIRST_TIME_BUYER,
                    Flag.NON_RESIDENT, Flag.NOT_OWNER_OCCUPIER, Flag.NEW_HOME) : EnumSet.of(Flag.FIRST_TIME_BUYER,
                    Flag.NON_RESIDENT, Flag.NOT_OWNER_OCCUPIER), () -> qld(r));
            default -> Lines.calculate(r, wa, EnumSet.of(Flag.FIRST_TIME_BUYER, Flag.NON_RESIDENT,
                    Flag.NOT_OWNER_OCCUPIER), () -> wa(r));
        };
    }

    private TransferTaxResult nsw(TransferTaxRequest r) {
        Lines.requireCurrency(r, nsw);
        Lines.requireNoCity(r);
        LocalDate d = r.transferDate();
        BigDecimal v = r.priceValue();
        Scale scale = nsw.scale("general", d);
        Scale.Evaluation e = scale.evaluate(v);
        BigDecimal duty = e.tax();
        List<String> notes = new ArrayList<>();
        String source = scale.source();
        boolean exempt = false;
        if (r.firstTimeBuyer() && !r.ownerOccupier()) {
            notes.add(NOT_LIVING_IN_IT);
        }
        if (r.firstTimeBuyer() && r.ownerOccupier()) {
            BigDecimal exemptUpTo = nsw.require("fhbas-exempt-up-to", d).value();
            BigDecimal below = nsw.require("fhbas-concession-below", d).value();
            if (v.compareTo(exemptUpTo) <= 0) {
                exempt = true;
                duty = BigDecimal.ZERO;
                notes.add("First Home Buyers Assistance Scheme: exempt up to $" + exemptUpTo.toPlainString() + ".");
            } else if (v.compareTo(below) < 0) {
                // s78A: N - D x (1,000,000 - V) / 200,000, D the duty at the exemption threshold
                BigDecimal atThreshold = scale.evaluate(exemptUpTo).tax();
                BigDecimal reduction = atThreshold.multiply(below.subtract(v))
                        .divide(below.subtract(exemptUpTo), MathContext.DECIMAL64);
                duty = Lines.nearestHalfDown(e.tax().subtract(reduction));
                notes.add("First Home Buyers Assistance Scheme: concessional duty between $" + exemptUpTo.toPlainString()
                        + " and $" + below.toPlainString() + " (s78A), to the nearest dollar.");
            } else {
                notes.add("No first home buyer concession at $" + below.toPlainString() + " or more.");
            }
            source = source + "; " + nsw.require("fhbas-exempt-up-to", d).source();
        }
        // s 273: duty that would be less than the minimum is the minimum (an exemption charges none at all)
        Regimes.Dated minimum = nsw.require("minimum-duty", d);
        if (!exempt && duty.compareTo(minimum.value()) < 0) {
            duty = minimum.value();
            source = source + "; " + minimum.source();
            notes.add("Charged the minimum duty of $" + minimum.value().toPlainString() + " (Duties Act 1997 s 273):"
                    + " the scale gives less.");
        }
        List<TaxLine> lines = new ArrayList<>();
        lines.add(Lines.line(r, "Revenue NSW", "Transfer duty", duty, Payer.BUYER, e.bands(), source, notes));
        foreign(r, nsw, "Revenue NSW", "Surcharge purchaser duty", "surcharge-percent", v, lines, false);
        return Lines.result(r, lines, List.of());
    }

    private TransferTaxResult vic(TransferTaxRequest r) {
        Lines.requireCurrency(r, vic);
        Lines.requireNoCity(r);
        LocalDate d = r.transferDate();
        BigDecimal v = r.priceValue();
        Scale general = vic.scale("general", d);
        Scale.Evaluation e = general.evaluate(v);
        String source = general.source();
        List<String> notes = new ArrayList<>();
        BigDecimal duty = e.tax();
        List<BandContribution> bands = e.bands();
        BigDecimal pprFrom = vic.require("ppr-from", d).value();
        BigDecimal pprTo = vic.require("ppr-up-to", d).value();
        if (r.ownerOccupier() && v.compareTo(pprFrom) > 0 && v.compareTo(pprTo) <= 0) {
            Scale ppr = vic.scale("principal-place-of-residence", d);
            Scale.Evaluation p = ppr.evaluate(v);
            duty = p.tax();
            bands = p.bands();
            source = ppr.source();
            notes.add("Principal place of residence concession ($" + pprFrom.toPlainString() + " to $"
                    + pprTo.toPlainString() + ").");
        }
        if (r.firstTimeBuyer() && !r.ownerOccupier()) {
            notes.add(NOT_LIVING_IN_IT);
        }
        if (r.firstTimeBuyer() && r.ownerOccupier()) {
            BigDecimal exempt = vic.require("fhb-exempt-up-to", d).value();
            BigDecimal upTo = vic.require("fhb-concession-up-to", d).value();
            if (v.compareTo(exempt) <= 0) {
                duty = BigDecimal.ZERO;
                notes.add("First home buyer duty exemption up to $" + exempt.toPlainString() + " (s57JA).");
            } else if (v.compareTo(upTo) <= 0) {
                // s57JA(3): B x (A - 600,000) / 150,000, B the duty otherwise payable
                duty = duty.multiply(v.subtract(exempt)).divide(upTo.subtract(exempt), MathContext.DECIMAL64);
                notes.add("First home buyer duty concession between $" + exempt.toPlainString() + " and $"
                        + upTo.toPlainString() + " (s57JA).");
            }
            source = source + "; " + vic.require("fhb-exempt-up-to", d).source();
        }
        notes.add("Rounded to the nearest dollar, 50 cents down (s28).");
        List<TaxLine> lines = new ArrayList<>();
        lines.add(Lines.line(r, "State Revenue Office Victoria", "Land transfer duty", Lines.nearestHalfDown(duty),
                Payer.BUYER, bands, source, notes));
        foreign(r, vic, "State Revenue Office Victoria", "Foreign purchaser additional duty", "foreign-percent", v,
                lines, true);
        return Lines.result(r, lines, List.of());
    }

    private TransferTaxResult qld(TransferTaxRequest r) {
        Lines.requireCurrency(r, qld);
        Lines.requireNoCity(r);
        LocalDate d = r.transferDate();
        BigDecimal v = r.priceValue();
        Scale scale = qld.scale(r.ownerOccupier() ? "home" : "general", d);
        Scale.Evaluation e = scale.evaluate(v);
        BigDecimal duty = e.tax();
        List<String> notes = new ArrayList<>();
        String source = scale.source();
        if (r.ownerOccupier()) {
            notes.add("Home concession rates (the buyer will live in the home).");
        }
        if (r.firstTimeBuyer() && !r.ownerOccupier()) {
            notes.add(NOT_LIVING_IN_IT);
        }
        if (r.firstTimeBuyer() && r.ownerOccupier()) {
            Optional<Regimes.Dated> newHome = qld.value("first-home-new-from", d);
            if (r.newHome() && newHome.isPresent()) {
                duty = BigDecimal.ZERO;
                source = source + "; " + newHome.get().source();
                notes.add("First home (new home) concession: no transfer duty, whatever the value.");
            } else {
                Scale deduction = qld.scale("first-home-deduction", d);
                BigDecimal amount = deduction.evaluate(v).tax();
                duty = duty.subtract(amount).max(BigDecimal.ZERO);
                source = source + "; " + deduction.source();
                notes.add("First home concession: $" + amount.toPlainString() + " deducted from the home concession"
                        + " duty.");
            }
        }
        List<TaxLine> lines = new ArrayList<>();
        lines.add(Lines.line(r, "Queensland Revenue Office", "Transfer duty", duty, Payer.BUYER, e.bands(), source,
                notes));
        foreign(r, qld, "Queensland Revenue Office", "Additional foreign acquirer duty", "foreign-percent", v, lines,
                false);
        return Lines.result(r, lines, List.of());
    }

    private TransferTaxResult wa(TransferTaxRequest r) {
        Lines.requireCurrency(r, wa);
        LocalDate d = r.transferDate();
        BigDecimal v = r.priceValue().setScale(0, RoundingMode.FLOOR); // Sch 2: rounded down to the whole dollar
        Scale scale = wa.scale("general", d);
        boolean firstHomeRate = false;
        List<String> notes = new ArrayList<>();
        if (r.firstTimeBuyer() && !r.ownerOccupier()) {
            notes.add(NOT_LIVING_IN_IT);
        }
        if (r.firstTimeBuyer() && r.ownerOccupier()) {
            String region = waRegion(r);
            Scale fho = wa.scale("first-home-" + region, d);
            if (v.compareTo(fho.ceiling().orElseThrow()) <= 0) {
                scale = fho;
                firstHomeRate = true;
                notes.add("First home owner rate (" + (region.equals("metro") ? "Perth Metropolitan and Peel"
                        : "outside Perth Metropolitan and Peel") + "), up to $" + fho.ceiling().get().toPlainString()
                        + ".");
            } else {
                notes.add("No first home owner rate above $" + fho.ceiling().get().toPlainString() + ".");
            }
        } else {
            Lines.requireNoCityExcept(r, Set.of("perth", "peel", "mandurah", "regional wa"));
        }
        if (r.ownerOccupier() && !firstHomeRate) {
            Scale concessional = wa.scale("concessional-residence", d);
            if (v.compareTo(concessional.ceiling().orElseThrow()) <= 0) {
                scale = concessional;
                notes.add("Concessional rate for a principal place of residence with a dutiable value of $"
                        + concessional.ceiling().get().toPlainString() + " or less (Duties Act 2008 s 147).");
            }
        }
        Scale.Evaluation e = scale.evaluate(v);
        notes.add("Dutiable value rounded down to the whole dollar; cents kept in the duty (no rounding rule found).");
        List<TaxLine> lines = new ArrayList<>();
        lines.add(Lines.line(r, "RevenueWA", "Transfer duty", e.tax(), Payer.BUYER, e.bands(), scale.source(), notes));
        foreign(r, wa, "RevenueWA", "Foreign transfer duty", "foreign-percent", v, lines, false);
        return Lines.result(r, lines, List.of());
    }

    private static final String NOT_LIVING_IN_IT = "No first home concession: it requires the buyer to live in the"
            + " home (the request says the buyer will not).";

    /** Perth Metropolitan and Peel, or elsewhere, from the request's city. */
    private static String waRegion(TransferTaxRequest r) {
        String city = r.city().map(c -> Lines.place(r)).orElseThrow(() -> new GeoValidationException(
                "Western Australia's first home owner rate depends on where the home is: give the city 'Perth' (any"
                        + " place in the Perth Metropolitan region), 'Peel' or 'Mandurah', or 'Regional WA'."));
        return switch (city) {
            case "perth", "peel", "mandurah" -> "metro";
            case "regional wa" -> "regional";
            default -> throw new GeoValidationException("Unknown Western Australian place '" + r.city().get()
                    + "': give 'Perth' (Perth Metropolitan region), 'Peel', 'Mandurah' or 'Regional WA'.");
        };
    }

    /** A foreign purchaser surcharge: a flat percentage of the whole dutiable value, before concessions. */
    private static void foreign(TransferTaxRequest r, Regimes regimes, String authority, String name, String key,
            BigDecimal value, List<TaxLine> lines, boolean roundHalfDown) {
        if (r.nonResident()) {
            Lines.surcharge(r, regimes, authority, name, key, value,
                    roundHalfDown ? Lines::nearestHalfDown : t -> t,
                    "Foreign purchaser surcharge on the whole value, not reduced by concessions.", lines);
        }
    }
}
