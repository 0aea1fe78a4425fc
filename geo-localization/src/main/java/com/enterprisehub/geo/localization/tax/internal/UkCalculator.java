package com.enterprisehub.geo.localization.tax.internal;

import com.enterprisehub.geo.localization.tax.internal.Lines.Flag;
import com.enterprisehub.geo.spi.tax.Payer;
import com.enterprisehub.geo.spi.tax.TaxLine;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.spi.tax.TransferTaxResult;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * England and Northern Ireland (SDLT), Scotland (LBTT and the Additional Dwelling Supplement), Wales (LTT):
 * residential purchases by individuals. Registered through {@code ServiceLoader}; not part of the API.
 *
 * <p>SDLT: marginal bands; first-time buyer relief up to its price limit (above it, no relief at all); the
 * higher rates for additional dwellings and the non-resident surcharge add points to every band when the
 * price is GBP 40,000 or more; rounded down to the pound. LBTT: marginal bands, first-time buyer nil band
 * of GBP 175,000, ADS a flat percentage of the whole price from GBP 40,000. LTT: main rates, or the higher
 * residential rates (a scale of their own) from GBP 40,000; no first-time buyer relief.
 */
public final class UkCalculator implements TransferTaxCalculator {
    private final Regimes england = Regimes.load("GB-ENG");
    private final Regimes scotland = Regimes.load("GB-SCT");
    private final Regimes wales = Regimes.load("GB-WLS");

    @Override
    public String name() {
        return "gb";
    }

    @Override
    public Set<String> jurisdictions() {
        return Set.of("GB-ENG", "GB-NIR", "GB-SCT", "GB-WLS");
    }

    @Override
    public TransferTaxResult calculate(TransferTaxRequest r) {
        // each nation has a rule (or a stated absence of one) for these three; the others are named in the notes
        Set<Flag> considered = EnumSet.of(Flag.FIRST_TIME_BUYER, Flag.ADDITIONAL_DWELLING, Flag.NON_RESIDENT);
        return switch (r.jurisdiction().code()) {
            case "GB-SCT" -> Lines.calculate(r, scotland, considered, () -> scotland(r));
            case "GB-WLS" -> Lines.calculate(r, wales, considered, () -> wales(r));
            default -> Lines.calculate(r, england, considered, () -> england(r));
        };
    }

    private TransferTaxResult england(TransferTaxRequest r) {
        Lines.requireCurrency(r, england);
        Lines.requireNoCity(r);
        LocalDate d = r.transferDate();
        BigDecimal price = r.priceValue();
        List<String> notes = new ArrayList<>();
        Scale scale = england.scale("standard", d);
        String source = scale.source();
        if (r.firstTimeBuyer()) {
            BigDecimal max = england.require("first-time-buyer-max-price", d).value();
            if (price.compareTo(max) <= 0) {
                scale = england.scale("first-time-buyer", d);
                source = scale.source();
                notes.add("First-time buyer relief (price up to GBP " + max.toPlainString() + ").");
            } else {
                notes.add("No first-time buyer relief: the price is over GBP " + max.toPlainString()
                        + "; the standard rates apply to all of it.");
            }
        }
        if (r.additionalDwelling()) {
            BigDecimal min = england.require("higher-rates-min-price", d).value();
            if (price.compareTo(min) >= 0) {
                var points = england.require("higher-rates-points", d);
                scale = scale.plus(points.value());
                source = source + "; " + points.source();
                notes.add("Higher rates for additional dwellings: +" + points.value().toPlainString()
                        + " points on every band.");
            } else {
                notes.add("Higher rates do not apply below GBP " + min.toPlainString() + ".");
            }
        }
        if (r.nonResident()) {
            Optional<Regimes.Dated> points = england.value("non-resident-points", d);
            BigDecimal min = england.value("non-resident-min-price", d).map(Regimes.Dated::value).orElse(BigDecimal.ZERO);
            if (points.isPresent() && price.compareTo(min) >= 0) {
                scale = scale.plus(points.get().value());
                source = source + "; " + points.get().source();
                notes.add("Non-resident surcharge: +" + points.get().value().toPlainString() + " points on every band.");
            }
        }
        Scale.Evaluation e = scale.evaluate(price);
        notes.add("Rounded down to the whole pound (SDLTM00050).");
        TaxLine line = Lines.line(r, "HM Revenue & Customs", "Stamp Duty Land Tax", Lines.floor(e.tax()), Payer.BUYER,
                e.bands(), source, notes);
        return Lines.result(r, List.of(line), List.of());
    }

    private TransferTaxResult scotland(TransferTaxRequest r) {
        Lines.requireCurrency(r, scotland);
        Lines.requireNoCity(r);
        LocalDate d = r.transferDate();
        BigDecimal price = r.priceValue();
        List<String> notes = new ArrayList<>();
        Scale scale = scotland.scale(r.firstTimeBuyer() ? "first-time-buyer" : "standard", d);
        if (r.firstTimeBuyer()) {
            notes.add("First-time buyer relief: nil rate band of GBP 175,000.");
        }
        if (r.nonResident()) {
            notes.add("Scotland levies no non-resident surcharge.");
        }
        notes.add("Rounded down to the whole pound (no rounding rule published; as SDLT).");
        Scale.Evaluation e = scale.evaluate(price);
        List<TaxLine> lines = new ArrayList<>();
        lines.add(Lines.line(r, "Revenue Scotland", "Land and Buildings Transaction Tax", Lines.floor(e.tax()),
                Payer.BUYER, e.bands(), scale.source(), notes));
        if (r.additionalDwelling() && price.compareTo(scotland.require("ads-min-price", d).value()) >= 0) {
            Lines.surcharge(r, scotland, "Revenue Scotland", "Additional Dwelling Supplement", "ads-percent", price,
                    Lines::floor, "A flat percentage of the whole price, from GBP 40,000.", lines);
        }
        return Lines.result(r, lines, List.of());
    }

    private TransferTaxResult wales(TransferTaxRequest r) {
        Lines.requireCurrency(r, wales);
        Lines.requireNoCity(r);
        LocalDate d = r.transferDate();
        BigDecimal price = r.priceValue();
        List<String> notes = new ArrayList<>();
        boolean higher = r.additionalDwelling()
                && price.compareTo(wales.require("higher-min-price", d).value()) >= 0;
        Scale scale = wales.scale(higher ? "higher" : "main", d);
        if (higher) {
            notes.add("Higher residential rates (the buyer will own another dwelling; price GBP 40,000 or more).");
        }
        if (r.firstTimeBuyer()) {
            notes.add("Wales has no first-time buyer relief.");
        }
        if (r.nonResident()) {
            notes.add("Wales levies no non-resident surcharge.");
        }
        notes.add("Rounded down to the whole pound (no rounding rule published; as SDLT).");
        Scale.Evaluation e = scale.evaluate(price);
        TaxLine line = Lines.line(r, "Welsh Revenue Authority", "Land Transaction Tax", Lines.floor(e.tax()),
                Payer.BUYER, e.bands(), scale.source(), notes);
        return Lines.result(r, List.of(line), List.of());
    }
}
